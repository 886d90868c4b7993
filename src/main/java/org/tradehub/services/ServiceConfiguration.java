package org.tradehub.services;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.ledger.Ledger;
import org.tradehub.web.HubProblemException;

/**
 * A tenant's service configuration as one document, replaced as a whole (PUT /admin/tenants/{tenant}/services):
 * the IOSS number, the subscribed services with the policy that picks their provider and the rules that say when
 * they apply, and the consolidation thresholds per lane. Applies to the next transaction, without a restart.
 */
@Component
public class ServiceConfiguration {

    private static final Pattern POLICY = Pattern.compile("FIXED|CHEAPEST|FASTEST|BEST_QUALITY");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Ledger ledger;
    private final ServicesProperties config;

    public ServiceConfiguration(JdbcTemplate jdbc, TransactionTemplate tx, Ledger ledger, ServicesProperties config) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.ledger = ledger;
        this.config = config;
    }

    public void replace(String tenantId, JsonNode doc) {
        String ioss = text(doc, "iossNumber");
        if (ioss != null && !ioss.matches("IM[0-9]{10}")) {
            throw HubProblemException.badRequest("'iossNumber' is IM followed by 10 digits.");
        }
        List<Runnable> writes = new ArrayList<>();
        for (JsonNode sub : doc.path("subscriptions")) {
            String service = text(sub, "service");
            if (Service.of(service).isEmpty()) {
                throw HubProblemException.badRequest("Unknown service '" + service + "'; one of export-declaration"
                        + " (filed by a customs broker), fx-settlement-filing, vat-refund-filing, freight-booking,"
                        + " insurance, financing.");
            }
            String policy = text(sub, "policy") == null ? "CHEAPEST" : text(sub, "policy");
            if (!POLICY.matcher(policy).matches()) {
                throw HubProblemException.badRequest("'policy' is FIXED, CHEAPEST, FASTEST or BEST_QUALITY.");
            }
            String fixed = text(sub, "fixedProvider");
            if ("FIXED".equals(policy) && fixed == null) {
                throw HubProblemException.badRequest("Policy FIXED for " + service + " needs 'fixedProvider'.");
            }
            if (fixed != null && jdbc.queryForObject("select count(*) from provider where id = ?", Integer.class,
                    fixed) == 0) {
                throw HubProblemException.badRequest("No provider " + fixed + ".");
            }
            int deadline = sub.path("quoteDeadlineMs").asInt(config.defaultQuoteDeadlineMs());
            if (deadline < 50 || deadline > 60_000) {
                throw HubProblemException.badRequest("'quoteDeadlineMs' is 50 to 60000.");
            }
            writes.add(() -> jdbc.update("insert into service_subscription (tenant_id, service, policy, fixed_provider_id,"
                    + " quote_deadline_ms) values (?, ?, ?, ?, ?)", tenantId, service, policy, fixed, deadline));
            for (JsonNode rule : sub.path("rules")) {
                String destinations = countries(rule, "destinations");
                String excluded = countries(rule, "excludedDestinations");
                BigDecimal min = decimal(rule, "minValue");
                BigDecimal max = decimal(rule, "maxValue");
                String currency = text(rule, "valueCurrency");
                String chapters = join(rule.path("hsChapters"), "[0-9]{2}", "hsChapters are 2-digit HS chapters");
                String description = text(rule, "description");
                writes.add(() -> jdbc.update("insert into service_rule (tenant_id, service, destination_countries,"
                                + " excluded_countries, min_value, max_value, value_currency, hs_chapters, description)"
                                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)", tenantId, service, destinations, excluded, min, max,
                        currency, chapters, description));
            }
        }
        for (JsonNode lane : doc.path("consolidation")) {
            String destination = text(lane, "destination");
            if (destination != null && !COUNTRY.matcher(destination).matches()) {
                throw HubProblemException.badRequest("consolidation 'destination' is an ISO 3166-1 alpha-2 code.");
            }
            long window = lane.path("windowMs").asLong(0);
            if (window <= 0) {
                throw HubProblemException.badRequest("Each consolidation threshold needs 'windowMs' (the time window).");
            }
            Integer orders = lane.hasNonNull("maxOrders") ? lane.get("maxOrders").asInt() : null;
            BigDecimal kg = decimal(lane, "maxGrossKg");
            BigDecimal value = decimal(lane, "maxValueGbp");
            String level = text(lane, "serviceLevel");
            writes.add(() -> jdbc.update("insert into consolidation_threshold (tenant_id, destination_country,"
                            + " service_level, max_orders, max_gross_kg, max_value_gbp, window_ms) values (?, ?, ?, ?, ?, ?, ?)",
                    tenantId, destination, level, orders, kg, value, window));
        }
        tx.executeWithoutResult(s -> {
            jdbc.update("delete from service_rule where tenant_id = ?", tenantId);
            jdbc.update("delete from service_subscription where tenant_id = ?", tenantId);
            jdbc.update("delete from consolidation_threshold where tenant_id = ?", tenantId);
            jdbc.update("delete from tenant_service_settings where tenant_id = ?", tenantId);
            jdbc.update("insert into tenant_service_settings (tenant_id, ioss_number, updated_at) values (?, ?, ?)",
                    tenantId, ioss, Timestamp.from(ledger.now()));
            writes.forEach(Runnable::run);
        });
    }

    public boolean hasSubscriptions(String tenantId) {
        return jdbc.queryForObject("select count(*) from service_subscription where tenant_id = ?", Integer.class,
                tenantId) > 0;
    }

    private static String countries(JsonNode node, String field) {
        return join(node.path(field), "[A-Z]{2}", field + " are ISO 3166-1 alpha-2 codes");
    }

    private static String join(JsonNode array, String pattern, String message) {
        if (!array.isArray() || array.isEmpty()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode v : array) {
            if (!v.asText().matches(pattern)) {
                throw HubProblemException.badRequest(message + ": '" + v.asText() + "'.");
            }
            values.add(v.asText());
        }
        return String.join(",", values);
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        String v = text(node, field);
        try {
            return v == null ? null : new BigDecimal(v);
        } catch (NumberFormatException e) {
            throw HubProblemException.badRequest("'" + field + "' must be a decimal number.");
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }
}

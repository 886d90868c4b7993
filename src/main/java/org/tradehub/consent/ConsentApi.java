package org.tradehub.consent;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.TransactionStatus;
import org.tradehub.tenant.Tenant;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

/**
 * The tenant's side of banks' access: grant a consent, list them, revoke one, and read who accessed what. And the
 * operator's side: register a bank (its API key is shown once).
 */
@Component("consentApi")
public class ConsentApi {

    /** Every transaction status there is (read from TransactionStatus, so a new status is known at once). */
    static final List<String> STATUSES = statuses();

    private final TenantDirectory tenants;
    private final BankDirectory banks;
    private final Consents consents;
    private final ApiSupport api;
    private final ConsentProperties settings;

    public ConsentApi(TenantDirectory tenants, BankDirectory banks, Consents consents, ApiSupport api,
                      ConsentProperties settings) {
        this.tenants = tenants;
        this.banks = banks;
        this.consents = consents;
        this.api = api;
        this.settings = settings;
    }

    /** POST /admin/banks {"id","name"} -> 201 {"id","name","apiKey"}. */
    public void createBank(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        JsonNode body = api.body(in, false);
        String id = ApiSupport.text(body, "id", true);
        String name = ApiSupport.text(body, "name", true);
        String apiKey = banks.create(id, name);
        api.reply(in, 201, Map.of("id", id, "name", name, "apiKey", apiKey));
    }

    /** POST /admin/banks/{bank}/api-key -> {"id","apiKey"}: a new key, the old one is refused from now on. */
    public void rotateBankKey(Exchange exchange) {
        Message in = exchange.getMessage();
        api.requireAdmin(in);
        String id = in.getHeader("bank", String.class);
        api.reply(in, null, Map.of("id", id, "apiKey", banks.rotateKey(id)));
    }

    /** GET /api/banks: the banks a tenant can grant a consent to. */
    public void listBanks(Exchange exchange) {
        Message in = exchange.getMessage();
        tenants.authenticate(in.getHeader("Authorization", String.class));
        api.reply(in, null, Map.of("items", banks.all().stream()
                .map(b -> Map.of("id", b.id(), "name", b.name())).toList()));
    }

    /**
     * POST /api/consents {"bankId","from"?,"until","purpose"?,"scope"?:{"statuses"?,"fields"?,"historyFrom"?,
     * "historyUntil"?}} -> 201 the consent.
     */
    public void grant(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        JsonNode body = api.body(in, false);
        String bankId = ApiSupport.text(body, "bankId", true);
        if (banks.find(bankId).isEmpty()) {
            throw HubProblemException.badRequest("No bank '" + bankId + "' is registered (GET /api/banks lists them).");
        }
        Instant now = consents.now();
        Instant from = ApiSupport.instant("from", ApiSupport.text(body, "from", false));
        // millisecond precision, as the database keeps it (a rounded-up start would leave the consent pending)
        from = from == null ? now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS) : from;
        Instant until = ApiSupport.instant("until", ApiSupport.text(body, "until", true));
        if (!until.isAfter(from) || !until.isAfter(now)) {
            throw HubProblemException.badRequest("'until' must be later than 'from' and than now.");
        }
        if (until.isAfter(from.plus(settings.maxValidity()))) {
            throw HubProblemException.badRequest("A consent runs at most " + settings.maxValidity().toDays()
                    + " days from its start; grant a new one to extend it.");
        }
        JsonNode scope = body.path("scope");
        List<String> statuses = list(scope, "statuses", STATUSES);
        List<String> fields = list(scope, "fields", BankHistoryApi.OPTIONAL_FIELDS);
        Instant historyFrom = ApiSupport.instant("scope.historyFrom", ApiSupport.text(scope, "historyFrom", false));
        Instant historyUntil = ApiSupport.instant("scope.historyUntil", ApiSupport.text(scope, "historyUntil", false));
        if (historyFrom != null && historyUntil != null && !historyUntil.isAfter(historyFrom)) {
            throw HubProblemException.badRequest("'scope.historyUntil' must be later than 'scope.historyFrom'.");
        }
        String purpose = ApiSupport.text(body, "purpose", false);
        if (purpose != null && purpose.length() > 500) {
            throw HubProblemException.badRequest("'purpose' has at most 500 characters.");
        }
        Consent consent = consents.grant(tenant.id(), bankId, from, until, statuses, fields, historyFrom,
                historyUntil, purpose);
        api.reply(in, 201, view(consent, now));
    }

    /** GET /api/consents: the tenant's consents, newest first, each with its state now. */
    public void list(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        Instant now = consents.now();
        api.reply(in, null, Map.of("items", consents.ofTenant(tenant.id()).stream().map(c -> view(c, now)).toList()));
    }

    /** GET /api/consents/{id}. */
    public void get(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        api.reply(in, null, view(own(tenant, in), consents.now()));
    }

    /** DELETE /api/consents/{id}: revoked at once; revoking a revoked consent changes nothing. */
    public void revoke(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        Consent consent = own(tenant, in);
        consents.revoke(tenant.id(), consent.id());
        api.reply(in, null, view(consents.find(tenant.id(), consent.id()).orElseThrow(), consents.now()));
    }

    /** GET /api/consents/{id}/accesses?limit=: every request the bank made under this consent, newest first. */
    public void accesses(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        Consent consent = own(tenant, in);
        replyAccesses(in, consents.accesses(tenant.id(), consent.id(), limit(in)));
    }

    /** GET /api/bank-accesses?limit=: every bank request for this tenant's data, also those without any consent. */
    public void allAccesses(Exchange exchange) {
        Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        replyAccesses(in, consents.accesses(tenant.id(), null, limit(in)));
    }

    private void replyAccesses(Message in, List<Consents.Access> accesses) {
        api.reply(in, null, Map.of("items", accesses.stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", a.at().toString());
            m.put("bankId", a.bankId());
            m.put("consentId", a.consentId());
            m.put("granted", a.granted());
            m.put("reason", a.reason());
            m.put("request", a.request());
            m.put("mediaType", a.mediaType());
            m.put("records", a.records());
            return m;
        }).toList()));
    }

    private static int limit(Message in) {
        return ApiSupport.limit(in.getHeader("limit", String.class), 100, 1000);
    }

    private Consent own(Tenant tenant, Message in) {
        String id = in.getHeader("id", String.class);
        return consents.find(tenant.id(), id)
                .orElseThrow(() -> HubProblemException.notFound("No consent " + id + "."));
    }

    static Map<String, Object> view(Consent c, Instant now) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("statuses", c.statuses());
        scope.put("fields", c.fields());
        scope.put("historyFrom", str(c.historyFrom()));
        scope.put("historyUntil", str(c.historyUntil()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("bankId", c.bankId());
        m.put("from", str(c.validFrom()));
        m.put("until", str(c.validUntil()));
        m.put("state", c.stateAt(now).name());
        m.put("scope", scope);
        m.put("purpose", c.purpose());
        m.put("createdAt", str(c.createdAt()));
        m.put("revokedAt", str(c.revokedAt()));
        return m;
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    /** A JSON array of allowed names, or null (all) when absent. */
    private static List<String> list(JsonNode scope, String field, List<String> allowed) {
        JsonNode node = scope.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw HubProblemException.badRequest("'scope." + field + "' must be a non-empty array of: "
                    + String.join(", ", allowed) + " (leave it out for all).");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode v : node) {
            if (!allowed.contains(v.asText())) {
                throw HubProblemException.badRequest("'scope." + field + "' contains '" + v.asText()
                        + "'; allowed: " + String.join(", ", allowed) + ".");
            }
            if (!values.contains(v.asText())) {
                values.add(v.asText());
            }
        }
        return values;
    }

    private static List<String> statuses() {
        List<String> names = new ArrayList<>();
        for (Field f : TransactionStatus.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return List.copyOf(names);
    }
}

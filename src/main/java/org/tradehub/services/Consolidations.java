package org.tradehub.services;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.spi.RouteController;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.declaration.ExchangeRates;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.Ids;

/**
 * Consolidation of small orders per lane (tenant, destination, service level, forwarder) into one booking. State
 * lives in the database, so it survives restarts and any hub instance can continue another's work: adding an order
 * locks the lane's row; closing (a size, weight or value threshold, or the lane's time window) is a conditional
 * update only one instance can win; the booking of a closed consolidation is idempotent.
 */
@Component("consolidations")
public class Consolidations {

    /** Header set by {@link #offer}: JOINED (waiting in an open consolidation), CLOSED (this order closed it). */
    public static final String OUTCOME = "hubConsolidation";
    /** The route group of the routes a consolidated booking goes through (see {@link #bookingRoutesRunning}). */
    static final String BOOKING_ROUTES = "provider-dispatch";

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final PlanSteps steps;
    private final TransactionTemplate tx;
    private final LowValueRules lowValue;
    private final ExchangeRates rates;
    private final ProviderRegistry registry;
    private final ServicesProperties config;

    public Consolidations(JdbcTemplate jdbc, Ledger ledger, PlanSteps steps, TransactionTemplate tx,
                          LowValueRules lowValue, ExchangeRates rates, ProviderRegistry registry,
                          ServicesProperties config) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.steps = steps;
        this.tx = tx;
        this.lowValue = lowValue;
        this.rates = rates;
        this.registry = registry;
        this.config = config;
    }

    record Threshold(Integer maxOrders, BigDecimal maxKg, BigDecimal maxValueGbp, long windowMs) {}

    /**
     * Offers a freight booking step to its lane's consolidation. Nothing happens (the order is booked alone) when the
     * lane has no threshold or the order is not a low-value consignment for its destination on this date.
     */
    public void offer(Exchange exchange) {
        exchange.getMessage().removeHeader(OUTCOME);
        TransactionFacts facts = exchange.getProperty(ServiceDispatch.FACTS, TransactionFacts.class);
        String tenant = exchange.getProperty(ServiceDispatch.TENANT, String.class);
        String providerId = exchange.getProperty(ServiceDispatch.PROVIDER, String.class);
        String stepId = exchange.getProperty(ServiceDispatch.STEP, String.class);
        String transactionId = exchange.getProperty(ServiceDispatch.TRANSACTION, String.class);
        if (facts == null || facts.destinationCountry() == null) {
            return;
        }
        Optional<Threshold> threshold = threshold(tenant, facts.destinationCountry(), facts.laneServiceLevel());
        Instant now = ledger.now();
        Optional<LowValueRules.Rule> rule = lowValue.find(facts.destinationCountry(), LocalDate.ofInstant(now, ZoneOffset.UTC));
        if (threshold.isEmpty() || rule.isEmpty() || facts.valueGbp() == null) {
            return;
        }
        BigDecimal limitGbp = TransactionFacts.toGbp(rule.get().threshold(), rule.get().currency(), rates);
        if (limitGbp == null || facts.valueGbp().compareTo(limitGbp) > 0) {
            return;
        }
        String laneKey = facts.destinationCountry() + "|" + facts.laneServiceLevel() + "|" + providerId;
        String[] outcome = tx.execute(s -> {
            jdbc.update("insert into consolidation_lane (tenant_id, lane_key) values (?, ?) on conflict do nothing",
                    tenant, laneKey);
            String open = jdbc.queryForObject("select open_consolidation_id from consolidation_lane where tenant_id = ?"
                    + " and lane_key = ? for update", String.class, tenant, laneKey);
            // a redelivered message finds its order already in a consolidation
            List<Map<String, Object>> existing = jdbc.queryForList("select i.consolidation_id, c.state from"
                    + " consolidation_item i join consolidation c on c.id = i.consolidation_id where i.transaction_id = ?",
                    transactionId);
            if (!existing.isEmpty()) {
                String state = (String) existing.get(0).get("state");
                if ("REFUSED".equals(state) || "FAILED".equals(state)) {
                    return null; // a re-run of a member of a refused or failed consolidated booking: booked alone
                }
                return new String[] {"OPEN".equals(state) ? "JOINED" : "CLOSED", (String) existing.get(0).get("consolidation_id")};
            }
            if (open == null) {
                open = Ids.timeOrdered().toString();
                jdbc.update("insert into consolidation (id, tenant_id, lane_key, destination_country, service_level,"
                                + " provider_id, reference, state, order_count, gross_kg, total_value_gbp, opened_at, closes_at)"
                                + " values (?, ?, ?, ?, ?, ?, ?, 'OPEN', 0, 0, 0, ?, ?)", open, tenant, laneKey,
                        facts.destinationCountry(), facts.laneServiceLevel(), providerId, PlanSteps.newReference("CN"),
                        Timestamp.from(now), Timestamp.from(now.plusMillis(threshold.get().windowMs())));
                jdbc.update("update consolidation_lane set open_consolidation_id = ? where tenant_id = ? and lane_key = ?",
                        open, tenant, laneKey);
            }
            BigDecimal kg = facts.grossKg() == null ? BigDecimal.ZERO : facts.grossKg();
            jdbc.update("insert into consolidation_item (consolidation_id, transaction_id, step_id, value_gbp, gross_kg,"
                    + " added_at) values (?, ?, ?, ?, ?, ?)", open, transactionId, stepId, facts.valueGbp(), kg,
                    Timestamp.from(now));
            jdbc.update("update consolidation set order_count = order_count + 1, gross_kg = gross_kg + ?,"
                    + " total_value_gbp = total_value_gbp + ? where id = ?", kg, facts.valueGbp(), open);
            steps.joinConsolidation(stepId, open);
            Map<String, Object> c = jdbc.queryForMap("select reference, order_count, gross_kg, total_value_gbp, closes_at"
                    + " from consolidation where id = ?", open);
            ledger.addEvent(transactionId, "CONSOLIDATION_JOINED", "Freight booking: this low-value order ("
                    + rule.get().regime() + ") waits in consolidated booking " + c.get("reference") + " for lane "
                    + laneKey.replace("|", " / ") + " with " + c.get("order_count") + " order(s) so far; it keeps its own"
                    + " customs data.", Map.of("consolidationId", open, "reference", c.get("reference"),
                    "regime", rule.get().regime()));
            String reason = reached(threshold.get(), ((Number) c.get("order_count")).intValue(),
                    (BigDecimal) c.get("gross_kg"), (BigDecimal) c.get("total_value_gbp"));
            if (reason != null && close(open, reason, now)) {
                return new String[] {"CLOSED", open};
            }
            return new String[] {"JOINED", open};
        });
        if (outcome == null) {
            return;
        }
        exchange.getMessage().setHeader(OUTCOME, outcome[0]);
        exchange.getMessage().setHeader(ServiceDispatch.CONSOLIDATION, outcome[1]);
    }

    private static String reached(Threshold t, int orders, BigDecimal kg, BigDecimal valueGbp) {
        if (t.maxOrders() != null && orders >= t.maxOrders()) {
            return "size: " + orders + " orders (threshold " + t.maxOrders() + ")";
        }
        if (t.maxKg() != null && kg.compareTo(t.maxKg()) >= 0) {
            return "weight: " + kg.stripTrailingZeros().toPlainString() + " kg (threshold "
                    + t.maxKg().stripTrailingZeros().toPlainString() + " kg)";
        }
        if (t.maxValueGbp() != null && valueGbp.compareTo(t.maxValueGbp()) >= 0) {
            return "value: " + valueGbp.stripTrailingZeros().toPlainString() + " GBP (threshold "
                    + t.maxValueGbp().stripTrailingZeros().toPlainString() + " GBP)";
        }
        return null;
    }

    /** Closes an open consolidation; only one caller (of any instance) wins. Call inside a transaction. */
    private boolean close(String id, String reason, Instant now) {
        if (jdbc.update("update consolidation set state = 'CLOSED', closed_at = ?, closed_reason = ? where id = ?"
                + " and state = 'OPEN'", Timestamp.from(now), reason, id) == 0) {
            return false;
        }
        jdbc.update("update consolidation_lane set open_consolidation_id = null where open_consolidation_id = ?", id);
        String reference = jdbc.queryForObject("select reference from consolidation where id = ?", String.class, id);
        for (String transactionId : jdbc.queryForList("select transaction_id from consolidation_item where"
                + " consolidation_id = ?", String.class, id)) {
            ledger.addEvent(transactionId, "CONSOLIDATION_CLOSED", "Consolidated booking " + reference
                    + " closed (" + reason + "); it is booked with the forwarder as one shipment.",
                    Map.of("consolidationId", id, "reason", reason));
        }
        return true;
    }

    /**
     * The time-window trigger, run by every instance: closes each open consolidation whose window has passed (the
     * lane row is locked first, in the same order as {@link #offer}, so the two never deadlock), and returns them
     * with any closed one whose booking was not sent within the resend time (the instance that closed it stopped).
     * Nothing until the booking can go out ({@link #bookingRoutesRunning}). (Asked here, not in the route: a simple
     * expression {@code ${camelContext.routeController...}} introspects the context's class on every evaluation,
     * about 1,500 reflective exceptions per sweep.)
     */
    public List<String> sweep(CamelContext camel) {
        if (!bookingRoutesRunning(camel)) {
            return List.of();
        }
        Instant now = ledger.now();
        List<String> due = new ArrayList<>();
        List<Map<String, Object>> expired = jdbc.queryForList("select id, tenant_id, lane_key from consolidation"
                + " where state = 'OPEN' and closes_at <= ? order by closes_at", Timestamp.from(now));
        for (Map<String, Object> c : expired) {
            Boolean won = tx.execute(s -> {
                jdbc.queryForList("select lane_key from consolidation_lane where tenant_id = ? and lane_key = ? for update",
                        c.get("tenant_id"), c.get("lane_key"));
                return close((String) c.get("id"), "time window", now);
            });
            if (Boolean.TRUE.equals(won)) {
                due.add((String) c.get("id"));
            }
        }
        // handed over again once per resend period (one instance wins each), never on every sweep; a booking that
        // failed after its back-off is FAILED (parked, replayable) and not handed over at all
        Timestamp cutoff = Timestamp.from(now.minusMillis(config.consolidationResendAfterMs()));
        for (String id : jdbc.queryForList("select id from consolidation where state = 'CLOSED' and"
                + " coalesce(queued_at, closed_at) <= ?", String.class, cutoff)) {
            if (jdbc.update("update consolidation set queued_at = ? where id = ? and state = 'CLOSED' and"
                    + " coalesce(queued_at, closed_at) <= ?", Timestamp.from(now), id, cutoff) == 1) {
                due.add(id);
            }
        }
        return due;
    }

    /**
     * The route controller is through start-up, and every route a booking goes through (route group
     * {@value #BOOKING_ROUTES}: its consumer, the dispatch to the provider, the sandbox forwarder where it runs) is
     * running; one the controller is still retrying after a failed start is not. The first sweep after a restart
     * books the lanes whose window passed while the hub was down, and a booking refused because the forwarder was not
     * listening yet is final. Only those routes: one that never starts elsewhere (a partner's poller with a wrong
     * host) must not stop every tenant's consolidation; readiness reports it.
     */
    static boolean bookingRoutesRunning(CamelContext camel) {
        RouteController routes = camel.getRouteController();
        if (!camel.isStarted() || routes.isStartingRoutes()) {
            return false;
        }
        return camel.getRoutes().stream().filter(r -> BOOKING_ROUTES.equals(r.getGroup()))
                .allMatch(r -> routes.getRouteStatus(r.getRouteId()) == ServiceStatus.Started);
    }

    /** Builds the consolidated booking's ServiceInput: every member keeps its own identity and customs data. */
    public void prepareBooking(Exchange exchange) {
        String id = exchange.getMessage().getHeader(ServiceDispatch.CONSOLIDATION, String.class);
        Map<String, Object> c = jdbc.queryForMap("select tenant_id, provider_id, reference, state, destination_country"
                + " from consolidation where id = ?", id);
        exchange.setProperty(ServiceDispatch.CONSOLIDATION, id);
        exchange.setProperty(ServiceDispatch.SERVICE, Service.FREIGHT_BOOKING.id);
        exchange.setProperty(ServiceDispatch.REFERENCE, c.get("reference"));
        exchange.setProperty(ServiceDispatch.TENANT, c.get("tenant_id"));
        if ("FAILED".equals(c.get("state"))) {
            resume(id, (String) c.get("reference")); // its parked message was replayed
        } else if (!"CLOSED".equals(c.get("state"))) {
            exchange.setProperty(ServiceDispatch.SKIP, true); // already sent (or refused): never booked twice
            return;
        }
        ProviderRegistry.Provider provider = registry.find((String) c.get("provider_id")).orElseThrow();
        ServiceDispatch.useProvider(exchange, provider);
        String regime = lowValue.find((String) c.get("destination_country"), LocalDate.ofInstant(ledger.now(),
                ZoneOffset.UTC)).map(LowValueRules.Rule::regime).orElse(null);
        List<ServiceDispatch.Member> members = new ArrayList<>();
        for (String transactionId : jdbc.queryForList("select transaction_id from consolidation_item where"
                + " consolidation_id = ? order by added_at, transaction_id", String.class, id)) {
            Ledger.TransactionRecord t = ledger.find(transactionId).orElseThrow();
            members.add(new ServiceDispatch.Member(transactionId, regime,
                    ledger.documentContent(t.canonicalDocumentId()).orElseThrow()));
        }
        exchange.getMessage().setBody(ServiceDispatch.envelope((String) c.get("reference"), Service.FREIGHT_BOOKING,
                provider, iossNumber((String) c.get("tenant_id")), true, members));
    }

    /**
     * The consolidated booking failed after every retry and its message was parked: FAILED, with every member's step
     * FAILED and the reason on each timeline. Not handed over again by the sweeper; a replay moves it on. Call
     * inside a transaction.
     */
    void failed(String id, String reason) {
        if (jdbc.update("update consolidation set state = 'FAILED' where id = ? and state = 'CLOSED'", id) == 0) {
            return;
        }
        String reference = jdbc.queryForObject("select reference from consolidation where id = ?", String.class, id);
        for (PlanSteps.Step step : steps.ofConsolidation(id)) {
            if (steps.failed(step.id(), ServiceDispatch.cap("the consolidated booking " + reference
                    + " could not be delivered after every retry (" + reason + ")"))) {
                ledger.addEvent(step.transactionId(), "SERVICE_FAILED", "Freight booking: the consolidated booking "
                        + reference + " could not be delivered after every retry (" + reason + "). The step is FAILED;"
                        + " it moves on when the parked booking is replayed or the step is re-run.",
                        Map.of("service", step.service(), "consolidationId", id, "reason", reason));
            }
        }
    }

    /** A FAILED consolidated booking is sent again (replay): CLOSED again, its members' steps PENDING again. */
    private void resume(String id, String reference) {
        tx.executeWithoutResult(s -> {
            if (jdbc.update("update consolidation set state = 'CLOSED', queued_at = ? where id = ? and state = 'FAILED'",
                    Timestamp.from(ledger.now()), id) == 0) {
                return;
            }
            for (PlanSteps.Step step : steps.ofConsolidation(id)) {
                if (steps.resume(step.id())) {
                    ledger.addEvent(step.transactionId(), "SERVICE_RESUMED", "Freight booking: the parked consolidated"
                            + " booking " + reference + " is sent again with the same reference.",
                            Map.of("service", step.service(), "consolidationId", id));
                }
            }
        });
    }

    /** The tenant's IOSS number for EU low-value consignments, if it has one. */
    String iossNumber(String tenantId) {
        return jdbc.queryForList("select ioss_number from tenant_service_settings where tenant_id = ?", String.class,
                tenantId).stream().filter(x -> x != null).findFirst().orElse(null);
    }

    /** The forwarder has the consolidated booking; returns its members' steps. Call inside a transaction. */
    List<PlanSteps.Step> sent(String id, String providerReference, String documentId) {
        jdbc.update("update consolidation set state = 'SENT', provider_reference = ?, document_id = ? where id = ?",
                providerReference, documentId, id);
        return steps.ofConsolidation(id);
    }

    List<PlanSteps.Step> refused(String id, String reason) {
        jdbc.update("update consolidation set state = 'REFUSED', closed_reason = ? where id = ?", reason, id);
        return steps.ofConsolidation(id);
    }

    /** The most specific threshold of the tenant for the lane (destination and service level match, or are open). */
    private Optional<Threshold> threshold(String tenant, String destination, String serviceLevel) {
        return jdbc.query("select max_orders, max_gross_kg, max_value_gbp, window_ms from consolidation_threshold"
                        + " where tenant_id = ? and (destination_country is null or destination_country = ?)"
                        + " and (service_level is null or service_level = ?)"
                        + " order by case when destination_country is null then 1 else 0 end,"
                        + " case when service_level is null then 1 else 0 end, id",
                (rs, i) -> new Threshold((Integer) rs.getObject(1) == null ? null : rs.getInt(1), rs.getBigDecimal(2),
                        rs.getBigDecimal(3), rs.getLong(4)), tenant, destination, serviceLevel).stream().findFirst();
    }
}

package org.tradehub.services;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.declaration.ExchangeRates;
import org.tradehub.intake.OrderIntake;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.TransactionStatus;

/**
 * Decides which services a transaction needs, from the tenant's subscriptions and rules (data in the database,
 * changeable at run time), records them as plan steps and names the steps whose queue must get a message.
 * Idempotent: a redelivered order finds its plan and re-queues only the steps still pending.
 */
@Component("servicePlanner")
public class ServicePlanner {

    /** Exchange property: the steps to queue, each {stepId, service}. */
    public static final String MESSAGES = "hubPlanMessages";

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final PlanSteps steps;
    private final TransactionTemplate tx;
    private final ExchangeRates rates;
    private final org.tradehub.declaration.Declarations declarations;

    public ServicePlanner(JdbcTemplate jdbc, Ledger ledger, PlanSteps steps, TransactionTemplate tx,
                          ExchangeRates rates, org.tradehub.declaration.Declarations declarations) {
        this.declarations = declarations;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.steps = steps;
        this.tx = tx;
        this.rates = rates;
    }

    public void plan(Exchange exchange) {
        Message in = exchange.getMessage();
        exchange.setProperty(MESSAGES, List.of());
        String transactionId = in.getHeader("hubTransactionId", String.class);
        String tenantId;
        TransactionFacts facts;
        String accepted = exchange.getProperty(OrderIntake.ACCEPTED_CANONICAL_PROPERTY, String.class);
        if (accepted != null) {
            // the intake stage has just recorded the transaction, ACCEPTED with this document: nothing to read back
            tenantId = in.getHeader(WebhookGuard.TENANT, String.class);
            facts = TransactionFacts.of(accepted, rates);
        } else {
            Optional<Ledger.TransactionRecord> found = transactionId == null ? Optional.empty()
                    : ledger.find(transactionId);
            if (found.isEmpty() || TransactionStatus.REJECTED.equals(found.get().status())
                    || found.get().canonicalDocumentId() == null) {
                return;
            }
            tenantId = found.get().tenantId();
            facts = TransactionFacts.of(ledger.documentContent(found.get().canonicalDocumentId()).orElseThrow(), rates);
        }
        String declarationTarget = in.getHeader("hubDeclarationTarget", String.class);
        List<Decision> decisions = decide(tenantId, facts);
        // a customs broker files the declaration when the firm's subscription says so: not the hub's own flow
        Optional<Decision> broker = decisions.stream().filter(d -> d.service == Service.EXPORT_DECLARATION).findFirst();
        if (broker.isPresent()) {
            in.removeHeader("hubDeclarationTarget");
        }
        List<Map<String, String>> messages = tx.execute(s -> {
            List<String> created = new ArrayList<>();
            if (broker.isPresent()) {
                if (steps.createIfAbsent(transactionId, tenantId, Service.EXPORT_DECLARATION, "Filed by the firm's"
                        + " customs broker on its behalf (subscription). " + broker.get().why)) {
                    created.add(Service.EXPORT_DECLARATION.label + " (by a customs broker)");
                }
            } else if (declarationTarget != null) {
                // the hub's own declaration, with its fixed LRN, from the moment the plan has it: its row is what tells
                // this step from a broker's (PlanRetries), also when the declaration fails before its first attempt
                declarations.create(transactionId, declarationTarget);
                if (steps.createIfAbsent(transactionId, tenantId, Service.EXPORT_DECLARATION, "The exporter's country"
                        + " declares exports to the single window " + declarationTarget + ".")) {
                    created.add(Service.EXPORT_DECLARATION.label + " (" + declarationTarget + ")");
                }
            }
            for (Decision d : decisions) {
                if (d.service != Service.EXPORT_DECLARATION
                        && steps.createIfAbsent(transactionId, tenantId, d.service, d.why)) {
                    created.add(d.service.label);
                }
            }
            List<PlanSteps.Step> plan = steps.ofTransaction(transactionId); // the event below changes no step
            if (!created.isEmpty()) {
                ledger.addEvent(transactionId, "PLAN_DECIDED", "Services planned for this transaction: "
                        + String.join(", ", created) + ".", Map.of("steps", plan.stream()
                        .map(p -> Map.of("service", p.service(), "why", String.valueOf(p.choiceReason()))).toList()));
            }
            return plan.stream()
                    .filter(p -> PlanSteps.PENDING.equals(p.state()) && p.consolidationId() == null
                            && (broker.isPresent() || !Service.EXPORT_DECLARATION.id.equals(p.service())))
                    .map(p -> Map.of("stepId", p.id(), "service", p.service())).toList();
        });
        exchange.setProperty(MESSAGES, messages);
    }

    record Decision(Service service, String why) {}

    /** The tenant's subscribed services that apply to these facts, each with the rule that made it apply. */
    List<Decision> decide(String tenantId, TransactionFacts facts) {
        List<Decision> decisions = new ArrayList<>();
        List<String> subscribed = jdbc.queryForList("select service from service_subscription where tenant_id = ?"
                + " order by service", String.class, tenantId);
        for (String id : subscribed) {
            Optional<Service> service = Service.of(id);
            if (service.isEmpty()) {
                continue;
            }
            List<Rule> rules = jdbc.query("select destination_countries, excluded_countries, min_value, max_value,"
                    + " value_currency, hs_chapters, description from service_rule where tenant_id = ? and service = ?"
                    + " order by id", (rs, i) -> new Rule(list(rs.getString(1)), list(rs.getString(2)),
                    rs.getBigDecimal(3), rs.getBigDecimal(4), rs.getString(5), list(rs.getString(6)),
                    rs.getString(7)), tenantId, id);
            if (rules.isEmpty()) {
                decisions.add(new Decision(service.get(), "Subscribed for every transaction."));
                continue;
            }
            rules.stream().filter(r -> r.matches(facts, rates)).findFirst().ifPresent(r ->
                    decisions.add(new Decision(service.get(), "Rule: " + r.explain())));
        }
        return decisions;
    }

    private static Set<String> list(String csv) {
        return csv == null || csv.isBlank() ? Set.of()
                : Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toSet());
    }

    /** One rule: every condition given must hold. Values compare in GBP (customs rates file). */
    record Rule(Set<String> destinations, Set<String> excluded, BigDecimal minValue, BigDecimal maxValue,
                String valueCurrency, Set<String> hsChapters, String description) {

        boolean matches(TransactionFacts f, ExchangeRates rates) {
            if (!destinations.isEmpty() && !destinations.contains(f.destinationCountry())) {
                return false;
            }
            if (excluded.contains(f.destinationCountry())) {
                return false;
            }
            String currency = valueCurrency == null ? "GBP" : valueCurrency;
            if (minValue != null && (f.valueGbp() == null
                    || f.valueGbp().compareTo(TransactionFacts.toGbp(minValue, currency, rates)) < 0)) {
                return false;
            }
            if (maxValue != null && (f.valueGbp() == null
                    || f.valueGbp().compareTo(TransactionFacts.toGbp(maxValue, currency, rates)) > 0)) {
                return false;
            }
            return hsChapters.isEmpty() || f.hsChapters().stream().anyMatch(hsChapters::contains);
        }

        String explain() {
            if (description != null) {
                return description;
            }
            Map<String, Object> parts = new LinkedHashMap<>();
            if (!destinations.isEmpty()) {
                parts.put("destination in", destinations);
            }
            if (!excluded.isEmpty()) {
                parts.put("destination not in", excluded);
            }
            String currency = valueCurrency == null ? "GBP" : valueCurrency;
            if (minValue != null) {
                parts.put("value at least", minValue.toPlainString() + " " + currency);
            }
            if (maxValue != null) {
                parts.put("value at most", maxValue.toPlainString() + " " + currency);
            }
            if (!hsChapters.isEmpty()) {
                parts.put("HS chapter in", hsChapters);
            }
            return parts.isEmpty() ? "always" : parts.toString();
        }
    }
}

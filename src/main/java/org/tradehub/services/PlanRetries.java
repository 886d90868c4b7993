package org.tradehub.services;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.jms.Message;
import org.apache.camel.Exchange;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.ledger.Ledger;
import org.tradehub.tenant.Tenant;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.web.ApiSupport;
import org.tradehub.web.HubProblemException;

/**
 * POST /api/transactions/{id}/plan/{stepId}/retry: the tenant re-runs a REJECTED or FAILED step, e.g. after a
 * provider for the lane was registered or the provider fixed its side. The policy chooses the provider again. Nothing
 * is booked twice: a step a provider confirmed is never re-run (only REJECTED or FAILED steps, and none whose earlier
 * attempt was confirmed later); each attempt has its own reference (the provider's idempotency key), except that
 * the same provider gets an unanswered FAILED request with the same key again; answers to earlier attempts are still
 * recognised (kept, flagged SUPERSEDED, on the timeline).
 */
@Component("planRetries")
public class PlanRetries {

    private final TenantDirectory tenants;
    private final Ledger ledger;
    private final PlanSteps steps;
    private final ProviderRegistry registry;
    private final TransactionTemplate tx;
    private final JmsTemplate jms;
    private final ApiSupport api;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    public PlanRetries(TenantDirectory tenants, Ledger ledger, PlanSteps steps, ProviderRegistry registry,
                       TransactionTemplate tx, JmsTemplate jms, ApiSupport api,
                       org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.tenants = tenants;
        this.ledger = ledger;
        this.steps = steps;
        this.registry = registry;
        this.tx = tx;
        this.jms = jms;
        this.api = api;
    }

    public void retry(Exchange exchange) {
        org.apache.camel.Message in = exchange.getMessage();
        Tenant tenant = tenants.authenticate(in.getHeader("Authorization", String.class));
        String transactionId = in.getHeader("id", String.class);
        String stepKey = in.getHeader("stepId", String.class);
        Ledger.TransactionRecord t = ledger.find(tenant.id(), transactionId)
                .orElseThrow(() -> HubProblemException.notFound("No transaction " + transactionId + "."));
        // the step's id, or its service name (one step per service)
        PlanSteps.Step step = steps.byId(stepKey).filter(s -> s.transactionId().equals(t.id()))
                .or(() -> steps.find(t.id(), stepKey))
                .orElseThrow(() -> HubProblemException.notFound("No step " + stepKey + " in this transaction's plan."));
        if (Service.EXPORT_DECLARATION.id.equals(step.service()) && !brokered(step)) {
            throw conflict("The export declaration to the single window keeps one LRN and is never re-run; replay its"
                    + " parked message, or correct and replay the order.");
        }
        int attempt = tx.execute(s -> {
            PlanSteps.Step locked = steps.lock(step.id()).orElseThrow();
            if (!PlanSteps.REJECTED.equals(locked.state()) && !PlanSteps.FAILED.equals(locked.state())) {
                throw conflict("Only a REJECTED or FAILED step can be re-run; this one is " + locked.state() + ".");
            }
            Optional<PlanSteps.Attempt> confirmed = steps.attempts(locked.id()).stream()
                    .filter(a -> PlanSteps.ACCEPTED.equals(a.state()) || PlanSteps.DONE.equals(a.state())).findFirst();
            if (confirmed.isPresent()) {
                throw conflict("Provider " + confirmed.get().providerId() + " confirmed attempt "
                        + confirmed.get().attemptNo() + " (reference " + confirmed.get().reference() + "); a re-run"
                        + " would book twice.");
            }
            int no = steps.rerun(locked, "tenant " + tenant.id());
            ledger.addEvent(t.id(), "SERVICE_RETRY_REQUESTED", ServiceDispatch.cap(ParkedServices.label(locked))
                    + ": re-run by tenant " + tenant.id() + " as attempt " + no + " (attempt " + locked.attemptNo()
                    + " was " + locked.state() + (locked.reason() == null ? "" : ": " + locked.reason())
                    + "); the provider is chosen again by the policy.", Map.of("service", locked.service(),
                    "attempt", no, "previousReference", locked.reference()));
            return no;
        });
        // sent once the step is PENDING for everyone: sent inside the transaction, the consumer could read the step
        // before the commit, still REJECTED, and skip it (the re-run would then wait for ever)
        String queue = "hub.services." + step.service();
        jms.send(queue, session -> {
            Message m = session.createTextMessage("");
            m.setStringProperty("hubTransactionId", t.id());
            m.setStringProperty("hubTenantId", t.tenantId());
            m.setStringProperty(ServiceDispatch.STEP, step.id());
            m.setStringProperty(ServiceDispatch.SERVICE, step.service());
            m.setStringProperty("_AMQ_DUPL_ID", "retry/" + step.id() + "/" + attempt);
            return m;
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "queued");
        body.put("transactionId", t.id());
        body.put("stepId", step.id());
        body.put("service", step.service());
        body.put("attempt", attempt);
        api.reply(in, 202, body);
    }

    /**
     * A declaration step handed to a customs broker instead of the hub's own single-window flow (which keeps a
     * declaration row; a brokered step that found no broker has neither provider nor row).
     */
    private boolean brokered(PlanSteps.Step step) {
        return step.providerId() != null ? registry.find(step.providerId()).map(p -> "customs-broker".equals(p.kind()))
                .orElse(false) : jdbc.queryForObject("select count(*) from declaration where transaction_id = ?",
                Integer.class, step.transactionId()) == 0;
    }

    private static HubProblemException conflict(String detail) {
        return new HubProblemException(409, "conflict", "Conflict", detail);
    }
}

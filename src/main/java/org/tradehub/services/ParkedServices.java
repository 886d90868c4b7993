package org.tradehub.services;

import java.util.Map;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ledger;

/**
 * What parking a message means for the service plan (called by the error policy's deadLetters as a message is
 * parked after its last retry): the plan step it carried becomes FAILED with the reason, so the firm sees a failed
 * step and not one that seems to wait forever. A replay of the parked message (or a re-run of the step) moves it on.
 * Callers own the database transaction.
 */
@Component
public class ParkedServices {

    private final Ledger ledger;
    private final PlanSteps steps;
    private final Consolidations consolidations;

    public ParkedServices(Ledger ledger, PlanSteps steps, Consolidations consolidations) {
        this.ledger = ledger;
        this.steps = steps;
        this.consolidations = consolidations;
    }

    /**
     * The parked message's step (service flows), every member's step (a consolidated booking) or the declaration step
     * (declaration flows) becomes FAILED.
     */
    public void parked(Exchange exchange, String route, String reason) {
        String stepId = value(exchange, ServiceDispatch.STEP);
        String transactionId = value(exchange, ServiceDispatch.TRANSACTION);
        String consolidationId = value(exchange, ServiceDispatch.CONSOLIDATION);
        if (stepId == null && consolidationId != null) {
            consolidations.failed(consolidationId, plain(exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                    Throwable.class), reason));
        } else if (stepId != null) {
            steps.byId(stepId).ifPresent(step -> fail(step, reason, exchange));
        } else if (transactionId != null && route != null && route.startsWith("out-declaration")) {
            steps.find(transactionId, Service.EXPORT_DECLARATION.id).ifPresent(step -> fail(step, reason, exchange));
        }
    }

    private void fail(PlanSteps.Step step, String technical, Exchange exchange) {
        String reason = plain(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class), technical);
        String why = "could not be delivered after every retry (" + reason + ")";
        if (!steps.failed(step.id(), cap(why))) {
            return;
        }
        String provider = step.providerId() != null ? step.providerId() : value(exchange, ServiceDispatch.PROVIDER);
        ledger.addEvent(step.transactionId(), "SERVICE_FAILED", ServiceDispatch.cap(label(step)) + " " + why
                + (provider == null ? "" : " to provider " + provider) + ". The step is FAILED; it moves on when the"
                + " parked message is replayed or the step is re-run.", Map.of("service", step.service(),
                "reason", reason));
    }

    /** The failure in the words a firm reads: what the peer answered, or that it could not be reached. */
    static String plain(Throwable cause, String technical) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.http.base.HttpOperationFailedException http) {
                return "the peer answered HTTP " + http.getStatusCode();
            }
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
                return "the peer could not be reached: " + t.getMessage();
            }
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.net.http.HttpTimeoutException) {
                return "the peer did not answer in time";
            }
        }
        return technical;
    }

    static String label(PlanSteps.Step step) {
        return Service.of(step.service()).map(s -> s.label).orElse(step.service());
    }

    private static String cap(String s) {
        return ServiceDispatch.cap(s);
    }

    /** An exchange property set by the flow, else the header the message came with. */
    static String value(Exchange exchange, String name) {
        String v = exchange.getProperty(name, String.class);
        return v != null ? v : exchange.getMessage().getHeader(name, String.class);
    }
}

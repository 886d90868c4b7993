package org.tradehub.ledger;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Runs as a message is parked on hub.dead-letter after its last retry: labels it with why and where it failed, and
 * writes the failure on its transaction's timeline so the firm sees it without asking an operator.
 */
@Component("deadLetters")
public class DeadLetters implements Processor {

    private final Ledger ledger;
    private final org.springframework.transaction.support.TransactionTemplate tx;

    private final org.tradehub.services.ParkedServices parkedServices;

    public DeadLetters(Ledger ledger, org.springframework.transaction.support.TransactionTemplate tx,
                       org.tradehub.services.ParkedServices parkedServices) {
        this.ledger = ledger;
        this.tx = tx;
        this.parkedServices = parkedServices;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        String route = exchange.getFromRouteId();
        var in = exchange.getMessage();
        in.setHeader("hubFailureReason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        in.setHeader("hubFailedRoute", route);
        in.setHeader("hubFailedAt", ledger.now().toString());
        // where a replay puts it back (replay/Replays); and no broker duplicate id on the way to the shelf: the
        // dead-letter address would drop a second parking of the same id, and a replay carries an id of its own
        if (exchange.getFromEndpoint() instanceof org.apache.camel.component.jms.JmsEndpoint jms) {
            in.setHeader("hubOriginQueue", jms.getDestinationName());
        }
        in.removeHeader("_AMQ_DUPL_ID");
        String transactionId = in.getHeader("hubTransactionId", String.class);
        if (transactionId != null && ledger.find(transactionId).isPresent()) {
            // status and its reason together: nobody may read the one without the other
            String eventType = cause instanceof ParkedFailure p ? p.timelineEventType() : null;
            tx.executeWithoutResult(s -> recordOnTimeline(transactionId, route, reason, eventType));
        }
        // the plan step the message carried shows FAILED with the reason, not PENDING forever
        tx.executeWithoutResult(s -> parkedServices.parked(exchange, route, reason));
    }

    private void recordOnTimeline(String transactionId, String route, String reason, String eventType) {
        boolean declaration = route != null && route.startsWith("out-declaration");
        if (declaration) {
            ledger.setStatus(transactionId, TransactionStatus.DECLARATION_FAILED);
        }
        ledger.addEvent(transactionId, eventType != null ? eventType : declaration ? "DECLARATION_PARKED" : "DELIVERY_PARKED",
                (declaration ? "The export declaration could not be delivered to the single window"
                        : "A processing step (" + route + ") failed")
                        + " after every retry (" + reason + "). It is parked on the dead-letter queue and will be"
                        + " sent again when it is replayed; it cannot be sent twice.", null);
    }
}

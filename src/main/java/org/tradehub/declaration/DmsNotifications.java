package org.tradehub.declaration;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.config.HubProperties;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.TransactionStatus;
import org.tradehub.singlewindow.DmsNotification;
import org.tradehub.singlewindow.DmsNotificationReader;
import org.tradehub.web.BearerToken;
import org.tradehub.web.HubProblemException;

/**
 * DMS notifications pushed by the single window to our callback: authenticated, kept as received, correlated with
 * their declaration (by conversation id, else by our LRN, since a notification can overtake the 202's bookkeeping)
 * and turned into timeline events. One that matches nothing is kept and flagged, never dropped.
 */
@Component("dmsNotifications")
public class DmsNotifications {

    private final DmsNotificationReader reader;
    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final TransactionTemplate tx;
    private final Declarations declarations;
    private final org.tradehub.services.PlanSteps planSteps;
    private final byte[] callbackToken;
    private final MeterRegistry meters;

    public DmsNotifications(JdbcTemplate jdbc, Ledger ledger, TransactionTemplate tx, Declarations declarations,
                            HubProperties hub, MeterRegistry meters, org.tradehub.services.PlanSteps planSteps) {
        this.meters = meters;
        this.planSteps = planSteps;
        this.reader = DmsNotificationReader.fromMappings(hub.mappingsDir());
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.tx = tx;
        this.declarations = declarations;
        String token = hub.singleWindow().gbCds().callbackToken();
        this.callbackToken = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
    }

    /** The single window presents the token we registered with the callback; checked before the body is read. */
    public void authenticate(Exchange exchange) {
        if (!BearerToken.matches(exchange.getMessage().getHeader("Authorization", String.class), callbackToken)) {
            throw HubProblemException.unauthorized("The notification callback needs the registered bearer token.");
        }
    }

    public void record(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        String conversationId = in.getHeader("X-Conversation-ID", String.class);
        List<DmsNotification> notifications;
        try {
            notifications = reader.parseAll(body == null ? new byte[0] : body);
        } catch (RuntimeException unreadable) {
            throw HubProblemException.badRequest("The notification is not a readable DMS notification: "
                    + unreadable.getMessage());
        }
        List<String> applied = new java.util.ArrayList<>();
        tx.executeWithoutResult(s -> {
            applied.clear(); // a retried transaction counts once
            for (DmsNotification n : notifications) {
                Optional<String[]> declaration = correlate(conversationId, n.lrn());
                String transactionId = declaration.map(d -> d[0]).orElse(null);
                ledger.storeDocument(null, transactionId, "dms-notification-" + n.name(), "in", "application/xml",
                        conversationId, body);
                if (transactionId == null) {
                    // kept above with its conversation id; flagged for an operator in the log and metrics
                    org.slf4j.LoggerFactory.getLogger(DmsNotifications.class).warn(
                            "DMS notification {} for unknown conversation {} / LRN {} kept unmatched", n.name(),
                            conversationId, n.lrn());
                    continue;
                }
                applied.add(apply(transactionId, declaration.get()[1], n));
            }
        });
        // Counted once committed: operations (and the benchmark) watch accepted/rejected declarations per second.
        for (String event : applied) {
            meters.counter("hub.declaration.notifications", "event", event).increment();
        }
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        in.setBody(null);
    }

    private Optional<String[]> correlate(String conversationId, String lrn) {
        List<String[]> rows = conversationId == null ? List.of() : jdbc.query(
                "select transaction_id, target from declaration where conversation_id = ?",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, conversationId);
        if (rows.isEmpty() && lrn != null) {
            rows = jdbc.query("select transaction_id, target from declaration where lrn = ?",
                    (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, lrn);
        }
        return rows.stream().findFirst();
    }

    /** Records one notification on its declaration and timeline; returns the event type recorded. */
    private String apply(String transactionId, String target, DmsNotification n) {
        if (n.refusesARepeatedLrn()) {
            // A repeat of our own submission, refused because the single window has the first (whose answers,
            // correlated by LRN when its 202 never reached us, decide). It must not reject the declaration, nor
            // give it this refusal's MRN.
            String event = "DECLARATION_RESUBMISSION_REFUSED";
            ledger.addEvent(transactionId, event, "The single window refused a repeated submission of the export"
                    + " declaration (LRN " + n.lrn() + ") because it already has the declaration under that LRN ("
                    + DmsNotification.LRN_ALREADY_USED + "). The declaration is not rejected: the first submission's"
                    + " answers decide.", details(n));
            return event;
        }
        String declarationStatus = switch (n.eventType()) {
            case "DECLARATION_ACCEPTED" -> "ACCEPTED";
            case "DECLARATION_REJECTED" -> "REJECTED";
            case "DECLARATION_UNDER_CONTROL" -> "UNDER_CONTROL";
            case "DECLARATION_CLEARED", "GOODS_RELEASED" -> "CLEARED";
            case "GOODS_EXITED" -> "EXITED";
            default -> null;
        };
        String transactionStatus = switch (n.eventType()) {
            case "DECLARATION_ACCEPTED" -> TransactionStatus.DECLARATION_ACCEPTED;
            case "DECLARATION_REJECTED" -> TransactionStatus.DECLARATION_REJECTED;
            case "DECLARATION_UNDER_CONTROL" -> TransactionStatus.UNDER_CUSTOMS_CONTROL;
            case "DECLARATION_CLEARED", "GOODS_RELEASED" -> TransactionStatus.CLEARED;
            case "GOODS_EXITED" -> TransactionStatus.EXITED;
            default -> null;
        };
        if (declarationStatus != null) {
            jdbc.update("update declaration set status = ?, mrn = coalesce(?, mrn), updated_at = ?"
                            + " where transaction_id = ? and target = ?", declarationStatus, n.mrn(),
                    Timestamp.from(ledger.now()), transactionId, target);
        }
        if (TransactionStatus.DECLARATION_REJECTED.equals(transactionStatus)) {
            ledger.setStatus(transactionId, transactionStatus);
        } else if (transactionStatus != null) {
            declarations.advance(transactionId, transactionStatus);
        }
        // the plan's declaration step: received = acknowledged, accepted, rejected (with the reason), cleared/exited = done
        String stepState = switch (n.eventType()) {
            case "DECLARATION_RECEIVED" -> org.tradehub.services.PlanSteps.ACKNOWLEDGED;
            case "DECLARATION_ACCEPTED", "DECLARATION_UNDER_CONTROL" -> org.tradehub.services.PlanSteps.ACCEPTED;
            case "DECLARATION_REJECTED" -> org.tradehub.services.PlanSteps.REJECTED;
            case "DECLARATION_CLEARED", "GOODS_RELEASED", "GOODS_EXITED" -> org.tradehub.services.PlanSteps.DONE;
            default -> null;
        };
        if (stepState != null) {
            planSteps.declarationOutcome(transactionId, stepState, n.summary());
        }
        ledger.addEvent(transactionId, n.eventType(), n.summary(), details(n));
        return n.eventType();
    }

    private static Map<String, Object> details(DmsNotification n) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("notification", n.name());
        details.put("mrn", n.mrn());
        details.put("lrn", n.lrn());
        details.put("errors", n.errors().stream().map(e -> Map.of("code", String.valueOf(e.validationCode()),
                "description", String.valueOf(e.description()), "pointer", String.valueOf(e.pointer()),
                "location", String.valueOf(e.location()))).toList());
        return details;
    }
}

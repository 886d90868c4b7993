package org.tradehub.replay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.intake.OrderIntake;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.TransactionStatus;
import org.tradehub.web.HubProblemException;
import org.tradehub.ledger.Ids;

/**
 * Replays: a parked message goes back, body and headers as they were, onto the queue it came from; a REJECTED
 * order's raw bytes go through intake again. Neither can double anything: the stages behind the queues de-duplicate
 * (the ledger's keys, the declaration's fixed LRN and its status), and each replay carries its own Artemis duplicate
 * id, so a resend of the same replay (a hub that stopped mid-replay) is dropped by the broker.
 */
@Component
public class Replays {

    /** A claim older than this belongs to a hub that stopped mid-replay and may be taken over. */
    static final Duration STALE_CLAIM = Duration.ofMinutes(1);
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,99}");
    static final String INTAKE_QUEUE = "hub.orders.received";
    /** Marks a message as a replay of a parked one (dead letter id) or of a rejected order (transaction id). */
    public static final String REPLAY_OF_DEAD_LETTER = "hubReplayOfDeadLetter";

    private final DeadLetterStore store;
    private final JmsTemplate jms;
    private final Ledger ledger;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public Replays(DeadLetterStore store, JmsTemplate jms, Ledger ledger, JdbcTemplate jdbc, TransactionTemplate tx) {
        this.store = store;
        this.jms = jms;
        this.ledger = ledger;
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Puts a parked message back on its queue; tenant null is the operator (any tenant's message). */
    public DeadLetterStore.DeadLetter replay(String tenantId, String id, String actor) {
        DeadLetterStore.DeadLetter letter = parked(tenantId, id);
        String queue = letter.originQueue();
        if (queue == null || !queue.startsWith("hub.") || queue.equals("hub.dead-letter")) {
            throw conflict("The queue this message came from is not known, so it cannot be put back; discard it.");
        }
        if (!store.claim(id, STALE_CLAIM)) {
            throw conflict("This message is being replayed already.");
        }
        byte[] body = store.body(id);
        try {
            // the audit row, the timeline and the send in one database transaction: a failed send leaves no trace
            tx.executeWithoutResult(s -> {
                store.resolve(id, "REPLAYING", "REPLAYED", actor, "back on " + queue);
                if (letter.transactionId() != null && ledger.find(letter.transactionId()).isPresent()) {
                    ledger.addEvent(letter.transactionId(), "REPLAYED", "The parked message (" + stage(letter)
                            + ") was put back on its queue by " + actor + "; it is processed again and cannot be"
                            + " sent twice.", Map.of("deadLetterId", id));
                }
                jms.send(queue, session -> {
                    Message m;
                    if (letter.bodyText()) {
                        m = session.createTextMessage(new String(body, StandardCharsets.UTF_8));
                    } else {
                        BytesMessage bytes = session.createBytesMessage();
                        bytes.writeBytes(body);
                        m = bytes;
                    }
                    for (Map.Entry<String, String> h : letter.headers().entrySet()) {
                        if (PROPERTY_NAME.matcher(h.getKey()).matches()) {
                            m.setStringProperty(h.getKey(), h.getValue());
                        }
                    }
                    m.setStringProperty(REPLAY_OF_DEAD_LETTER, id);
                    m.setStringProperty(WebhookGuard.ARTEMIS_DUPLICATE_ID, "replay/" + id);
                    return m;
                });
            });
        } catch (RuntimeException e) {
            store.release(id);
            throw HubProblemException.temporarilyUnavailable(
                    "The message could not be put back on its queue just now; it stays parked. Please retry.");
        }
        return store.find(tenantId, id).orElseThrow();
    }

    /** Takes a parked message off the shelf for good; it stays in the table with who discarded it and why. */
    public DeadLetterStore.DeadLetter discard(String tenantId, String id, String actor, String note) {
        DeadLetterStore.DeadLetter letter = parked(tenantId, id);
        boolean discarded = Boolean.TRUE.equals(tx.execute(s -> {
            if (!store.resolve(id, "PARKED", "DISCARDED", actor, note)) {
                return false;
            }
            if (letter.transactionId() != null && ledger.find(letter.transactionId()).isPresent()) {
                ledger.addEvent(letter.transactionId(), "DISCARDED", "The parked message (" + stage(letter)
                        + ") was discarded by " + actor + (note == null ? "." : ": " + note), Map.of("deadLetterId", id));
            }
            return true;
        }));
        if (!discarded) {
            throw conflict("This message is being replayed or was discarded already.");
        }
        return store.find(tenantId, id).orElseThrow();
    }

    private DeadLetterStore.DeadLetter parked(String tenantId, String id) {
        DeadLetterStore.DeadLetter letter = store.find(tenantId, id)
                .orElseThrow(() -> HubProblemException.notFound("No parked message " + id + "."));
        if (letter.status().equals("REPLAYED") || letter.status().equals("DISCARDED")) {
            throw conflict("This message was " + letter.status().toLowerCase(java.util.Locale.ROOT) + " already ("
                    + letter.updatedAt() + ").");
        }
        return letter;
    }

    /**
     * Sends a REJECTED order's raw bytes through intake again, e.g. after the tenant added a missing product to its
     * catalogue. The order keeps its transaction (intake finds it by hubReplayOf); returns the replay id.
     */
    public String replayRejected(String tenantId, String transactionId, String actor) {
        Ledger.TransactionRecord t = ledger.find(tenantId, transactionId)
                .orElseThrow(() -> HubProblemException.notFound("No transaction " + transactionId + "."));
        if (!TransactionStatus.REJECTED.equals(t.status())) {
            throw conflict("Only a rejected order can be replayed; this transaction is " + t.status() + ".");
        }
        // the latest order the source sent for this transaction (a later update supersedes the first delivery)
        var raw = jdbc.query("select content, media_type from document where transaction_id = ? and kind = 'order-raw'"
                        + " order by created_at desc, id limit 1",
                (rs, i) -> Map.entry(rs.getBytes(1), String.valueOf(rs.getString(2))), t.id())
                .stream().findFirst().orElseThrow(() -> conflict("The raw order of this transaction is not kept."));
        String replayId = Ids.timeOrdered().toString();
        tx.executeWithoutResult(s -> {
            ledger.addEvent(t.id(), "REPLAY_REQUESTED", "The order was sent through intake again by " + actor
                    + ", with the tenant's current catalogue and profile.", Map.of("replayId", replayId));
            jms.send(INTAKE_QUEUE, session -> {
                BytesMessage m = session.createBytesMessage();
                m.writeBytes(raw.getKey());
                m.setStringProperty(WebhookGuard.TENANT, t.tenantId());
                m.setStringProperty(WebhookGuard.CHANNEL, t.channel());
                m.setStringProperty(WebhookGuard.FORMAT, t.format());
                m.setStringProperty(WebhookGuard.SYNTAX, raw.getValue().contains("json") ? "json" : "xml");
                if (t.partner() != null) {
                    m.setStringProperty(WebhookGuard.PARTNER, t.partner());
                }
                m.setStringProperty(WebhookGuard.TOPIC, "replay");
                m.setStringProperty(WebhookGuard.RECEIPT, replayId);
                m.setStringProperty(WebhookGuard.RECEIVED_AT, t.receivedAt().toString());
                m.setStringProperty(WebhookGuard.DEDUPE_KEYS, "replay:" + replayId);
                m.setStringProperty(OrderIntake.REPLAY_OF, t.id());
                m.setStringProperty(WebhookGuard.ARTEMIS_DUPLICATE_ID, t.tenantId() + "/replay:" + replayId);
                return m;
            });
        });
        return replayId;
    }

    /** The stage that failed, for the timeline. */
    private static String stage(DeadLetterStore.DeadLetter letter) {
        return letter.failedRoute() != null ? letter.failedRoute() : "from " + letter.originQueue();
    }

    private static HubProblemException conflict(String detail) {
        return new HubProblemException(409, "conflict", "Conflict", detail);
    }
}

package org.tradehub.replay;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.Ids;

/**
 * Parked messages, moved from the hub.dead-letter queue into the ledger's database as they arrive, so that they can
 * be listed per tenant, replayed and discarded with an audit trail, by any hub instance.
 *
 * <p>Why a table and not browsing the queue: a tenant's list is an indexed query instead of a scan of every
 * tenant's parked messages; a dead letter keeps one id from parking to replay (a JMS message id changes when a
 * message is moved); a replay or discard is a state change with who and when in the same place as the rest of the
 * ledger, on PostgreSQL in production. The queue stays the atomic hand-off: the failing consumer parks inside its
 * own JMS transaction, and the move is idempotent on the JMS message id, so a redelivery after a crash between the
 * database commit and the queue acknowledgement stores nothing twice.
 */
@Component("deadLetterStore")
public class DeadLetterStore {

    /** Headers the error policy writes on a parked message; kept in their own columns. */
    public static final String REASON = "hubFailureReason";
    public static final String ROUTE = "hubFailedRoute";
    public static final String FAILED_AT = "hubFailedAt";
    public static final String ORIGIN_QUEUE = "hubOriginQueue";
    private static final List<String> OWN_COLUMNS = List.of(REASON, ROUTE, FAILED_AT, ORIGIN_QUEUE);
    private static final int MAX_HEADER_VALUE = 4000;

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final ObjectMapper json;
    private final TransactionTemplate tx;

    public DeadLetterStore(JdbcTemplate jdbc, Ledger ledger, ObjectMapper json, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.json = json;
        this.tx = tx;
    }

    /** Moves one message of hub.dead-letter into the table (route park-dead-letter). */
    public void park(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getMessage();
        String jmsId = in.getHeader("JMSMessageID", String.class);
        if (jmsId == null) {
            throw new IllegalStateException("a dead letter without a JMS message id cannot be parked idempotently");
        }
        Object body = in.getBody();
        byte[] bytes = in.getBody(byte[].class);
        Map<String, String> headers = new TreeMap<>();
        in.getHeaders().forEach((name, value) -> {
            if (name.startsWith("hub") && !OWN_COLUMNS.contains(name) && value != null) {
                String v = value.toString();
                headers.put(name, v.length() > MAX_HEADER_VALUE ? v.substring(0, MAX_HEADER_VALUE) : v);
            }
        });
        String origin = in.getHeader(ORIGIN_QUEUE, String.class);
        String reason = in.getHeader(REASON, String.class);
        if (origin == null) {
            // parked by the broker itself (max-delivery-attempts after crashes), not by the error policy
            origin = in.getHeader("_AMQ_ORIG_ADDRESS", String.class);
            reason = reason != null ? reason : "The broker gave up after its maximum delivery attempts"
                    + " (the hub stopped or failed while processing it).";
        }
        Instant failedAt = parseInstant(in.getHeader(FAILED_AT, String.class));
        Instant now = ledger.now();
        jdbc.update("insert into dead_letter (id, jms_message_id, tenant_id, transaction_id, origin_queue, failed_route,"
                        + " reason, failed_at, parked_at, headers, body, body_text, sha256, status, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PARKED', ?) on conflict do nothing",
                Ids.timeOrdered().toString(), jmsId, headers.get("hubTenantId"), headers.get("hubTransactionId"),
                origin, in.getHeader(ROUTE, String.class), cut(reason, 1000),
                failedAt == null ? null : Timestamp.from(failedAt), Timestamp.from(now),
                json.writeValueAsString(headers), bytes == null ? new byte[0] : bytes, body instanceof String,
                Ledger.sha256(bytes == null ? new byte[0] : bytes), Timestamp.from(now));
    }

    public record DeadLetter(String id, String tenantId, String transactionId, String originQueue, String failedRoute,
                             String reason, Instant failedAt, Instant parkedAt, Map<String, String> headers,
                             long bodyBytes, boolean bodyText, String sha256, String status, Instant updatedAt) {}

    public record Action(String action, String actor, String note, Instant at) {}

    /** Parked messages, newest first; tenant null means every tenant's (the operator's view). */
    public List<DeadLetter> list(String tenantId, String status, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (tenantId != null) {
            sql.append(" and tenant_id = ?");
            args.add(tenantId);
        }
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        sql.append(" order by parked_at desc, id limit ").append(limit);
        return jdbc.query(sql.toString(), this::deadLetter, args.toArray());
    }

    /** One dead letter; with a tenant, only that tenant's (another's is as absent as one that does not exist). */
    public Optional<DeadLetter> find(String tenantId, String id) {
        return tenantId == null
                ? jdbc.query(SELECT + " where id = ?", this::deadLetter, id).stream().findFirst()
                : jdbc.query(SELECT + " where id = ? and tenant_id = ?", this::deadLetter, id, tenantId).stream().findFirst();
    }

    /** The message body exactly as it was parked (not part of the listings: bodies may be large). */
    public byte[] body(String id) {
        return jdbc.queryForObject("select body from dead_letter where id = ?", byte[].class, id);
    }

    public List<Action> actions(String id) {
        return jdbc.query("select action, actor, note, occurred_at from dead_letter_action where dead_letter_id = ?"
                + " order by id", (rs, i) -> new Action(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getTimestamp(4).toInstant()), id);
    }

    /**
     * Claims a parked message for a replay: only one caller wins (PARKED -> REPLAYING). A claim left by a hub that
     * stopped mid-replay may be taken again after {@code stale}; the resend is harmless (see Replays).
     */
    public boolean claim(String id, Duration stale) {
        Instant now = ledger.now();
        return jdbc.update("update dead_letter set status = 'REPLAYING', updated_at = ? where id = ? and (status = 'PARKED'"
                        + " or (status = 'REPLAYING' and updated_at < ?))", Timestamp.from(now), id,
                Timestamp.from(now.minus(stale))) == 1;
    }

    /** Back to PARKED when the replay could not be sent. */
    public void release(String id) {
        jdbc.update("update dead_letter set status = 'PARKED', updated_at = ? where id = ? and status = 'REPLAYING'",
                Timestamp.from(ledger.now()), id);
    }

    /** Ends a message's life on the shelf: REPLAYED or DISCARDED, with who, why and when in the audit trail. */
    public boolean resolve(String id, String fromStatus, String toStatus, String actor, String note) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            int rows = jdbc.update("update dead_letter set status = ?, updated_at = ? where id = ? and status = ?",
                    toStatus, Timestamp.from(ledger.now()), id, fromStatus);
            if (rows == 1) {
                jdbc.update("insert into dead_letter_action (dead_letter_id, action, actor, note, occurred_at)"
                        + " values (?, ?, ?, ?, ?)", id, toStatus, actor, cut(note, 500), Timestamp.from(ledger.now()));
            }
            return rows == 1;
        }));
    }

    private static final String SELECT = "select id, tenant_id, transaction_id, origin_queue, failed_route, reason,"
            + " failed_at, parked_at, headers, octet_length(body), body_text, sha256, status, updated_at from dead_letter";

    private DeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
        Map<String, String> headers;
        try {
            headers = json.readValue(rs.getString(9), new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dead letter " + rs.getString(1) + " has unreadable headers", e);
        }
        Timestamp failedAt = rs.getTimestamp(7);
        return new DeadLetter(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), failedAt == null ? null : failedAt.toInstant(), rs.getTimestamp(8).toInstant(), headers,
                rs.getLong(10), rs.getBoolean(11), rs.getString(12), rs.getString(13), rs.getTimestamp(14).toInstant());
    }

    private static Instant parseInstant(String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}

package org.tradehub.ledger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The ledger's storage: transactions, their timelines and the documents exchanged. Callers own the transaction
 * boundaries (each stage writes its changes in one database transaction).
 */
@Component
public class Ledger {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    public Ledger(JdbcTemplate jdbc, Clock clock, com.fasterxml.jackson.databind.ObjectMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Stores a message as exchanged, with its SHA-256; returns the document id. */
    public String storeDocument(String tenantId, String transactionId, String kind, String direction,
                                String mediaType, String correlationId, byte[] content) {
        String id = Ids.timeOrdered().toString();
        jdbc.update("insert into document (id, tenant_id, transaction_id, kind, direction, media_type, correlation_id,"
                        + " content, sha256, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, tenantId, transactionId, kind, direction, mediaType, correlationId, content, sha256(content),
                Timestamp.from(now()));
        return id;
    }

    public void attachDocument(String documentId, String transactionId) {
        jdbc.update("update document set transaction_id = ? where id = ?", transactionId, documentId);
    }

    public Optional<byte[]> documentContent(String documentId) {
        return jdbc.query("select content from document where id = ?", (rs, i) -> rs.getBytes(1), documentId)
                .stream().findFirst();
    }

    public void insertTransaction(NewTransaction t) {
        Timestamp now = Timestamp.from(now());
        jdbc.update("insert into trade_transaction (id, tenant_id, source_channel, source_format, source_partner,"
                        + " external_id, external_number, status, currency, grand_total, destination_country,"
                        + " raw_document_id, canonical_document_id, received_at, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                t.id(), t.tenantId(), t.channel(), t.format(), t.partner(), t.externalId(), t.externalNumber(),
                t.status(), t.currency(), t.grandTotal(), t.destinationCountry(), t.rawDocumentId(),
                t.canonicalDocumentId(), Timestamp.from(t.receivedAt()), now);
    }

    public void updateCanonical(String transactionId, String status, String canonicalDocumentId, String currency,
                                BigDecimal grandTotal, String destinationCountry) {
        jdbc.update("update trade_transaction set status = ?, canonical_document_id = ?, currency = ?, grand_total = ?,"
                        + " destination_country = ?, updated_at = ? where id = ?",
                status, canonicalDocumentId, currency, grandTotal, destinationCountry, Timestamp.from(now()),
                transactionId);
    }

    public void setStatus(String transactionId, String status) {
        jdbc.update("update trade_transaction set status = ?, updated_at = ? where id = ?",
                status, Timestamp.from(now()), transactionId);
    }

    /** Sets the status unless the transaction stands at one of the given statuses already (or does not exist). */
    public void setStatusUnlessAt(String transactionId, String status, List<String> unlessAt) {
        List<Object> args = new ArrayList<>(List.of(status, Timestamp.from(now()), transactionId));
        args.addAll(unlessAt);
        jdbc.update("update trade_transaction set status = ?, updated_at = ? where id = ? and status not in ("
                + String.join(",", java.util.Collections.nCopies(unlessAt.size(), "?")) + ")", args.toArray());
    }

    /** A timeline event; details (may be null) are kept as JSON for the API. */
    public void addEvent(String transactionId, String type, String summary, java.util.Map<String, ?> details) {
        addEvent(transactionId, type, summary, details, now());
    }

    /**
     * A timeline event at its business time: when it happened, which may be before it could be recorded (a
     * declaration is submitted when the request leaves, while the single window's answer may be recorded first).
     */
    public void addEvent(String transactionId, String type, String summary, java.util.Map<String, ?> details,
                         Instant occurredAt) {
        String detailsJson;
        try {
            detailsJson = details == null ? null : json.writeValueAsString(details);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        org.springframework.jdbc.support.GeneratedKeyHolder key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.update(c -> {
            var insert = c.prepareStatement("insert into transaction_event (transaction_id, occurred_at, type, summary,"
                    + " details) values (?, ?, ?, ?, ?)", new String[] {"id"});
            insert.setString(1, transactionId);
            insert.setTimestamp(2, Timestamp.from(occurredAt));
            insert.setString(3, type);
            insert.setString(4, summary);
            insert.setString(5, detailsJson);
            return insert;
        }, key);
        // in the same database transaction: the event waits for the firm's endpoint if it has one and wants this type
        // (events/TenantEvents)
        EventTypes.noteRecorded(type);
        jdbc.update("insert into event_outbox (event_id, tenant_id) select ?, t.tenant_id from trade_transaction t"
                + " join event_subscription s on s.tenant_id = t.tenant_id and s.disabled_at is null where t.id = ?"
                + " and (s.every_type or exists (select 1 from event_subscription_type f"
                + " where f.tenant_id = s.tenant_id and ? like f.like_pattern escape '!'))",
                key.getKey().longValue(), transactionId, type);
    }

    public Optional<TransactionRecord> find(String tenantId, String id) {
        return jdbc.query(SELECT + " where tenant_id = ? and id = ?", Ledger::transaction, tenantId, id)
                .stream().findFirst();
    }

    /** For stages that got the id from our own queue (no tenant in scope). */
    public Optional<TransactionRecord> find(String id) {
        return jdbc.query(SELECT + " where id = ?", Ledger::transaction, id).stream().findFirst();
    }

    /**
     * The transaction of a source order, its row locked until the caller's database transaction ends: deliveries about
     * one order (an update and a payment at once, or replays taken side by side) are then recorded one after the
     * other, each seeing what the one before made of the order. Read without the lock, two saw it rejected, both made
     * it valid, and both queued its declaration.
     */
    public Optional<TransactionRecord> lockBySource(String tenantId, String channel, String externalId) {
        return jdbc.query(SELECT + " where tenant_id = ? and source_channel = ? and external_id = ? for update",
                Ledger::transaction, tenantId, channel, externalId).stream().findFirst();
    }

    /** A tenant's transaction, its row locked until the caller's database transaction ends (see lockBySource). */
    public Optional<TransactionRecord> lock(String tenantId, String id) {
        return jdbc.query(SELECT + " where tenant_id = ? and id = ? for update", Ledger::transaction, tenantId, id)
                .stream().findFirst();
    }

    /**
     * A tenant's transactions, newest first (received_at descending, then id), after the transaction {@code before}
     * in that order (null: from the newest): a page that follows the last one however many share its received_at (the
     * records of one file drop all do).
     */
    public List<TransactionRecord> search(String tenantId, String status, Instant since, String externalId,
                                          TransactionRecord before, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (before != null) {
            sql.append(" and (received_at < ? or (received_at = ? and id > ?))");
            args.addAll(List.of(Timestamp.from(before.receivedAt()), Timestamp.from(before.receivedAt()), before.id()));
        }
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        if (since != null) {
            sql.append(" and received_at >= ?");
            args.add(Timestamp.from(since));
        }
        if (externalId != null) {
            sql.append(" and external_id = ?");
            args.add(externalId);
        }
        sql.append(" order by received_at desc, id limit ").append(limit);
        return jdbc.query(sql.toString(), Ledger::transaction, args.toArray());
    }

    /**
     * One page of a tenant's history in a stable order (received_at, id), after the given position (null: from the
     * start); statuses null means all, since inclusive, until exclusive.
     */
    public List<TransactionRecord> page(String tenantId, List<String> statuses, Instant since, Instant until,
                                        Instant afterReceivedAt, String afterId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" where tenant_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId));
        if (statuses != null) {
            sql.append(" and status in (").append(String.join(",", java.util.Collections.nCopies(statuses.size(), "?")))
                    .append(")");
            args.addAll(statuses);
        }
        if (since != null) {
            sql.append(" and received_at >= ?");
            args.add(Timestamp.from(since));
        }
        if (until != null) {
            sql.append(" and received_at < ?");
            args.add(Timestamp.from(until));
        }
        if (afterReceivedAt != null) {
            sql.append(" and (received_at > ? or (received_at = ? and id > ?))");
            args.add(Timestamp.from(afterReceivedAt));
            args.add(Timestamp.from(afterReceivedAt));
            args.add(afterId);
        }
        sql.append(" order by received_at, id limit ").append(limit);
        return jdbc.query(sql.toString(), Ledger::transaction, args.toArray());
    }

    public List<TimelineEvent> timeline(String transactionId) {
        return jdbc.query("select occurred_at, type, summary, details from transaction_event where transaction_id = ?"
                        + " order by occurred_at, id", // business time; recording order breaks ties
                (rs, i) -> new TimelineEvent(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4)), transactionId);
    }

    private static final String SELECT = "select id, tenant_id, source_channel, source_format, source_partner,"
            + " external_id, external_number, status, currency, grand_total, destination_country, raw_document_id,"
            + " canonical_document_id, received_at, updated_at from trade_transaction";

    private static TransactionRecord transaction(ResultSet rs, int row) throws SQLException {
        return new TransactionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getBigDecimal(10), rs.getString(11), rs.getString(12), rs.getString(13),
                rs.getTimestamp(14).toInstant(), rs.getTimestamp(15).toInstant());
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public record NewTransaction(String id, String tenantId, String channel, String format, String partner,
                                 String externalId, String externalNumber, String status, String currency,
                                 BigDecimal grandTotal, String destinationCountry, String rawDocumentId,
                                 String canonicalDocumentId, Instant receivedAt) {}

    public record TransactionRecord(String id, String tenantId, String channel, String format, String partner,
                                    String externalId, String externalNumber, String status, String currency,
                                    BigDecimal grandTotal, String destinationCountry, String rawDocumentId,
                                    String canonicalDocumentId, Instant receivedAt, Instant updatedAt) {}

    public record TimelineEvent(Instant at, String type, String summary, String details) {}
}

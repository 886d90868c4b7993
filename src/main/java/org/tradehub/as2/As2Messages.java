package org.tradehub.as2;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ids;

/** AS2 messages in both directions (table as2_message). */
@Component
public class As2Messages {

    public static final String RECEIVED = "RECEIVED";
    public static final String SENT = "SENT";
    public static final String AWAITING_MDN = "AWAITING_MDN";
    public static final String DELIVERED = "DELIVERED";
    public static final String REJECTED = "REJECTED";
    public static final String MDN_OVERDUE = "MDN_OVERDUE";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public As2Messages(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Outbound(String id, String partnerId, String tenantId, String messageId, String mic,
                           String status, String documentType, String contentType, String fileName,
                           String transactionId, String documentId, int attempts, String micUncompressed) {

        /** The same message after an attempt: its MICs (they depend only on content and profile) and count. */
        Outbound attempt(String newMic, String newMicUncompressed, String newStatus, int newAttempts) {
            return new Outbound(id, partnerId, tenantId, messageId, newMic, newStatus, documentType, contentType,
                    fileName, transactionId, documentId, newAttempts, newMicUncompressed);
        }
    }

    /** The payload hash an earlier inbound message with this Message-ID carried, if there was one. */
    public Optional<String> inboundPayloadHash(String partnerId, String messageId) {
        return jdbc.queryForList("select payload_sha256 from as2_message where direction = 'IN' and partner_id = ?"
                + " and message_id = ?", String.class, partnerId, messageId).stream().findFirst();
    }

    /** Records a received message once it is durably queued; a concurrent copy already recorded is fine. */
    public void recordInbound(String partnerId, String tenantId, String messageId, String sha256, String mic,
                              String receiptId, String contentType) {
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.update("insert into as2_message (id, direction, partner_id, tenant_id, message_id, payload_sha256, mic,"
                            + " status, receipt_id, content_type, attempts, created_at, updated_at)"
                            + " values (?, 'IN', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    Ids.timeOrdered().toString(), partnerId, tenantId, messageId, sha256, mic, RECEIVED, receiptId,
                    contentType, now, now);
        } catch (DuplicateKeyException alreadyRecorded) {
            // the same message arrived twice at once; both copies were answered, the interchange is queued
        }
    }

    public Optional<Outbound> outbound(String partnerId, String messageId) {
        return jdbc.query(OUT + " where direction = 'OUT' and partner_id = ? and message_id = ?", As2Messages::out,
                partnerId, messageId).stream().findFirst();
    }

    public void insertOutbound(Outbound o, String sha256, Instant mdnDueAt) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("insert into as2_message (id, direction, partner_id, tenant_id, message_id, payload_sha256, mic,"
                        + " status, document_type, content_type, file_name, transaction_id, document_id, attempts,"
                        + " mdn_due_at, created_at, updated_at, mic_uncompressed)"
                        + " values (?, 'OUT', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                o.id(), o.partnerId(), o.tenantId(), o.messageId(), sha256, o.mic(), o.status(), o.documentType(),
                o.contentType(), o.fileName(), o.transactionId(), o.documentId(), o.attempts(),
                mdnDueAt == null ? null : Timestamp.from(mdnDueAt), now, now, o.micUncompressed());
    }

    public void attempt(String id, int attempts, String status, Instant mdnDueAt) {
        jdbc.update("update as2_message set attempts = ?, status = ?, mdn_due_at = ?, updated_at = ? where id = ?",
                attempts, status, mdnDueAt == null ? null : Timestamp.from(mdnDueAt), Timestamp.from(clock.instant()), id);
    }

    /**
     * Claims an overdue message for its next attempt: only one hub instance (of several sharing the database) wins,
     * because the update is conditional on the attempt count it read. Returns whether this call won.
     */
    public boolean claimResend(String id, int attemptsSeen, Instant nextDue) {
        return jdbc.update("update as2_message set attempts = ?, mdn_due_at = ?, updated_at = ? where id = ?"
                        + " and status = 'AWAITING_MDN' and attempts = ?", attemptsSeen + 1, Timestamp.from(nextDue),
                Timestamp.from(clock.instant()), id, attemptsSeen) == 1;
    }

    /** Sets the outcome unless it is already final; returns whether this call set it. */
    public boolean settle(String id, String status, String disposition) {
        return jdbc.update("update as2_message set status = ?, disposition = ?, mdn_due_at = null, updated_at = ?"
                        + " where id = ? and status in ('SENT', 'AWAITING_MDN')",
                status, disposition, Timestamp.from(clock.instant()), id) == 1;
    }

    public List<Outbound> overdue() {
        return jdbc.query(OUT + " where status = 'AWAITING_MDN' and mdn_due_at < ? order by mdn_due_at",
                As2Messages::out, Timestamp.from(clock.instant()));
    }

    private static final String OUT = "select id, partner_id, tenant_id, message_id, mic, status, document_type,"
            + " content_type, file_name, transaction_id, document_id, attempts, mic_uncompressed from as2_message";

    private static Outbound out(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Outbound(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getInt(12), rs.getString(13));
    }
}

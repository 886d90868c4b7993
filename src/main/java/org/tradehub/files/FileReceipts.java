package org.tradehub.files;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ids;

/**
 * The de-duplication store of file drops, in the database so every hub instance and every restart sees it: one row
 * per (partner, purpose, file name, content hash).
 */
@Component
public class FileReceipts {

    /** A claim on a file: its receipt id (stable when a crashed pick-up is resumed) and whether it was done already. */
    public record Claim(String id, Instant receivedAt, boolean alreadyDone) {}

    private final JdbcTemplate jdbc;

    public FileReceipts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Claim claim(String partner, String purpose, String fileName, String sha256, long size, Instant now) {
        jdbc.update("insert into file_receipt (id, partner_id, purpose, file_name, sha256, size_bytes, status,"
                        + " received_at) values (?, ?, ?, ?, ?, ?, 'RECEIVING', ?) on conflict do nothing",
                Ids.timeOrdered().toString(), partner, purpose, fileName, sha256, size, Timestamp.from(now));
        return jdbc.queryForObject("select id, received_at, status from file_receipt where partner_id = ? and"
                        + " purpose = ? and file_name = ? and sha256 = ?",
                (rs, i) -> new Claim(rs.getString(1), rs.getTimestamp(2).toInstant(), "DONE".equals(rs.getString(3))),
                partner, purpose, fileName, sha256);
    }

    /** How many records of the file are on the broker (committed), so a resumed pick-up skips them. */
    public int queued(String id) {
        Integer n = jdbc.queryForObject("select queued_records from file_receipt where id = ?", Integer.class, id);
        return n == null ? 0 : n;
    }

    public void queued(String id, int records) {
        jdbc.update("update file_receipt set queued_records = ? where id = ? and queued_records < ?", records, id, records);
    }

    public void done(String id, String format, int records, String archivedAs, Instant now) {
        jdbc.update("update file_receipt set status = 'DONE', format = ?, records = ?, reason = null, archived_as = ?,"
                + " completed_at = ? where id = ?", format, records, archivedAs, Timestamp.from(now), id);
    }

    public void failed(String id, String reason, String archivedAs, Instant now) {
        jdbc.update("update file_receipt set status = 'ERROR', reason = ?, archived_as = ?, completed_at = ?"
                + " where id = ?", reason.length() > 4000 ? reason.substring(0, 4000) : reason, archivedAs,
                Timestamp.from(now), id);
    }

    public List<java.util.Map<String, Object>> recent(String partner, int limit) {
        return jdbc.queryForList("select id, purpose, file_name, sha256, size_bytes, format, status, records, reason,"
                + " archived_as, received_at, completed_at from file_receipt where partner_id = ?"
                + " order by received_at desc limit ?", partner, limit);
    }
}

package org.tradehub.consent;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ids;

/**
 * Storage of consents and of the log of every bank access. No caching: a revocation is in force for the very next
 * request of the bank.
 */
@Component
public class Consents {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public Consents(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public Consent grant(String tenantId, String bankId, Instant from, Instant until, List<String> statuses,
                         List<String> fields, Instant historyFrom, Instant historyUntil, String purpose) {
        String id = Ids.timeOrdered().toString();
        jdbc.update("insert into consent (id, tenant_id, bank_id, valid_from, valid_until, statuses, fields,"
                        + " history_from, history_until, purpose, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, tenantId, bankId, ts(from), ts(until), join(statuses), join(fields), ts(historyFrom),
                ts(historyUntil), purpose, ts(now()));
        return find(tenantId, id).orElseThrow();
    }

    /** Revokes at once; true when this call revoked it (false: it was revoked already). */
    public boolean revoke(String tenantId, String id) {
        return jdbc.update("update consent set revoked_at = ? where tenant_id = ? and id = ? and revoked_at is null",
                ts(now()), tenantId, id) == 1;
    }

    public Optional<Consent> find(String tenantId, String id) {
        return jdbc.query(SELECT + " where tenant_id = ? and id = ?", Consents::consent, tenantId, id).stream().findFirst();
    }

    public List<Consent> ofTenant(String tenantId) {
        return jdbc.query(SELECT + " where tenant_id = ? order by created_at desc, id", Consents::consent, tenantId);
    }

    /** The bank's consents from this tenant, newest first (the first one in force is the one that applies). */
    public List<Consent> ofBankAndTenant(String bankId, String tenantId) {
        return jdbc.query(SELECT + " where bank_id = ? and tenant_id = ? order by created_at desc, id",
                Consents::consent, bankId, tenantId);
    }

    /** Every consent given to this bank, newest first: what it may read, from whom, until when. */
    public List<Consent> ofBank(String bankId) {
        return jdbc.query(SELECT + " where bank_id = ? order by created_at desc, id", Consents::consent, bankId);
    }

    public void logAccess(String bankId, String tenantId, String consentId, boolean granted, String reason,
                          String request, String mediaType, int records) {
        jdbc.update("insert into consent_access (bank_id, tenant_id, consent_id, occurred_at, granted, reason, request,"
                        + " media_type, records) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", bankId, cut(tenantId, 64),
                consentId, ts(now()), granted, reason, cut(request, 1000), mediaType, records);
    }

    public record Access(Instant at, String bankId, String consentId, boolean granted, String reason, String request,
                         String mediaType, int records) {}

    /** Accesses under one consent (consentId set) or to all of the tenant's data (null), newest first. */
    public List<Access> accesses(String tenantId, String consentId, int limit) {
        String where = consentId == null ? " where tenant_id = ?" : " where tenant_id = ? and consent_id = ?";
        Object[] args = consentId == null ? new Object[] {tenantId} : new Object[] {tenantId, consentId};
        return jdbc.query("select occurred_at, bank_id, consent_id, granted, reason, request, media_type, records"
                        + " from consent_access" + where + " order by id desc limit " + limit,
                (rs, i) -> new Access(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getBoolean(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8)), args);
    }

    private static final String SELECT = "select id, tenant_id, bank_id, valid_from, valid_until, statuses, fields,"
            + " history_from, history_until, purpose, created_at, revoked_at from consent";

    private static Consent consent(ResultSet rs, int row) throws SQLException {
        return new Consent(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
                split(rs.getString(6)), split(rs.getString(7)), instant(rs, 8), instant(rs, 9), rs.getString(10),
                instant(rs, 11), instant(rs, 12));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static String join(List<String> values) {
        return values == null ? null : String.join(",", values);
    }

    private static List<String> split(String value) {
        return value == null ? null : Arrays.asList(value.split(","));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}

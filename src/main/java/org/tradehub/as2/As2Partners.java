package org.tradehub.as2;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** AS2 partner profiles (table as2_partner). */
@Component
public class As2Partners {

    private static final String SELECT = "select partner_id, tenant_id, as2_id, our_as2_id, url, partner_cert_alias,"
            + " our_key_alias, require_signature, require_encryption, sign_outbound, encrypt_outbound,"
            + " compress_outbound, signing_algorithm, encryption_algorithm, mdn_mode, mdn_signed, mdn_timeout_seconds"
            + " from as2_partner";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public As2Partners(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<As2Partner> find(String partnerId) {
        return jdbc.query(SELECT + " where partner_id = ?", As2Partners::row, partnerId).stream().findFirst();
    }

    /** The partner that sends as {@code as2From} to our {@code as2To}. */
    public Optional<As2Partner> findByAs2Ids(String as2From, String as2To) {
        return jdbc.query(SELECT + " where as2_id = ? and our_as2_id = ?", As2Partners::row, as2From, as2To)
                .stream().findFirst();
    }

    public List<As2Partner> list() {
        return jdbc.query(SELECT + " order by partner_id", As2Partners::row);
    }

    public void save(As2Partner p) {
        Timestamp now = Timestamp.from(clock.instant());
        Object[] values = {p.tenantId(), p.as2Id(), p.ourAs2Id(), p.url(), p.partnerCertAlias(), p.ourKeyAlias(),
                p.requireSignature(), p.requireEncryption(), p.signOutbound(), p.encryptOutbound(),
                p.compressOutbound().wire(), p.signingAlgorithm(), p.encryptionAlgorithm(), p.mdnMode().wire(),
                p.mdnSigned(), p.mdnTimeoutSeconds(), now, p.partnerId()};
        int updated = jdbc.update("update as2_partner set tenant_id = ?, as2_id = ?, our_as2_id = ?, url = ?,"
                + " partner_cert_alias = ?, our_key_alias = ?, require_signature = ?, require_encryption = ?,"
                + " sign_outbound = ?, encrypt_outbound = ?, compress_outbound = ?, signing_algorithm = ?,"
                + " encryption_algorithm = ?, mdn_mode = ?, mdn_signed = ?, mdn_timeout_seconds = ?, updated_at = ?"
                + " where partner_id = ?", values);
        if (updated == 0) {
            jdbc.update("insert into as2_partner (tenant_id, as2_id, our_as2_id, url, partner_cert_alias, our_key_alias,"
                    + " require_signature, require_encryption, sign_outbound, encrypt_outbound, compress_outbound,"
                    + " signing_algorithm, encryption_algorithm, mdn_mode, mdn_signed, mdn_timeout_seconds, created_at,"
                    + " partner_id, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    concat(values, now));
        }
    }

    private static Object[] concat(Object[] values, Object last) {
        Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = last;
        return out;
    }

    private static As2Partner row(ResultSet rs, int i) throws SQLException {
        return new As2Partner(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getBoolean(9), rs.getBoolean(10),
                rs.getBoolean(11), As2Partner.Compression.of(rs.getString(12)), rs.getString(13), rs.getString(14),
                As2Partner.MdnMode.of(rs.getString(15)), rs.getBoolean(16), rs.getInt(17));
    }
}

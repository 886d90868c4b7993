package org.tradehub.edi;

import java.sql.Timestamp;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ledger;

/**
 * EDI options per (tenant, trading partner), the tenant-level EDI choices, and our interchange control numbers.
 * Partners without a profile still get acknowledgements: we answer from the identifiers they addressed.
 */
@Component
public class EdiPartners {

    private final JdbcTemplate jdbc;
    private final Ledger ledger;

    public EdiPartners(JdbcTemplate jdbc, Ledger ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    /**
     * @param standard           EDIFACT or X12: what we send to the partner
     * @param ourId              our identifier in UNB S002 / ISA06
     * @param theirId            the partner's identifier in UNB S003 / ISA08
     * @param channel            outbound channel (hub.outbound.&lt;channel&gt;); null = the one the interchange came in on
     * @param syntaxIdentifier   EDIFACT character set (UNOC, UNOW ...)
     * @param messageRelease     ORDRSP directory (D96A, D01B) or X12 version (004010, 005010)
     */
    public record Profile(String tenantId, String partnerId, String standard, String ourId, String ourQualifier,
                          String theirId, String theirQualifier, String channel, boolean sendAcknowledgements,
                          boolean sendOrderResponses, String syntaxIdentifier, String messageRelease,
                          boolean test) {
    }

    public Optional<Profile> find(String tenantId, String partnerId) {
        return jdbc.query("select tenant_id, partner_id, standard, our_id, our_qualifier, their_id, their_qualifier,"
                        + " channel, send_acknowledgements, send_order_responses, syntax_identifier, message_release,"
                        + " test_indicator from edi_partner where tenant_id = ? and partner_id = ?",
                (rs, i) -> new Profile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBoolean(9),
                        rs.getBoolean(10), rs.getString(11), rs.getString(12), rs.getBoolean(13)),
                tenantId, partnerId).stream().findFirst();
    }

    /** Creates or replaces a partner's profile (one statement each, so a concurrent reader sees old or new). */
    public void save(Profile p) {
        Timestamp now = Timestamp.from(ledger.now());
        int updated = jdbc.update("update edi_partner set standard = ?, our_id = ?, our_qualifier = ?, their_id = ?,"
                        + " their_qualifier = ?, channel = ?, send_acknowledgements = ?, send_order_responses = ?,"
                        + " syntax_identifier = ?, message_release = ?, test_indicator = ?, updated_at = ?"
                        + " where tenant_id = ? and partner_id = ?",
                p.standard(), p.ourId(), p.ourQualifier(), p.theirId(), p.theirQualifier(), p.channel(),
                p.sendAcknowledgements(), p.sendOrderResponses(), p.syntaxIdentifier(), p.messageRelease(),
                p.test(), now, p.tenantId(), p.partnerId());
        if (updated == 0) {
            jdbc.update("insert into edi_partner (tenant_id, partner_id, standard, our_id, our_qualifier, their_id,"
                            + " their_qualifier, channel, send_acknowledgements, send_order_responses, syntax_identifier,"
                            + " message_release, test_indicator, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    p.tenantId(), p.partnerId(), p.standard(), p.ourId(), p.ourQualifier(), p.theirId(),
                    p.theirQualifier(), p.channel(), p.sendAcknowledgements(), p.sendOrderResponses(),
                    p.syntaxIdentifier(), p.messageRelease(), p.test(), now);
        }
    }

    /** The single-window partner that takes this tenant's export declarations as CUSDEC, if the tenant chose one. */
    public Optional<String> cusdecPartner(String tenantId) {
        return jdbc.queryForList("select cusdec_partner_id from edi_tenant_settings where tenant_id = ?"
                + " and cusdec_partner_id is not null", String.class, tenantId).stream().findFirst();
    }

    public void saveCusdecPartner(String tenantId, String partnerId) {
        Timestamp now = Timestamp.from(ledger.now());
        if (jdbc.update("update edi_tenant_settings set cusdec_partner_id = ?, updated_at = ? where tenant_id = ?",
                partnerId, now, tenantId) == 0) {
            jdbc.update("insert into edi_tenant_settings (tenant_id, cusdec_partner_id, updated_at) values (?, ?, ?)",
                    tenantId, partnerId, now);
        }
    }

    /**
     * The next interchange control number towards the partner (1, 2, ...). Call inside the database transaction that
     * records the document: the update locks the row, so two replicas never hand out the same number, and a rollback
     * gives the number back.
     */
    public long nextControlNumber(String tenantId, String partnerId) {
        jdbc.update("insert into edi_control_counter (tenant_id, partner_id, last_value) values (?, ?, 0)"
                + " on conflict do nothing", tenantId, partnerId);
        jdbc.update("update edi_control_counter set last_value = last_value + 1 where tenant_id = ? and partner_id = ?",
                tenantId, partnerId);
        return jdbc.queryForObject("select last_value from edi_control_counter where tenant_id = ? and partner_id = ?",
                Long.class, tenantId, partnerId);
    }
}

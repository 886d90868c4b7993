package org.tradehub.edi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.declaration.Declarations;
import org.tradehub.ledger.Ledger;
import org.tradehub.services.PlanSteps;
import org.tradehub.ledger.TransactionStatus;

/**
 * Export declarations as UN/EDIFACT CUSDEC over AS2 (route out-declaration-cusdec-as2). The LRN is fixed on the first
 * attempt (declaration row); once the CUSDEC is recorded as submitted it is not built again. Its answers (CUSRES,
 * CONTRL) come back through in-edi-interchange and {@link EdiAnswers}.
 */
@Component("cusdecDeclarations")
public class CusdecDeclarations {

    /** The declaration target (queue hub.declarations.cusdec-as2, declaration.target). */
    public static final String TARGET = "cusdec-as2";
    /** Set by prepare() when the CUSDEC is to be built (the route's template step). */
    public static final String BUILD = "hubBuildCusdec";
    /**
     * The single window has answered: the CUSDEC reached it (or its CONTRL refused it: REFUSED, and the same
     * declaration would be refused again), nothing is sent again.
     */
    private static final List<String> ANSWERED = List.of("ACCEPTED", "REJECTED", "REFUSED", "CLEARED");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Ledger ledger;
    private final EdiPartners partners;
    private final Declarations declarations;

    private final EdiOutbox outbox;

    private final PlanSteps planSteps;

    public CusdecDeclarations(JdbcTemplate jdbc, TransactionTemplate tx, Ledger ledger, EdiPartners partners,
                              Declarations declarations, EdiOutbox outbox, PlanSteps planSteps) {
        this.planSteps = planSteps;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.tx = tx;
        this.ledger = ledger;
        this.partners = partners;
        this.declarations = declarations;
    }

    /**
     * Fixes the LRN and, the first time, loads the canonical transaction and the template's parameters (sets BUILD).
     * A CUSDEC already recorded as submitted and not yet answered is queued again from the ledger, byte for byte with
     * its interchange reference: the hub may have stopped after the database commit that recorded it and before the
     * queue commit that sent it, and the broker then redelivers this message (a replay does the same). Once the
     * single window answered (CONTRL, CUSRES), nothing is sent again.
     */
    public void prepare(Exchange exchange) {
        Message in = exchange.getMessage();
        String transactionId = in.getHeader("hubTransactionId", String.class);
        var transaction = ledger.find(transactionId)
                .orElseThrow(() -> new IllegalStateException("no transaction " + transactionId));
        String tenant = transaction.tenantId();
        String lrn = Declarations.lrnFor(transactionId);
        String status = declarations.attempt(transactionId, TARGET);
        if (ANSWERED.contains(status)) {
            return;
        }
        if ("SUBMITTED".equals(status)) {
            resendUnanswered(in, tenant, transactionId);
            return;
        }
        String partner = partners.cusdecPartner(tenant)
                .orElseThrow(() -> new IllegalStateException("tenant " + tenant + " has no CUSDEC single window"));
        EdiPartners.Profile profile = partners.find(tenant, partner)
                .orElseThrow(() -> new IllegalStateException("no EDI profile for single window " + partner));
        in.setHeader(BUILD, true);
        LocalDateTime now = LocalDateTime.ofInstant(ledger.now(), ZoneOffset.UTC);
        in.setHeader("hubTenantId", tenant);
        in.setHeader("hubPartnerId", partner);
        in.setHeader("lrn", lrn);
        in.setHeader("ourId", profile.ourId());
        in.setHeader("ourQualifier", nz(profile.ourQualifier()));
        in.setHeader("theirId", profile.theirId());
        in.setHeader("theirQualifier", nz(profile.theirQualifier()));
        in.setHeader("interchangeDate", DateTimeFormatter.ofPattern("yyMMdd").format(now));
        in.setHeader("interchangeTime", DateTimeFormatter.ofPattern("HHmm").format(now));
        in.setHeader("documentDateTime", DateTimeFormatter.ofPattern("yyyyMMddHHmm").format(now));
        in.setHeader("testIndicator", profile.test() ? "1" : "");
        // the control number is drawn here and written with the document in submitted(): a retry before that point
        // draws a new one, which is harmless since nothing carrying the old one left the hub
        in.setHeader("controlRef", String.valueOf(partners.nextControlNumber(tenant, partner)));
        jdbc.query("select declarant_eori, exit_office_id, procedure_code, eori from exporter_profile where tenant_id = ?",
                rs -> {
                    String declarant = rs.getString(1) != null ? rs.getString(1) : rs.getString(4);
                    in.setHeader("declarantEori", nz(declarant));
                    in.setHeader("exitOfficeId", nz(rs.getString(2)));
                    in.setHeader("procedureCode", nz(rs.getString(3)));
                }, tenant);
        in.setBody(new String(ledger.documentContent(transaction.canonicalDocumentId()).orElseThrow(
                () -> new IllegalStateException("transaction " + transactionId + " has no canonical document")),
                StandardCharsets.UTF_8));
    }

    /**
     * Checks the CUSDEC by reading it back (the hub never sends an interchange its own reader refuses), then records
     * it, the declaration as submitted and the timeline event in one database transaction, and leaves the outbound
     * contract's headers for hub.outbound.as2.
     */
    public void submitted(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        byte[] cusdec = in.getBody(String.class).getBytes(StandardCharsets.ISO_8859_1);
        EdiOutbox.readBack(cusdec, "CUSDEC", "canonical-to-cusdec");
        String transactionId = in.getHeader("hubTransactionId", String.class);
        String tenant = in.getHeader("hubTenantId", String.class);
        String partner = in.getHeader("hubPartnerId", String.class);
        String lrn = in.getHeader("lrn", String.class);
        String controlRef = in.getHeader("controlRef", String.class);
        String documentId = tx.execute(s -> {
            String id = ledger.storeDocument(tenant, transactionId, "CUSDEC", "out", "application/EDIFACT", lrn,
                    cusdec);
            jdbc.update("insert into edi_outbound (tenant_id, partner_id, document_type, transaction_id, control_ref,"
                            + " document_id, created_at) values (?, ?, 'CUSDEC', ?, ?, ?, ?)", tenant, partner,
                    transactionId, controlRef, id, Timestamp.from(ledger.now()));
            jdbc.update("update declaration set status = 'SUBMITTED', document_id = ?, updated_at = ?"
                    + " where transaction_id = ? and target = ?", id, Timestamp.from(ledger.now()), transactionId, TARGET);
            declarations.advance(transactionId, TransactionStatus.DECLARATION_SUBMITTED);
            planSteps.declarationOutcome(transactionId, PlanSteps.SENT, null);
            ledger.addEvent(transactionId, "DECLARATION_SUBMITTED", "The export declaration (LRN " + lrn + ") was sent"
                    + " as CUSDEC (interchange " + controlRef + ") to the single window " + partner + " over AS2.",
                    Map.of("lrn", lrn, "interchangeRef", controlRef, "documentId", id));
            return id;
        });
        EdiOutbox.toChannel(in, new EdiOutbox.Outgoing(tenant, partner, transactionId, "CUSDEC", documentId, controlRef,
                EdiOutbox.contentType(EdiInput.EDIFACT), channel(tenant, partner)), cusdec);
    }

    /** Queues the recorded CUSDEC again unless the single window has acknowledged its interchange already. */
    private void resendUnanswered(Message in, String tenant, String transactionId) {
        tx.executeWithoutResult(s -> jdbc.query("select partner_id, control_ref, document_id from edi_outbound where"
                + " tenant_id = ? and document_type = 'CUSDEC' and transaction_id = ?", rs -> {
                    String partner = rs.getString(1);
                    String controlRef = rs.getString(2);
                    boolean acknowledged = !jdbc.queryForList("select 1 from transaction_event where transaction_id = ?"
                            + " and type in ('EDI_ACKNOWLEDGED', 'EDI_REJECTED_BY_PARTNER') and details like ?",
                            transactionId, "%\"interchangeRef\":\"" + controlRef + "\"%").isEmpty();
                    if (!acknowledged) {
                        outbox.resend(in, new EdiOutbox.Outgoing(tenant, partner, transactionId, "CUSDEC",
                                rs.getString(3), controlRef, EdiOutbox.contentType(EdiInput.EDIFACT),
                                channel(tenant, partner)), "the declaration was asked for again before the single"
                                + " window answered (a redelivery after an interruption, or a replay).");
                    }
                }, tenant, transactionId));
    }

    /** hub.outbound.&lt;channel&gt; of the single window: its profile's channel, AS2 by default. */
    private String channel(String tenant, String partner) {
        return partners.find(tenant, partner).map(EdiPartners.Profile::channel).orElse("as2");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

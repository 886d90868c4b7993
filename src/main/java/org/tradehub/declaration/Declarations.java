package org.tradehub.declaration;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.config.HubProperties;
import org.tradehub.intake.HubHeaders;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.TransactionStatus;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The export declaration's life in the ledger: prepared once per transaction and target with a fixed LRN, submitted
 * at most until the single window has taken it, and then moved on only by the single window's answers.
 */
@Component("declarations")
public class Declarations {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Declarations.class);

    public static final String SKIP = "hubDeclarationAlreadySubmitted";
    /** When the declaration request left the hub (ISO instant). */
    static final String SENT_AT = "hubDeclarationSentAt";
    /** States after which the declaration must never be sent again. */
    private static final List<String> TAKEN = List.of("SUBMITTED", "ACCEPTED", "REJECTED", "REFUSED", "CLEARED",
            "EXITED", "UNDER_CONTROL");

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final TransactionTemplate tx;
    private final HubProperties.GbCds gbCds;
    private final ExchangeRates rates;
    private final org.tradehub.services.PlanSteps planSteps;

    public Declarations(JdbcTemplate jdbc, Ledger ledger, TransactionTemplate tx, HubProperties hub,
                        ExchangeRates rates, org.tradehub.services.PlanSteps planSteps) {
        this.rates = rates;
        this.planSteps = planSteps;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.tx = tx;
        this.gbCds = hub.singleWindow().gbCds();
    }

    /**
     * Loads the canonical transaction and the exporter's customs profile as the mapping's parameters. Sets
     * {@link #SKIP} when the single window already has this declaration. One query: the transaction, its declaration
     * to this target, the profile and the canonical document.
     */
    public void prepare(Exchange exchange) {
        Message in = exchange.getMessage();
        String transactionId = in.getHeader("hubTransactionId", String.class);
        String target = in.getHeader("hubDeclarationTarget", String.class);
        boolean found = Boolean.TRUE.equals(jdbc.query("select t.tenant_id, t.currency, d.status, c.content, "
                + PROFILE_COLUMNS + " from trade_transaction t"
                + " left join declaration d on d.transaction_id = t.id and d.target = ?"
                + " left join exporter_profile p on p.tenant_id = t.tenant_id"
                + " left join document c on c.id = t.canonical_document_id where t.id = ?", rs -> {
                    if (!rs.next()) {
                        return false;
                    }
                    String status = rs.getString(3);
                    if (status == null) {
                        create(transactionId, target); // planned before the service plan made the row
                    } else if (TAKEN.contains(status)) {
                        in.setHeader(SKIP, true);
                        return true;
                    }
                    byte[] canonical = rs.getBytes(4);
                    if (canonical == null) {
                        throw new IllegalStateException("transaction " + transactionId + " has no canonical document");
                    }
                    in.setHeader("hubTenantId", rs.getString(1));
                    profileHeaders(in, rs, 5);
                    transactionHeaders(in, transactionId, rs.getString(2));
                    in.setBody(new String(canonical, StandardCharsets.UTF_8));
                    return true;
                }, target, transactionId));
        if (!found) {
            throw new IllegalStateException("no transaction " + transactionId);
        }
    }

    /** The exporter profile's columns the DMS mapping takes, in the order {@link #profileHeaders} reads them. */
    private static final String PROFILE_COLUMNS = "p.declarant_eori, p.exit_office_id, p.goods_location_name,"
            + " p.procedure_code, p.border_transport_mode_code, p.badge_identifier, p.eori";

    /**
     * The DMS mapping's parameters as headers: the fixed LRN and the exporter's customs profile (also used when a
     * customs broker gets the DMS-ready declaration instead of the single window).
     */
    public void profileParameters(Message in, Ledger.TransactionRecord transaction) {
        jdbc.query("select " + PROFILE_COLUMNS + " from exporter_profile p where p.tenant_id = ?",
                rs -> { profileHeaders(in, rs, 1); }, transaction.tenantId());
        transactionHeaders(in, transaction.id(), transaction.currency());
    }

    /** The LRN, and the exchange rate to GBP of a transaction in another currency. */
    private void transactionHeaders(Message in, String transactionId, String currency) {
        in.setHeader("lrn", lrnFor(transactionId));
        if (currency != null && !"GBP".equals(currency)) {
            header(in, "exchangeRate", rates.gbpPer(currency));
        }
    }

    /** The profile's values, from {@link #PROFILE_COLUMNS} at column {@code first} on (all null: no profile). */
    private static void profileHeaders(Message in, java.sql.ResultSet rs, int first) throws java.sql.SQLException {
        String eori = rs.getString(first + 6);
        header(in, "declarantEori", rs.getString(first) != null ? rs.getString(first) : eori);
        header(in, "exitOfficeId", rs.getString(first + 1));
        header(in, "goodsLocationName", rs.getString(first + 2));
        header(in, "procedureCode", rs.getString(first + 3));
        header(in, "borderTransportModeCode", rs.getString(first + 4));
        header(in, "hubBadgeIdentifier", rs.getString(first + 5));
        header(in, "hubSubmitterIdentifier", eori);
    }

    /**
     * Counts an attempt at the declaration of a transaction to a target, creating it with its fixed LRN on the first;
     * returns its status (PREPARED until the single window has taken it).
     */
    public String attempt(String transactionId, String target) {
        return tx.execute(s -> {
            open(transactionId, target);
            jdbc.update("update declaration set attempts = attempts + 1 where transaction_id = ? and target = ?",
                    transactionId, target);
            return status(transactionId, target);
        });
    }

    /**
     * The declaration of a transaction to a target, created with its fixed LRN the first time (so that it is the
     * hub's own declaration from here on, whatever happens to the mapping); returns its status.
     */
    String open(String transactionId, String target) {
        create(transactionId, target);
        return status(transactionId, target);
    }

    /**
     * Creates the declaration of a transaction to a target, PREPARED with its fixed LRN, unless it exists: in the
     * service plan's transaction that decides on it (ServicePlanner).
     */
    public void create(String transactionId, String target) {
        jdbc.update("insert into declaration (transaction_id, target, lrn, status, attempts, created_at, updated_at)"
                        + " values (?, ?, ?, 'PREPARED', 0, ?, ?) on conflict do nothing",
                transactionId, target, lrnFor(transactionId), Timestamp.from(ledger.now()), Timestamp.from(ledger.now()));
    }

    private String status(String transactionId, String target) {
        return jdbc.queryForObject("select status from declaration where transaction_id = ? and target = ?",
                String.class, transactionId, target);
    }

    /**
     * The LRN (DE 2/5, an..22): derived from the transaction id, so every attempt carries the same one. "TH" and 20
     * hex digits of the id: of a time-ordered (version 7) id its last 20, which hold all its random bits (its first 12
     * are the millisecond it was made, which two transactions can share); of an older random (version 4) id its first
     * 20, as it was declared with before the hub made time-ordered ids.
     */
    public static String lrnFor(String transactionId) {
        String hex = transactionId.replace("-", "");
        boolean timeOrdered = hex.length() == 32 && hex.charAt(12) == '7';
        return ("TH" + (timeOrdered ? hex.substring(12) : hex)).substring(0, 22).toUpperCase(Locale.ROOT);
    }

    /** Keeps the declaration exactly as it will be sent, with its hash, and counts the attempt to send it. */
    public void store(Exchange exchange) {
        Message in = exchange.getMessage();
        String transactionId = in.getHeader("hubTransactionId", String.class);
        tx.executeWithoutResult(s -> {
            String documentId = ledger.storeDocument(in.getHeader("hubTenantId", String.class), transactionId,
                    "export-declaration", "out", "application/xml", in.getHeader("lrn", String.class),
                    in.getBody(byte[].class));
            jdbc.update("update declaration set document_id = ?, attempts = attempts + 1, updated_at = ?"
                            + " where transaction_id = ? and target = ?",
                    documentId, Timestamp.from(ledger.now()), transactionId, in.getHeader("hubDeclarationTarget"));
        });
    }

    /** The request headers the Customs Declarations API requires; nothing else of ours goes out. */
    public void requestHeaders(Exchange exchange) {
        Message in = exchange.getMessage();
        String badge = in.getHeader("hubBadgeIdentifier", String.class);
        String submitter = in.getHeader("hubSubmitterIdentifier", String.class);
        Object lrn = in.getHeader("lrn");
        HubHeaders.keepOnlyOurs(in);
        if (lrn != null) {
            in.setHeader("lrn", lrn); // the mapping's parameter, kept for the timeline's DECLARATION_SUBMITTED
        }
        // the business time of DECLARATION_SUBMITTED: the request leaves now, and the single window's DMSRCV can be
        // recorded before our 202 is (HMRC's callbacks can overtake the response too)
        in.setHeader(SENT_AT, ledger.now().toString());
        // the enum, not "POST": the http component reads this header as HttpMethods, and a String made Camel search its
        // whole converter registry on every request (a tenth of the declaration stage's CPU in the benchmark)
        in.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        in.setHeader("Accept", "application/vnd.hmrc.1.0+xml");
        in.setHeader(Exchange.CONTENT_TYPE, "application/xml; charset=UTF-8");
        in.setHeader("Authorization", "Bearer " + gbCds.bearerToken());
        if (badge != null) {
            in.setHeader("X-Badge-Identifier", badge);
        } else if (submitter != null) {
            in.setHeader("X-Submitter-Identifier", submitter);
        }
    }

    /**
     * 202: the single window has the declaration; from now on only its notifications move it. Recorded once: two
     * messages for one declaration (a duplicate delivery of the order queues it again while the first still waits for
     * the single window) can both be sent, with the same LRN, and both answered 202; the declaration's row, locked
     * here, tells the second that the first was recorded. A notification recorded before this 202 (HMRC's callbacks
     * can overtake the response) keeps the status it set.
     */
    public void submitted(Exchange exchange) {
        Message in = exchange.getMessage();
        String transactionId = in.getHeader("hubTransactionId", String.class);
        String target = in.getHeader("hubDeclarationTarget", String.class);
        String conversationId = in.getHeader("X-Conversation-ID", String.class);
        tx.executeWithoutResult(s -> {
            // the row lock of this update orders two such answers: the second waits for the first to commit and then
            // finds the conversation recorded
            int first = jdbc.update("update declaration set status = case when status = 'PREPARED' then 'SUBMITTED'"
                            + " else status end, conversation_id = ?, updated_at = ? where transaction_id = ?"
                            + " and target = ? and conversation_id is null",
                    conversationId, Timestamp.from(ledger.now()), transactionId, target);
            if (first == 0) {
                LOG.info("Declaration {} of transaction {} taken again by the single window (conversation {}); its"
                        + " submission was recorded with conversation {}", in.getHeader("lrn"), transactionId,
                        conversationId, jdbc.queryForList("select conversation_id from declaration where"
                                + " transaction_id = ? and target = ?", String.class, transactionId, target));
                return;
            }
            advance(transactionId, TransactionStatus.DECLARATION_SUBMITTED);
            planSteps.declarationOutcome(transactionId, org.tradehub.services.PlanSteps.SENT, null);
            String sentAt = in.getHeader(SENT_AT, String.class);
            ledger.addEvent(transactionId, "DECLARATION_SUBMITTED", "The export declaration (LRN "
                    + in.getHeader("lrn") + ") was submitted to the single window, which took it for processing.",
                    Map.of("conversationId", String.valueOf(conversationId), "lrn", in.getHeader("lrn")),
                    sentAt == null ? ledger.now() : java.time.Instant.parse(sentAt));
        });
    }

    /** 4xx: the single window refused the request itself. Retrying the same document cannot help. */
    public void refused(Exchange exchange) {
        Message in = exchange.getMessage();
        String transactionId = in.getHeader("hubTransactionId", String.class);
        int code = in.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        List<String> errors = errorMessages(in.getBody(byte[].class));
        tx.executeWithoutResult(s -> {
            jdbc.update("update declaration set status = 'REFUSED', updated_at = ? where transaction_id = ? and target = ?",
                    Timestamp.from(ledger.now()), transactionId, in.getHeader("hubDeclarationTarget"));
            ledger.setStatus(transactionId, TransactionStatus.DECLARATION_REJECTED);
            planSteps.declarationOutcome(transactionId, org.tradehub.services.PlanSteps.REJECTED,
                    "The single window refused the declaration (HTTP " + code + ").");
            ledger.addEvent(transactionId, "DECLARATION_REFUSED", "The single window refused the export declaration"
                    + " (HTTP " + code + "): " + (errors.isEmpty() ? "no reason given." : String.join(" ", errors)),
                    Map.of("httpStatus", code, "errors", errors));
        });
    }

    /** The statuses of a declaration's life, in the order they come. */
    private static final List<String> LIFE = List.of(TransactionStatus.ACCEPTED,
            TransactionStatus.DECLARATION_SUBMITTED, TransactionStatus.DECLARATION_ACCEPTED,
            TransactionStatus.UNDER_CUSTOMS_CONTROL, TransactionStatus.CLEARED, TransactionStatus.EXITED);

    /**
     * The statuses before the single window (or the broker) decides: a rejection, recorded by its own answer, is never
     * undone by one of these recorded after it (the submission's bookkeeping, when the rejection came back first).
     */
    private static final List<String> BEFORE_DECISION = List.of(TransactionStatus.ACCEPTED,
            TransactionStatus.DECLARATION_SUBMITTED);

    /**
     * A transaction's status only moves forward through the declaration's life (answers can arrive out of order):
     * it stays when it is already at this status or a later one, or rejected when this status comes before the
     * decision. One conditional update, no read first.
     */
    public void advance(String transactionId, String status) {
        int to = LIFE.indexOf(status);
        if (to < 0) {
            ledger.setStatus(transactionId, status);
            return;
        }
        List<String> unlessAt = new ArrayList<>(LIFE.subList(to, LIFE.size()));
        if (BEFORE_DECISION.contains(status)) {
            unlessAt.add(TransactionStatus.DECLARATION_REJECTED);
        }
        ledger.setStatusUnlessAt(transactionId, status, unlessAt);
    }

    /** The messages of an HMRC errorResponse body (schemas/hmrc/error.xsd), or the body's text if it is not one. */
    public static List<String> errorMessages(byte[] body) {
        List<String> messages = new ArrayList<>();
        if (body == null || body.length == 0) {
            return messages;
        }
        try {
            Document doc = org.tradehub.xml.SafeXml.parse(body, org.tradehub.xml.SafeXml.DEFAULT_MAX_BYTES);
            NodeList list = doc.getElementsByTagNameNS("*", "message");
            for (int i = 0; i < list.getLength(); i++) {
                Element e = (Element) list.item(i);
                messages.add(e.getTextContent().trim());
            }
        } catch (Exception notXml) {
            messages.add(new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8));
        }
        return messages;
    }


    private static void header(Message in, String name, String value) {
        if (value != null && !value.isBlank()) {
            in.setHeader(name, value);
        }
    }
}

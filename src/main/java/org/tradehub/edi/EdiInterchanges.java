package org.tradehub.edi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;
import org.tradehub.tenant.TenantDirectory;

/**
 * The steps of route in-edi-interchange that a route cannot say: read the interchange, decide whether it is a resend,
 * hand each purchase order to the intake queue, and record the interchange with its acknowledgement.
 *
 * <p>Why the interchange row is written last: the orders go to the intake queue in the same JMS transaction as this
 * consumer, which commits after the database. If the hub stops in between, the broker redelivers the interchange; it
 * then looks like a resend, and every order message whose de-duplication key the intake stage has not recorded is
 * forwarded again. The intake stage de-duplicates on the same keys, so nothing is lost and nothing doubled.
 */
@Component("ediInterchanges")
public class EdiInterchanges {

    private static final Logger LOG = LoggerFactory.getLogger(EdiInterchanges.class);

    /** Message types the hub reads; any other is acknowledged as not supported. */
    static final Set<String> READ_TYPES = Set.of("ORDERS", "850", "CUSRES", "CONTRL", "997");
    /** Purchase orders and the intake template that maps each. */
    private static final Map<String, String> ORDER_TEMPLATES = Map.of("ORDERS", "edifact-orders", "850", "x12-850");
    private static final String UBL_ORDER_NS = "urn:oasis:names:specification:ubl:schema:xsd:Order-2";

    static final String REPORT = "hubEdiReport";
    static final String STATE = "hubEdiState";
    public static final String DOCUMENT_TYPE = "hubDocumentType";
    public static final String DOCUMENT_ID = "hubDocumentId";
    public static final String CONTENT_TYPE = "hubContentType";
    public static final String FILE_NAME = "hubFileName";
    public static final String OUTBOUND_CHANNEL = "hubOutboundChannel";

    private static final EdiReader READER = new EdiReader(READ_TYPES);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Ledger ledger;
    private final EdiPartners partners;
    private final EdiAnswers answers;
    private final TenantDirectory tenants;
    private final EdiProperties properties;

    public EdiInterchanges(JdbcTemplate jdbc, TransactionTemplate tx, Ledger ledger, EdiPartners partners,
                           EdiAnswers answers, TenantDirectory tenants, EdiProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.ledger = ledger;
        this.partners = partners;
        this.answers = answers;
        this.tenants = tenants;
        this.properties = properties;
    }

    /** What begin() learnt, for record(). */
    record State(String tenant, String partner, String channel, String receipt, Instant receivedAt, byte[] raw,
                 String sha256, InterchangeReport report, String kind, String controlRef, String duplicateOf,
                 List<String> reusedBy, EdiPartners.Profile profile) {
        boolean duplicate() {
            return duplicateOf != null;
        }
    }

    /**
     * Reads the payload and leaves as body the list of order messages to forward to hub.orders.received (each a
     * message with the intake contract's headers); empty when there is nothing (new) to forward.
     */
    public void begin(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        String tenant = in.getHeader(WebhookGuard.TENANT, String.class);
        String partner = in.getHeader(WebhookGuard.PARTNER, String.class);
        String channel = in.getHeader(WebhookGuard.CHANNEL, String.class);
        if (tenant == null || partner == null || channel == null || !tenants.exists(tenant)) {
            // a channel of ours labels every interchange; a message without labels cannot be acknowledged or kept
            throw new IllegalArgumentException("interchange without a known tenant, partner and channel label");
        }
        String receipt = in.getHeader(WebhookGuard.RECEIPT, (Object) UUID.randomUUID().toString(), String.class);
        String at = in.getHeader(WebhookGuard.RECEIVED_AT, String.class);
        Instant receivedAt = at == null ? ledger.now() : Instant.parse(at);
        byte[] raw = in.getBody(byte[].class);
        if (raw == null) {
            raw = new byte[0];
        }
        String sha = Ledger.sha256(raw);

        InterchangeReport report = new InterchangeReport();
        String kind;
        if (raw.length > properties.maxInterchangeBytes()) {
            kind = "too-large";
            report.onError(new EdiError(EdiError.Scope.INTERCHANGE, null, 0, null, 0, "18",
                    "Interchange of " + raw.length + " bytes exceeds the limit of " + properties.maxInterchangeBytes()));
        } else if (isUblOrder(raw)) {
            kind = "ubl-order";
        } else {
            kind = "edi";
            READER.read(new ByteArrayInputStream(raw), report);
        }
        String controlRef = report.envelope() == null ? null : report.envelope().controlRef();
        String duplicateOf = null;
        List<String> reusedBy = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("select id, payload_sha256 from edi_interchange where"
                + " tenant_id = ? and partner_id = ? and " + (controlRef == null ? "control_ref is null" : "control_ref = ?"),
                controlRef == null ? new Object[] {tenant, partner} : new Object[] {tenant, partner, controlRef})) {
            if (sha.equals(row.get("payload_sha256"))) {
                duplicateOf = (String) row.get("id");
            } else if (controlRef != null) {
                reusedBy.add((String) row.get("id"));
            }
        }
        State state = new State(tenant, partner, channel, receipt, receivedAt, raw, sha, report, kind, controlRef,
                duplicateOf, reusedBy, partners.find(tenant, partner).orElse(null));
        exchange.setProperty(STATE, state);
        in.setBody(forwards(exchange.getContext(), state));
    }

    private List<Message> forwards(org.apache.camel.CamelContext context, State s) {
        List<Message> out = new ArrayList<>();
        String warning = s.reusedBy.isEmpty() ? null : "The partner reused interchange control number "
                + s.controlRef + " for different content; this is treated as a new interchange.";
        if ("ubl-order".equals(s.kind)) {
            out.add(order(context, s, new String(s.raw, StandardCharsets.UTF_8), "ubl-order-2.1",
                    "edi:" + s.partner + ":ubl:" + s.sha256, s.receipt, warning));
        }
        for (EdiMessage m : s.report.messages()) {
            String template = ORDER_TEMPLATES.get(m.type());
            if (template == null || !m.accepted()) {
                continue;
            }
            // partner + control numbers + payload hash: a resend maps to the same keys, a reused number does not
            String key = "edi:" + s.partner + ":" + m.interchangeControlRef() + ":" + m.groupControlRef() + ":"
                    + m.controlRef() + ":" + s.sha256.substring(0, 16);
            out.add(order(context, s, m.xml(), template, key, s.receipt + "/" + m.index(), warning));
        }
        if (s.duplicate()) {
            // a resend: forward only what the intake stage has not recorded (see the class comment)
            out.removeIf(m -> !jdbc.queryForList("select 1 from dedupe_key where tenant_id = ? and dedupe_key = ?",
                    s.tenant, m.getHeader(WebhookGuard.DEDUPE_KEYS)).isEmpty());
        }
        return out;
    }

    private static Message order(org.apache.camel.CamelContext context, State s, String body, String format, String dedupeKey, String receipt,
                                 String warning) {
        Message m = new DefaultMessage(context);
        m.setBody(body);
        m.setHeader(WebhookGuard.TENANT, s.tenant);
        m.setHeader(WebhookGuard.CHANNEL, s.channel);
        m.setHeader(WebhookGuard.PARTNER, s.partner);
        m.setHeader(WebhookGuard.FORMAT, format);
        m.setHeader(WebhookGuard.SYNTAX, "xml");
        m.setHeader(WebhookGuard.RECEIPT, receipt);
        m.setHeader(WebhookGuard.RECEIVED_AT, s.receivedAt.toString());
        m.setHeader(WebhookGuard.DEDUPE_KEYS, dedupeKey);
        if (warning != null) {
            m.setHeader(org.tradehub.intake.OrderIntake.SOURCE_WARNING, warning);
        }
        return m;
    }

    private static boolean isUblOrder(byte[] raw) {
        int n = Math.min(raw.length, 4096);
        String head = new String(raw, 0, n, StandardCharsets.UTF_8);
        return head.stripLeading().replace("\uFEFF", "").startsWith("<") && head.contains(UBL_ORDER_NS);
    }

    /**
     * Records the interchange (raw document, outcome, answers to our declarations and documents) and its
     * acknowledgement in one database transaction. Leaves the acknowledgement as body with the outbound contract's
     * headers, or header hubDocumentType unset when nothing is to be sent (a resend, an acknowledgement, a partner
     * who does not want them).
     */
    public void record(Exchange exchange) {
        State s = exchange.getProperty(STATE, State.class);
        Message in = exchange.getMessage();
        in.setBody(null);
        in.removeHeader(DOCUMENT_TYPE);
        if (s.duplicate()) {
            jdbc.update("update edi_interchange set resends = resends + 1 where id = ?", s.duplicateOf);
            LOG.info("Interchange {} from partner {} of tenant {} is a resend of {} (same control number and payload"
                    + " hash); nothing new is created", s.controlRef, s.partner, s.tenant, s.duplicateOf);
            return;
        }
        Acknowledgements.Ack ack = tx.execute(status -> {
            String docId = ledger.storeDocument(s.tenant, null, "edi-interchange", "in", mediaType(s), s.receipt,
                    s.raw);
            List<String> notes = new ArrayList<>();
            if (!s.reusedBy.isEmpty()) {
                notes.add("Control number " + s.controlRef + " was used before for different content (interchange "
                        + String.join(", ", s.reusedBy) + ").");
                LOG.warn("Partner {} of tenant {} reused interchange control number {} for different content",
                        s.partner, s.tenant, s.controlRef);
            }
            notes.addAll(s.report.interchangeErrors().stream().map(EdiError::text).toList());
            for (EdiMessage m : s.report.messages()) {
                if (m.accepted() && !ORDER_TEMPLATES.containsKey(m.type())) {
                    answers.record(s.tenant, s.partner, m).ifPresent(notes::add);
                }
            }
            String id = UUID.randomUUID().toString();
            int rejected = s.report.rejectedMessages();
            int messages = s.report.messages().size() + ("ubl-order".equals(s.kind) ? 1 : 0);
            String outcome = "ubl-order".equals(s.kind) ? "ACCEPTED"
                    : messages - rejected == 0 ? "REJECTED"
                    : rejected > 0 || !s.report.envelopeErrors().isEmpty() ? "PARTIALLY_ACCEPTED" : "ACCEPTED";
            String note = notes.isEmpty() ? null : String.join(" ", notes);
            int inserted = jdbc.update("insert into edi_interchange (id, tenant_id, partner_id, channel, standard,"
                            + " control_ref, payload_sha256, receipt_id, as2_message_id, document_id, messages,"
                            + " rejected_messages, status, note, resends, received_at)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) on conflict do nothing",
                    id, s.tenant, s.partner, s.channel, "ubl-order".equals(s.kind) ? "XML" : s.report.standard(),
                    s.controlRef, s.sha256, s.receipt, in.getHeader("hubAs2MessageId", String.class), docId, messages,
                    rejected, outcome, note == null ? null : truncate(note, 2000), Timestamp.from(s.receivedAt));
            if (inserted == 0) {
                status.setRollbackOnly(); // the same interchange, recorded by a concurrent consumer a moment ago
                return null;
            }
            Acknowledgements.Ack a = acknowledgement(s);
            if (a != null) {
                String ackId = ledger.storeDocument(s.tenant, null, a.documentType(), "out", a.contentType(),
                        a.controlRef(), a.content());
                jdbc.update("update edi_interchange set ack_document_id = ? where id = ?", ackId, id);
                in.setHeader(DOCUMENT_ID, ackId);
            }
            in.setHeader("hubInterchangeId", id);
            return a;
        });
        if (ack == null) {
            return;
        }
        in.setBody(ack.content());
        in.setHeader(DOCUMENT_TYPE, ack.documentType());
        in.setHeader(CONTENT_TYPE, ack.contentType());
        in.setHeader(FILE_NAME, ack.documentType() + "-" + ack.controlRef() + ".edi");
        in.setHeader(OUTBOUND_CHANNEL, outboundChannel(s.profile, s.channel));
    }

    /** The acknowledgement to send, or null: none for XML, for acknowledgements, or when the partner declined. */
    private Acknowledgements.Ack acknowledgement(State s) {
        if ("ubl-order".equals(s.kind) || (s.profile != null && !s.profile.sendAcknowledgements())) {
            return null;
        }
        boolean onlyAcks = !s.report.messages().isEmpty() && Acknowledgements.acknowledgeable(s.report).isEmpty();
        if (onlyAcks && s.report.envelopeErrors().isEmpty()) {
            return null;
        }
        EdiEnvelope env = s.report.envelope();
        if (env == null && s.profile == null) {
            LOG.warn("Unreadable payload {} from partner {} of tenant {}: no partner profile says which standard to"
                    + " acknowledge it in", s.receipt, s.partner, s.tenant);
            return null;
        }
        // we answer as the party the partner addressed; a profile's identifiers win when it has them
        String ourId = s.profile != null ? s.profile.ourId() : env.receiverId();
        String ourQualifier = s.profile != null ? s.profile.ourQualifier() : env.receiverQualifier();
        String theirId = s.profile != null ? s.profile.theirId() : env.senderId();
        String theirQualifier = s.profile != null ? s.profile.theirQualifier() : env.senderQualifier();
        boolean test = env != null ? env.test() : s.profile.test();
        long number = partners.nextControlNumber(s.tenant, s.partner);
        return Acknowledgements.build(s.report, new Acknowledgements.Addressing(
                s.profile == null ? null : s.profile.standard(), ourId, ourQualifier, theirId, theirQualifier,
                number, LocalDateTime.ofInstant(ledger.now(), ZoneOffset.UTC), test));
    }

    /** hub.outbound.&lt;channel&gt;: the profile's choice, else back the way the interchange came (file drops share one). */
    static String outboundChannel(EdiPartners.Profile profile, String inboundChannel) {
        if (profile != null && profile.channel() != null) {
            return profile.channel();
        }
        String c = inboundChannel.toLowerCase(Locale.ROOT);
        return c.equals("ftp") || c.equals("ftps") || c.equals("sftp") ? "file" : c;
    }

    private static String mediaType(State s) {
        if ("ubl-order".equals(s.kind)) {
            return "application/xml";
        }
        return EdiInput.X12.equals(s.report.standard()) ? "application/EDI-X12"
                : EdiInput.EDIFACT.equals(s.report.standard()) ? "application/EDIFACT" : "application/octet-stream";
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}

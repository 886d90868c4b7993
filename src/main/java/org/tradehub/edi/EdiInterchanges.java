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

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.intake.OrderPriority;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;
import org.tradehub.tenant.TenantDirectory;
import org.tradehub.ledger.Ids;

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

    /** The JMS priority: of the interchange as it came (a header of the consumed message), of each order it sends. */
    private static final String JMS_PRIORITY = "JMSPriority";

    private static final Logger LOG = LoggerFactory.getLogger(EdiInterchanges.class);

    /** Message types the hub reads; any other is acknowledged as not supported. */
    static final Set<String> READ_TYPES = Set.of("ORDERS", "850", "CUSRES", "CONTRL", "997", "999");
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
                 String sha256, String kind, List<Part> parts, EdiPartners.Profile profile) {
        boolean allDuplicates() {
            return parts.stream().allMatch(Part::duplicate);
        }
    }

    /**
     * One interchange of the payload (most payloads carry one): de-duplicated and acknowledged on its own.
     *
     * @param contentSha256  what identifies its content ({@link #contentKey})
     * @param recordedSha256 what it is recorded under (payload_sha256), whose first 16 characters its orders'
     *                       de-duplication keys carry: its content key, or for a resend the original's, which for an
     *                       interchange recorded before V7 is a hash of the hub's own reading of it
     * @param duplicateOf    the interchange row it resends, or null
     * @param reusedBy       earlier interchanges with the same control number and other content
     */
    record Part(int index, InterchangeReport report, String controlRef, String contentSha256, String recordedSha256,
                String duplicateOf, List<String> reusedBy) {
        boolean duplicate() {
            return duplicateOf != null;
        }
    }

    /**
     * Reads the payload and leaves as body the list of order messages to forward to hub.orders.received (each a
     * message with the intake contract's headers and its JMSPriority, {@link OrderPriority}); empty when there is
     * nothing (new) to forward.
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
        String receipt = in.getHeader(WebhookGuard.RECEIPT, (Object) Ids.timeOrdered().toString(), String.class);
        String at = in.getHeader(WebhookGuard.RECEIVED_AT, String.class);
        Instant receivedAt = at == null ? ledger.now() : Instant.parse(at);
        byte[] raw = in.getBody(byte[].class);
        if (raw == null) {
            raw = new byte[0];
        }
        String sha = Ledger.sha256(raw);
        Reading reading = read(raw);
        List<Part> parts = new ArrayList<>();
        for (InterchangeReport report : reading.parts()) {
            parts.add(part(tenant, partner, parts.size() + 1, report, contentKey(report, sha)));
        }
        State state = new State(tenant, partner, channel, receipt, receivedAt, raw, sha, reading.kind(), parts,
                partners.find(tenant, partner).orElse(null));
        exchange.setProperty(STATE, state);
        List<Message> orders = forwards(exchange.getContext(), state);
        // the orders of a payload that holds several, or came in a file, yield to orders that come one at a time
        int priority = OrderPriority.ofInterchangeOrders(in.getHeader(JMS_PRIORITY, Integer.class), orders.size());
        orders.forEach(order -> order.setHeader(JMS_PRIORITY, priority));
        in.setBody(orders);
    }

    /** What the payload is, and what the reader reported about each of its interchanges. */
    private record Reading(String kind, List<InterchangeReport> parts) {
    }

    private Reading read(byte[] raw) throws IOException {
        PayloadReport payload = new PayloadReport();
        String kind;
        if (raw.length > properties.maxInterchangeBytes()) {
            kind = "too-large";
            payload.onError(new EdiError(EdiError.Scope.INTERCHANGE, null, 0, null, 0, "18",
                    "Interchange of " + raw.length + " bytes exceeds the limit of " + properties.maxInterchangeBytes()));
        } else if (isUblOrder(raw)) {
            kind = "ubl-order";
        } else {
            kind = "edi";
            READER.read(new ByteArrayInputStream(raw), payload);
        }
        return new Reading(kind, payload.parts());
    }

    /** What the partner sent: the interchange's segments, or the payload's bytes when it was not read to its end. */
    private static String contentKey(InterchangeReport report, String payloadSha) {
        return report.contentSha256() != null ? report.contentSha256() : payloadSha;
    }

    /**
     * Looks the interchange up: partner + control number + content key (an AS2 resend has a new Message-ID, and may
     * come through another channel or translator: the key depends on the segments only).
     */
    private Part part(String tenant, String partner, int index, InterchangeReport report, String key)
            throws IOException {
        String controlRef = report.envelope() == null ? null : report.envelope().controlRef();
        String duplicateOf = null;
        String recorded = key;
        List<String> reusedBy = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList("select id, payload_sha256, content_sha256, document_id,"
                + " part_index from edi_interchange where tenant_id = ? and partner_id = ? and "
                + (controlRef == null ? "control_ref is null" : "control_ref = ?"),
                controlRef == null ? new Object[] {tenant, partner} : new Object[] {tenant, partner, controlRef})) {
            String rowKey = row.get("content_sha256") != null ? (String) row.get("content_sha256") : storedKey(row);
            if (key.equals(rowKey)) {
                duplicateOf = (String) row.get("id");
                recorded = (String) row.get("payload_sha256");
            } else if (controlRef != null) {
                reusedBy.add((String) row.get("id"));
            }
        }
        return new Part(index, report, controlRef, key, recorded, duplicateOf, reusedBy);
    }

    /**
     * The content key of an interchange recorded before V7, which kept only a hash of the hub's own reading of it
     * (that changed with the message XML's shape): its stored payload is read again, once, when an interchange with
     * its partner and control number arrives; the key is kept on the row.
     */
    private String storedKey(Map<String, Object> row) throws IOException {
        byte[] raw = ledger.documentContent((String) row.get("document_id")).orElseThrow();
        List<InterchangeReport> parts = read(raw).parts();
        int index = ((Number) row.get("part_index")).intValue();
        if (index > parts.size()) {
            return null; // it reads as fewer interchanges now (hub.edi.max-interchange-bytes lowered since, say)
        }
        String key = contentKey(parts.get(index - 1), Ledger.sha256(raw));
        jdbc.update("update edi_interchange set content_sha256 = ? where id = ? and content_sha256 is null", key,
                row.get("id"));
        return key;
    }

    private List<Message> forwards(org.apache.camel.CamelContext context, State s) {
        List<Message> out = new ArrayList<>();
        if ("ubl-order".equals(s.kind)) {
            out.add(order(context, s, new String(s.raw, StandardCharsets.UTF_8), "ubl-order-2.1",
                    "edi:" + s.partner + ":ubl:" + s.sha256, s.receipt, null));
        }
        for (Part p : s.parts) {
            String warning = p.reusedBy.isEmpty() ? null : "The partner reused interchange control number "
                    + p.controlRef + " for different content; this is treated as a new interchange.";
            List<Message> orders = new ArrayList<>();
            for (EdiMessage m : p.report.messages()) {
                String template = ORDER_TEMPLATES.get(m.type());
                if (template == null || !m.accepted()) {
                    continue;
                }
                // partner + control numbers + the interchange's recorded hash: a resend maps to the keys of its
                // original's orders, a reused number does not
                String key = "edi:" + s.partner + ":" + m.interchangeControlRef() + ":" + m.groupControlRef() + ":"
                        + m.controlRef() + ":" + p.recordedSha256.substring(0, 16);
                String receipt = s.receipt + (s.parts.size() > 1 ? "/" + p.index + "." : "/") + m.index();
                orders.add(order(context, s, m.xml(), template, key, receipt, warning));
            }
            if (p.duplicate()) {
                // a resend: forward only what the intake stage has not recorded (see the class comment)
                orders.removeIf(m -> !jdbc.queryForList("select 1 from dedupe_key where tenant_id = ? and"
                        + " dedupe_key = ?", s.tenant, m.getHeader(WebhookGuard.DEDUPE_KEYS)).isEmpty());
            }
            out.addAll(orders);
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
     * Records each interchange of the payload (raw document, outcome, answers to our declarations and documents) and
     * its acknowledgement in one database transaction. Leaves as body the acknowledgements to send (messages with
     * the outbound contract's headers; none for an acknowledgement, XML, or a partner who does not want them). A
     * resent interchange creates nothing new: its stored acknowledgement is sent again, since a partner resends
     * precisely when our acknowledgement did not reach it; the resend is recorded once per delivery.
     */
    public void record(Exchange exchange) {
        State s = exchange.getProperty(STATE, State.class);
        Message in = exchange.getMessage();
        String as2MessageId = in.getHeader("hubAs2MessageId", String.class);
        List<Message> acks = new ArrayList<>();
        tx.executeWithoutResult(status -> {
            String docId = s.allDuplicates() ? null : ledger.storeDocument(s.tenant, null, "edi-interchange", "in",
                    mediaType(s), s.receipt, s.raw);
            for (Part p : s.parts) {
                if (p.duplicate()) {
                    resent(s, p, as2MessageId, acks, exchange);
                } else if (!recordNew(s, p, docId, as2MessageId, acks, exchange)) {
                    status.setRollbackOnly(); // recorded by a concurrent consumer a moment ago: it acknowledges
                    acks.clear();
                    return;
                }
            }
        });
        in.setBody(acks);
    }

    /** Records a new interchange and adds its acknowledgement to acks; false when another consumer recorded it. */
    private boolean recordNew(State s, Part p, String docId, String as2MessageId, List<Message> acks,
                              Exchange exchange) {
        List<String> notes = new ArrayList<>();
        if (!p.reusedBy.isEmpty()) {
            notes.add("Control number " + p.controlRef + " was used before for different content (interchange "
                    + String.join(", ", p.reusedBy) + ").");
            LOG.warn("Partner {} of tenant {} reused interchange control number {} for different content",
                    s.partner, s.tenant, p.controlRef);
        }
        InterchangeReport report = p.report;
        notes.addAll(report.interchangeErrors().stream().map(EdiError::text).toList());
        for (EdiMessage m : report.messages()) {
            if (m.accepted() && !ORDER_TEMPLATES.containsKey(m.type())) {
                answers.record(s.tenant, s.partner, m).ifPresent(notes::add);
            }
        }
        String id = Ids.timeOrdered().toString();
        int rejected = report.rejectedMessages();
        int messages = report.messages().size() + ("ubl-order".equals(s.kind) ? 1 : 0);
        String outcome = "ubl-order".equals(s.kind) ? "ACCEPTED"
                : messages - rejected == 0 ? "REJECTED"
                : rejected > 0 || !report.envelopeErrors().isEmpty() ? "PARTIALLY_ACCEPTED" : "ACCEPTED";
        String note = notes.isEmpty() ? null : String.join(" ", notes);
        int inserted = jdbc.update("insert into edi_interchange (id, tenant_id, partner_id, channel, standard,"
                        + " control_ref, payload_sha256, content_sha256, receipt_id, as2_message_id, document_id,"
                        + " messages, rejected_messages, status, note, resends, received_at, part_index)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) on conflict do nothing",
                id, s.tenant, s.partner, s.channel, "ubl-order".equals(s.kind) ? "XML" : report.standard(),
                p.controlRef, p.recordedSha256, p.contentSha256, s.receipt, as2MessageId, docId, messages, rejected,
                outcome,
                note == null ? null : truncate(note, 2000), Timestamp.from(s.receivedAt), p.index);
        if (inserted == 0) {
            return false;
        }
        Acknowledgements.Ack a = acknowledgement(s, report);
        if (a != null) {
            String ackId = ledger.storeDocument(s.tenant, null, a.documentType(), "out", a.contentType(),
                    a.controlRef(), a.content());
            jdbc.update("update edi_interchange set ack_document_id = ? where id = ?", ackId, id);
            acks.add(outbound(exchange, s, a.content(), a.documentType(), ackId, a.controlRef(), a.contentType()));
        }
        return true;
    }

    /**
     * A resend: counted once per delivery (receipt), and answered with the acknowledgement we stored for the
     * original, byte for byte (same control number: it is the same answer).
     */
    private void resent(State s, Part p, String as2MessageId, List<Message> acks, Exchange exchange) {
        int fresh = jdbc.update("insert into edi_interchange_resend (interchange_id, receipt_id, as2_message_id,"
                + " received_at, payload_document_sha256) values (?, ?, ?, ?, ?) on conflict do nothing",
                p.duplicateOf, s.receipt, as2MessageId, Timestamp.from(s.receivedAt), s.sha256);
        if (fresh > 0) {
            jdbc.update("update edi_interchange set resends = resends + 1 where id = ?", p.duplicateOf);
        }
        LOG.info("Interchange {} from partner {} of tenant {} is a resend of {} (same control number and content);"
                + " nothing new is created, its acknowledgement is sent again", p.controlRef, s.partner, s.tenant,
                p.duplicateOf);
        jdbc.query("select d.id, d.kind, d.correlation_id, d.media_type, d.content from edi_interchange i join"
                + " document d on d.id = i.ack_document_id where i.id = ?", rs -> {
                    acks.add(outbound(exchange, s, rs.getBytes(5), rs.getString(2), rs.getString(1), rs.getString(3),
                            rs.getString(4)));
                }, p.duplicateOf);
    }

    /** An acknowledgement as a message for hub.outbound.&lt;channel&gt;, with the outbound contract's headers. */
    private static Message outbound(Exchange exchange, State s, byte[] content, String type, String documentId,
                                    String controlRef, String contentType) {
        Message m = new DefaultMessage(exchange.getContext());
        m.setBody(content);
        m.setHeader(WebhookGuard.TENANT, s.tenant);
        m.setHeader(WebhookGuard.PARTNER, s.partner);
        m.setHeader(DOCUMENT_TYPE, type);
        m.setHeader(DOCUMENT_ID, documentId);
        m.setHeader(CONTENT_TYPE, contentType);
        m.setHeader(FILE_NAME, type + "-" + controlRef + ".edi");
        m.setHeader(OUTBOUND_CHANNEL, outboundChannel(s.profile, s.channel));
        return m;
    }

    /** The acknowledgement to send, or null: none for XML, for acknowledgements, or when the partner declined. */
    private Acknowledgements.Ack acknowledgement(State s, InterchangeReport report) {
        if ("ubl-order".equals(s.kind) || (s.profile != null && !s.profile.sendAcknowledgements())) {
            return null;
        }
        boolean onlyAcks = !report.messages().isEmpty() && Acknowledgements.acknowledgeable(report).isEmpty();
        if (onlyAcks && report.envelopeErrors().isEmpty()) {
            return null;
        }
        EdiEnvelope env = report.envelope();
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
        return Acknowledgements.build(report, new Acknowledgements.Addressing(
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
        String standard = s.parts.get(0).report().standard();
        return EdiInput.X12.equals(standard) ? "application/EDI-X12"
                : EdiInput.EDIFACT.equals(standard) ? "application/EDIFACT" : "application/octet-stream";
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}

package org.tradehub.edi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.intake.OrderIntake;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;

/**
 * Order responses to EDI buyers: ORDRSP for UN/EDIFACT ORDERS, 855 for X12 850, when the partner's profile asks for
 * them (sendOrderResponses). map-order-to-canonical queues one per recorded order message ({@link #due}); route
 * out-order-response-edi builds it with a mapping template from the order message itself ({@link #prepare}), and
 * records and sends it ({@link #record}). One response per order message: a redelivery re-sends the stored bytes.
 */
@Component("ediOrderResponses")
public class OrderResponses {

    private static final Logger LOG = LoggerFactory.getLogger(OrderResponses.class);

    /** The intake templates of EDI orders, and the template that answers each. */
    private static final Map<String, String> RESPONSE_TEMPLATES = Map.of(
            "edifact-orders", "orders-to-ordrsp", "x12-850", "x12-850-to-855");
    /** Intake outcomes that answer an order message: not a plain update of an order already accepted. */
    private static final Set<String> ANSWERED = Set.of("NEW", "REVALIDATED", "REJECTED_AGAIN", "DUPLICATE");

    static final String ORDER_REF = "hubOrderRef";
    static final String ORDER_ACCEPTED = "hubOrderAccepted";
    static final String REJECT_REASONS = "hubRejectReasons";
    static final String TEMPLATE = "hubOrderResponseTemplate";
    static final String ORDER_NUMBER = "hubOrderNumber";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Ledger ledger;
    private final EdiPartners partners;
    private final EdiOutbox outbox;

    public OrderResponses(JdbcTemplate jdbc, TransactionTemplate tx, Ledger ledger, EdiPartners partners,
                          EdiOutbox outbox) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.ledger = ledger;
        this.partners = partners;
        this.outbox = outbox;
    }

    /**
     * After the intake stage recorded an order: the order response due (zero or one message for
     * hub.edi.order-responses), with the order message as received as body.
     */
    public List<Message> due(Exchange exchange) {
        Message in = exchange.getMessage();
        String format = in.getHeader(WebhookGuard.FORMAT, String.class);
        String tenant = in.getHeader(WebhookGuard.TENANT, String.class);
        String partner = in.getHeader(WebhookGuard.PARTNER, String.class);
        String keys = in.getHeader(WebhookGuard.DEDUPE_KEYS, String.class);
        if (!RESPONSE_TEMPLATES.containsKey(format) || partner == null || keys == null
                || in.getHeader(OrderIntake.TRANSACTION_ID) == null
                || !ANSWERED.contains(in.getHeader(OrderIntake.OUTCOME, String.class))
                || !partners.find(tenant, partner).map(EdiPartners.Profile::sendOrderResponses).orElse(false)) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<String> reasons = exchange.getProperty(OrderIntake.REJECT_REASONS_PROPERTY, List.class);
        Message m = new DefaultMessage(exchange.getContext());
        m.setBody(new String(exchange.getProperty(OrderIntake.RAW_BODY_PROPERTY, byte[].class), StandardCharsets.UTF_8));
        m.setHeader(WebhookGuard.TENANT, tenant);
        m.setHeader(WebhookGuard.PARTNER, partner);
        m.setHeader(WebhookGuard.CHANNEL, in.getHeader(WebhookGuard.CHANNEL));
        m.setHeader(WebhookGuard.FORMAT, format);
        m.setHeader(OrderIntake.TRANSACTION_ID, in.getHeader(OrderIntake.TRANSACTION_ID));
        m.setHeader(ORDER_REF, keys.split(",")[0].trim());
        m.setHeader(ORDER_ACCEPTED, reasons == null);
        if (reasons != null) {
            // one per line: the templates put each in its own FTX / NTE
            m.setHeader(REJECT_REASONS, String.join("\n", reasons.stream().map(r -> r.replace('\n', ' ')).toList()));
        }
        return List.of(m);
    }

    /**
     * Sets the template and its parameters; or, when this order message was answered before, leaves the stored
     * response as body with the outbound headers (a redelivery: the same bytes again); or neither when the partner no
     * longer wants order responses.
     */
    public void prepare(Exchange exchange) {
        Message in = exchange.getMessage();
        String tenant = in.getHeader(WebhookGuard.TENANT, String.class);
        String partner = in.getHeader(WebhookGuard.PARTNER, String.class);
        Optional<EdiOutbox.Outgoing> sent = stored(tenant, in.getHeader(ORDER_REF, String.class),
                in.getHeader(WebhookGuard.CHANNEL, String.class));
        if (sent.isPresent()) {
            tx.executeWithoutResult(s -> outbox.resend(in, sent.get(), "this order message was answered before and"
                    + " its answer was asked for again (a redelivery after an interruption, or a replay)."));
            return;
        }
        Optional<EdiPartners.Profile> profile = partners.find(tenant, partner);
        if (profile.isEmpty() || !profile.get().sendOrderResponses()) {
            LOG.info("Partner {} of tenant {} no longer wants order responses; none sent", partner, tenant);
            return;
        }
        String template = RESPONSE_TEMPLATES.get(in.getHeader(WebhookGuard.FORMAT, String.class));
        // an order message queued or kept (replay) in an earlier shape of the message XML is read in today's shape
        in.setBody(MessageXml.positional(in.getBody(String.class)));
        LocalDateTime now = LocalDateTime.ofInstant(ledger.now(), ZoneOffset.UTC);
        in.setHeader(TEMPLATE, template);
        EdiAnswers.Segments order = EdiAnswers.Segments.of(in.getBody(String.class));
        in.setHeader(ORDER_NUMBER, template.startsWith("x12") ? order.value("BEG", 3, 1) : order.value("BGM", 2, 1));
        // the control number is drawn here and written with the document in record(): a retry before that point
        // draws a new one, which is harmless since nothing carrying the old one left the hub
        in.setHeader("controlRef", String.valueOf(partners.nextControlNumber(tenant, partner)));
        in.setHeader("documentDateTime", DateTimeFormatter.ofPattern("yyyyMMddHHmm").format(now));
        in.setHeader("testIndicator", profile.get().test() ? "1" : "");
        in.setHeader("orderAccepted", String.valueOf(in.getHeader(ORDER_ACCEPTED, Boolean.class)));
        in.setHeader("rejectReasons", in.getHeader(REJECT_REASONS, "", String.class));
    }

    private Optional<EdiOutbox.Outgoing> stored(String tenant, String orderRef, String inboundChannel) {
        return jdbc.query("select partner_id, transaction_id, document_type, document_id, control_ref from"
                        + " edi_order_response where tenant_id = ? and order_ref = ?",
                (rs, i) -> new EdiOutbox.Outgoing(tenant, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), EdiOutbox.contentType("855".equals(rs.getString(3))
                        ? EdiInput.X12 : EdiInput.EDIFACT), channel(tenant, rs.getString(1), inboundChannel)),
                tenant, orderRef).stream().findFirst();
    }

    private String channel(String tenant, String partner, String inboundChannel) {
        return EdiInterchanges.outboundChannel(partners.find(tenant, partner).orElse(null), inboundChannel);
    }

    /**
     * Reads the response back, then records it (ledger document on the transaction, the order-response row, the
     * timeline event) in one database transaction and leaves it for hub.outbound.&lt;channel&gt;.
     */
    public void record(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        String tenant = in.getHeader(WebhookGuard.TENANT, String.class);
        String partner = in.getHeader(WebhookGuard.PARTNER, String.class);
        String transactionId = in.getHeader(OrderIntake.TRANSACTION_ID, String.class);
        String orderRef = in.getHeader(ORDER_REF, String.class);
        String template = in.getHeader(TEMPLATE, String.class);
        boolean accepted = Boolean.parseBoolean(in.getHeader("orderAccepted", String.class));
        boolean x12 = template.startsWith("x12");
        String type = x12 ? "855" : "ORDRSP";
        long number = Long.parseLong(in.getHeader("controlRef", String.class));
        String controlRef = x12 ? String.format("%09d", number % 1_000_000_000L) : String.valueOf(number);
        byte[] content = in.getBody(String.class).getBytes(StandardCharsets.ISO_8859_1);
        EdiOutbox.readBack(content, type, template);
        String orderNumber = in.getHeader(ORDER_NUMBER, String.class);
        EdiOutbox.Outgoing d = tx.execute(s -> {
            String documentId = ledger.storeDocument(tenant, transactionId, type, "out",
                    EdiOutbox.contentType(x12 ? EdiInput.X12 : EdiInput.EDIFACT), orderNumber, content);
            int inserted = jdbc.update("insert into edi_order_response (tenant_id, order_ref, partner_id,"
                            + " transaction_id, document_type, control_ref, document_id, accepted, created_at)"
                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing", tenant, orderRef, partner,
                    transactionId, type, controlRef, documentId, accepted, Timestamp.from(ledger.now()));
            if (inserted == 0) {
                s.setRollbackOnly(); // answered a moment ago by a concurrent delivery of the same order message
                return null;
            }
            ledger.addEvent(transactionId, "ORDER_RESPONSE_SENT", (accepted
                    ? "The order " + orderNumber + " was confirmed to " + partner + " with an " + type + " (accepted)"
                    : "The buyer " + partner + " was told with an " + type + " that order " + orderNumber
                            + " is not accepted, with the reasons")
                    + "; interchange " + controlRef + ".", Map.of("documentType", type, "accepted", accepted,
                    "interchangeRef", controlRef, "documentId", documentId));
            return new EdiOutbox.Outgoing(tenant, partner, transactionId, type, documentId, controlRef,
                    EdiOutbox.contentType(x12 ? EdiInput.X12 : EdiInput.EDIFACT),
                    channel(tenant, partner, in.getHeader(WebhookGuard.CHANNEL, String.class)));
        });
        if (d == null) {
            Optional<EdiOutbox.Outgoing> other = stored(tenant, orderRef, in.getHeader(WebhookGuard.CHANNEL, String.class));
            tx.executeWithoutResult(s -> outbox.resend(in, other.orElseThrow(), "a concurrent delivery of the same"
                    + " order message answered it first."));
            return;
        }
        EdiOutbox.toChannel(in, d, content);
    }
}

package org.tradehub.edi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Message;
import org.springframework.stereotype.Component;
import org.tradehub.ledger.Ledger;

/**
 * What every EDI document we send has in common (CUSDEC, ORDRSP, 855): it is read back by our own reader before it
 * is recorded, it goes to hub.outbound.&lt;channel&gt; with the outbound contract's headers, and the stored document
 * is the outbox. The database commit that records a document comes before the queue commit that sends it; if the hub
 * stops in between, the broker redelivers the message that asked for it, the stage finds the document recorded and
 * queues the stored bytes again: the same interchange control number, never a second, different document.
 */
@Component
public class EdiOutbox {

    /** Set by a stage on the message it leaves for hub.outbound.&lt;channel&gt; (the route's toD reads it). */
    public static final String OUTBOUND_CHANNEL = EdiInterchanges.OUTBOUND_CHANNEL;

    private final Ledger ledger;

    public EdiOutbox(Ledger ledger) {
        this.ledger = ledger;
    }

    /** A document recorded for sending. */
    public record Outgoing(String tenant, String partner, String transactionId, String documentType,
                           String documentId, String controlRef, String contentType, String channel) {
    }

    /**
     * Fails unless the interchange reads back through our own EDI reader as exactly one clean message of the type:
     * the hub never sends an interchange it could not read itself.
     */
    public static void readBack(byte[] interchange, String messageType, String template) throws IOException {
        InterchangeReport check = new InterchangeReport();
        new EdiReader().read(new ByteArrayInputStream(interchange), check);
        if (!check.envelopeErrors().isEmpty() || check.rejectedMessages() > 0 || check.messages().size() != 1
                || !messageType.equals(check.messages().get(0).type())) {
            throw new IllegalStateException(template + " produced an interchange that does not read back as one "
                    + messageType + ": " + check.envelopeErrors() + " "
                    + check.messages().stream().map(EdiMessage::errors).toList());
        }
    }

    /** Leaves the document as body with exactly the outbound contract's headers (and the channel for the route). */
    public static void toChannel(Message in, Outgoing d, byte[] content) {
        in.removeHeaders("*");
        in.setHeader("hubTenantId", d.tenant());
        in.setHeader("hubPartnerId", d.partner());
        in.setHeader("hubTransactionId", d.transactionId());
        in.setHeader(EdiInterchanges.DOCUMENT_TYPE, d.documentType());
        in.setHeader(EdiInterchanges.DOCUMENT_ID, d.documentId());
        in.setHeader(EdiInterchanges.CONTENT_TYPE, d.contentType());
        in.setHeader(EdiInterchanges.FILE_NAME, d.documentType() + "-" + d.controlRef() + ".edi");
        in.setHeader(OUTBOUND_CHANNEL, d.channel());
        in.setBody(content);
    }

    /**
     * Queues a recorded document again, byte for byte, and says so on the transaction's timeline (once per
     * re-send, in the caller's database transaction if it has one).
     */
    public void resend(Message in, Outgoing d, String why) {
        byte[] content = ledger.documentContent(d.documentId())
                .orElseThrow(() -> new IllegalStateException("document " + d.documentId() + " is not stored"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("documentType", d.documentType());
        details.put("interchangeRef", d.controlRef());
        details.put("documentId", d.documentId());
        ledger.addEvent(d.transactionId(), "EDI_RESENT", "The " + d.documentType() + " (interchange " + d.controlRef()
                + ") was queued again for " + d.partner() + ", byte for byte as recorded: " + why, details);
        toChannel(in, d, content);
    }

    /** The outbound content type of a standard. */
    public static String contentType(String standard) {
        return EdiInput.X12.equals(standard) ? "application/EDI-X12" : "application/EDIFACT";
    }
}

package org.tradehub.as2;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;
import org.tradehub.ledger.Ids;

/**
 * The AS2 station's sending side (route out-as2): builds the message for one partner as its profile says (sign,
 * compress before or after signing, encrypt), posts it, and checks the MDN: the partner's signature with its own
 * certificate, the Original-Message-ID, the disposition and the MIC against the one computed here. No MDN in time
 * (synchronous: the HTTP answer; asynchronous: hub.as2.async-mdn-resend-after) means sending again with back-off and
 * at last a dead-letter entry with an MDN_OVERDUE event on the transaction's timeline.
 *
 * <p>Why not camel-as2 4.17's client: it takes keys and certificates per endpoint rather than per message, does not
 * verify the MDN's signature (and gives no access to the bytes that were signed), and has a 5 s socket timeout that
 * would cut off slow synchronous MDNs.
 */
@Component("as2Outbound")
public class As2Outbound {

    private static final Logger LOG = LoggerFactory.getLogger(As2Outbound.class);

    private final As2Partners partners;
    private final As2Keystore keystore;
    private final As2Messages messages;
    private final As2Properties properties;
    private final Ledger ledger;
    private final TransactionTemplate tx;
    private final ProducerTemplate producer;

    public As2Outbound(As2Partners partners, As2Keystore keystore, As2Messages messages, As2Properties properties,
                       Ledger ledger, TransactionTemplate tx, ProducerTemplate producer) {
        this.partners = partners;
        this.keystore = keystore;
        this.messages = messages;
        this.properties = properties;
        this.ledger = ledger;
        this.tx = tx;
        this.producer = producer;
    }

    /** Raised when a partner's MDN does not come in time: the dead-letter entry gets an MDN_OVERDUE event. */
    public static class MdnOverdueException extends Exception implements org.tradehub.ledger.ParkedFailure {
        public MdnOverdueException(String message) {
            super(message);
        }

        @Override
        public String timelineEventType() {
            return "MDN_OVERDUE";
        }
    }

    /** A partner's MDN that is not a clean positive receipt for what we sent. */
    public static class MdnRejectedException extends Exception {
        public MdnRejectedException(String message) {
            super(message);
        }
    }

    /** Route out-as2: one document from hub.outbound.as2 to its partner. */
    public void send(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String partnerId = in.getHeader(WebhookGuard.PARTNER, String.class);
        As2Partner partner = partners.find(partnerId == null ? "" : partnerId).orElseThrow(() ->
                new As2ConfigurationException("No AS2 partner profile '" + partnerId + "'"));
        if (partner.url() == null || partner.url().isBlank()) {
            throw new As2ConfigurationException("AS2 partner " + partnerId + " has no URL to send to");
        }
        // One Message-ID for every attempt of one document: a partner that got it but whose MDN was lost recognises
        // the resend (redeliveries run on the same exchange, so the header survives them).
        // Camel's redelivery starts again from the message as it was before the failed step, so a header set here
        // would be gone: the id is derived from the JMS message id, which every redelivery (in process or by the
        // broker after a crash) keeps.
        String messageId = in.getHeader("hubAs2MessageId", String.class);
        if (messageId == null) {
            String jmsId = in.getHeader("JMSMessageID", String.class);
            UUID unique = jmsId == null ? Ids.random()
                    : UUID.nameUUIDFromBytes(("as2-out:" + jmsId).getBytes(StandardCharsets.UTF_8));
            messageId = "<" + unique + "@" + partner.ourAs2Id().replaceAll("[^A-Za-z0-9.-]", "") + ">";
            in.setHeader("hubAs2MessageId", messageId);
        }
        byte[] payload = in.getBody(byte[].class);
        String contentType = in.getHeader("hubContentType", String.class);
        if (contentType == null) {
            contentType = defaultContentType(payload);
        }
        As2Messages.Outbound record = messages.outbound(partner.partnerId(), messageId).orElse(null);
        if (record == null) {
            String transactionId = transactionOf(in.getHeader("hubTransactionId", String.class));
            String documentId = ledger.storeDocument(partner.tenantId(), transactionId,
                    "AS2_" + in.getHeader("hubDocumentType", "DOCUMENT", String.class), "OUT", contentType, messageId, payload);
            record = new As2Messages.Outbound(Ids.timeOrdered().toString(), partner.partnerId(), partner.tenantId(),
                    messageId, null, As2Messages.SENT, in.getHeader("hubDocumentType", String.class), contentType,
                    in.getHeader("hubFileName", String.class), transactionId, documentId, 0, null);
        } else if (!As2Messages.SENT.equals(record.status()) && !As2Messages.AWAITING_MDN.equals(record.status())) {
            LOG.info("AS2 message {} to {} is already {}; not sent again", messageId, partnerId, record.status());
            return;
        }
        transmit(partner, record, payload, record.attempts() == 0 ? Attempt.FIRST : Attempt.AGAIN);
    }

    /** FIRST: recorded now; AGAIN: a retry of the same exchange, counted now; CLAIMED: counted by the claim. */
    private enum Attempt { FIRST, AGAIN, CLAIMED }

    /** Builds, posts, and (sync) checks the MDN; records the attempt and its outcome. */
    private void transmit(As2Partner partner, As2Messages.Outbound record, byte[] payload, Attempt mode) throws Exception {
        Built built = build(partner, record, payload);
        int attempt = mode == Attempt.CLAIMED ? record.attempts() : record.attempts() + 1;
        Instant due = asyncDue(partner, attempt);
        String status = partner.mdnMode() == As2Partner.MdnMode.ASYNC ? As2Messages.AWAITING_MDN : As2Messages.SENT;
        As2Messages.Outbound sent = record.attempt(built.mic(), built.micUncompressed(), status, attempt);
        if (mode == Attempt.FIRST) {
            // recorded before the POST, so an async MDN that overtakes our own bookkeeping still finds its message
            tx.executeWithoutResult(s -> {
                messages.insertOutbound(sent, Ledger.sha256(payload), due);
                timeline(sent, "AS2_SENT", "Sent " + label(sent) + " to AS2 partner " + partner.partnerId()
                        + " (Message-ID " + sent.messageId() + ")", Map.of("messageId", sent.messageId()));
            });
        } else if (mode == Attempt.AGAIN) {
            messages.attempt(sent.id(), attempt, status, due);
        }
        Duration timeout = Duration.ofSeconds(Math.max(1, partner.mdnTimeoutSeconds()));
        HttpResponse<byte[]> response;
        try {
            response = As2Http.post(partner.url(), built.headers(), built.entity().body(), timeout);
        } catch (HttpTimeoutException e) {
            if (partner.mdnMode() == As2Partner.MdnMode.SYNC) {
                throw new MdnOverdueException("No MDN from AS2 partner " + partner.partnerId() + " within "
                        + timeout.toSeconds() + " s for Message-ID " + sent.messageId());
            }
            throw e;
        }
        switch (partner.mdnMode()) {
            case NONE -> settle(sent, As2Messages.DELIVERED, null, "Delivered " + label(sent) + " to AS2 partner "
                    + partner.partnerId() + " (no MDN requested)");
            case ASYNC -> LOG.info("AS2 message {} to {} sent; awaiting its asynchronous MDN", sent.messageId(),
                    partner.partnerId());
            case SYNC -> {
                String contentType = response.headers().firstValue("Content-Type").orElse("");
                accept(partner, sent, MimeEntity.ofHttp(contentType, response.headers()
                        .firstValue("Content-Transfer-Encoding").orElse(null), response.body()));
            }
        }
    }

    /** When an asynchronous MDN for this attempt is overdue (the wait doubles with each attempt); null if sync. */
    private Instant asyncDue(As2Partner partner, int attempt) {
        return partner.mdnMode() == As2Partner.MdnMode.ASYNC
                ? ledger.now().plus(properties.asyncMdnResendAfter().multipliedBy(1L << Math.min(attempt - 1, 10))) : null;
    }

    private record Built(MimeEntity entity, String mic, String micUncompressed, Map<String, String> headers) {}

    private Built build(As2Partner partner, As2Messages.Outbound record, byte[] payload) {
        String disposition = record.fileName() == null ? ""
                : "Content-Disposition: attachment; filename=\"" + record.fileName().replace("\"", "") + "\"\r\n";
        MimeEntity entity = MimeEntity.build(record.contentType(), "binary", disposition, payload);
        boolean compress = partner.compressOutbound() != As2Partner.Compression.NONE;
        // RFC 4130 7.3.1 / RFC 5402 4.1: the MIC covers what was signed; unsigned: the entity with its headers when
        // encrypted or compressed, else the content alone
        byte[] micSource = partner.signOutbound() || partner.encryptOutbound() || compress ? entity.raw() : payload;
        byte[] uncompressedMicSource = null;
        if (compress && partner.compressOutbound() == As2Partner.Compression.BEFORE_SIGNING && partner.signOutbound()) {
            uncompressedMicSource = entity.raw();
            entity = Smime.compress(entity);
            micSource = entity.raw();
        }
        if (partner.signOutbound()) {
            entity = Smime.sign(entity, keystore.certificate(partner.ourKeyAlias()), keystore.privateKey(partner.ourKeyAlias()),
                    partner.signingAlgorithm(), true);
            if (partner.compressOutbound() == As2Partner.Compression.AFTER_SIGNING) {
                entity = Smime.compress(entity);
            }
        } else if (compress) {
            entity = Smime.compress(entity);
        }
        if (partner.encryptOutbound()) {
            entity = Smime.encrypt(entity, keystore.certificate(partner.partnerCertAlias()), partner.encryptionAlgorithm());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("AS2-Version", "1.2");
        headers.put("AS2-From", As2Inbound.quoteAs2(partner.ourAs2Id()));
        headers.put("AS2-To", As2Inbound.quoteAs2(partner.as2Id()));
        headers.put("Message-ID", record.messageId());
        headers.put("Subject", label(record));
        headers.put("Mime-Version", "1.0");
        headers.put("Content-Type", MimeEntity.unfold(entity.contentType()));
        if (entity.encoding() != null) {
            headers.put("Content-Transfer-Encoding", entity.encoding());
        }
        headers.put("Recipient-Address", partner.url());
        headers.put("Ediint-Features", "multiple-attachments, CEM");
        headers.put("Date-Sent", DateTimeFormatter.RFC_1123_DATE_TIME.format(ledger.now().atZone(ZoneOffset.UTC)));
        String mic = null;
        String micUncompressed = null;
        if (partner.mdnMode() != As2Partner.MdnMode.NONE) {
            headers.put("Disposition-Notification-To", "as2@trade-hub");
            if (partner.mdnSigned()) {
                headers.put("Disposition-Notification-Options", "signed-receipt-protocol=required, pkcs7-signature;"
                        + " signed-receipt-micalg=required, " + partner.signingAlgorithm());
            }
            if (partner.mdnMode() == As2Partner.MdnMode.ASYNC) {
                headers.put("Receipt-Delivery-Option", properties.asyncMdnUrl());
            }
            mic = Smime.mic(micSource, partner.signingAlgorithm());
            micUncompressed = uncompressedMicSource == null ? null : Smime.mic(uncompressedMicSource, partner.signingAlgorithm());
        }
        return new Built(entity, mic, micUncompressed, headers);
    }

    /** Checks an MDN for a message we sent and records the outcome; throws when it is not a clean receipt. */
    private void accept(As2Partner partner, As2Messages.Outbound sent, MimeEntity entity) throws Exception {
        Mdn.Notice notice;
        try {
            MimeEntity report = entity;
            if (entity.is("multipart/signed")) {
                List<byte[]> parts = entity.parts();
                if (parts.size() != 2) {
                    throw new MdnRejectedException("signed MDN without exactly two parts");
                }
                Smime.verify(parts.get(0), MimeEntity.parse(parts.get(1)).decodedBody(),
                        keystore.certificate(partner.partnerCertAlias()), partner.partnerId());
                report = MimeEntity.parse(parts.get(0));
            } else if (partner.mdnSigned()) {
                throw new MdnRejectedException("the MDN is not signed, though a signed MDN was required");
            }
            notice = Mdn.read(report);
        } catch (As2DispositionException e) {
            throw new MdnRejectedException("the MDN's signature does not verify: " + e.modifier() + ": " + e.getMessage());
        } catch (jakarta.mail.MessagingException e) {
            throw new MdnRejectedException("the answer is not a readable MDN: " + e.getMessage());
        }
        String original = notice.originalMessageId();
        if (original == null || !original.trim().equals(sent.messageId())) {
            throw new MdnRejectedException("the MDN is for Message-ID " + original + ", not " + sent.messageId());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("messageId", sent.messageId());
        details.put("disposition", notice.disposition());
        if (!notice.positive()) {
            // a refusal is final: sending the same thing again would be refused again. Parked at once, with the
            // partner's reason on the timeline, for an operator to fix (certificate, profile) and replay.
            String reason = "AS2 partner " + partner.partnerId() + " refused " + label(sent) + ": " + notice.disposition()
                    + (notice.text().isEmpty() ? "" : " (" + notice.text() + ")");
            if (settle(sent, As2Messages.REJECTED, notice.disposition(), reason)) {
                parkOnDeadLetter(sent, reason);
            }
            return;
        }
        if (sent.mic() != null && partner.mdnSigned() && !Smime.sameMic(sent.mic(), notice.mic())
                && !Smime.sameMic(sent.micUncompressed(), notice.mic())) {
            throw new MdnRejectedException("the MDN's MIC " + notice.mic() + " does not match ours (" + sent.mic()
                    + "): the partner did not receive what we sent");
        }
        details.put("mic", notice.mic());
        settle(sent, As2Messages.DELIVERED, notice.disposition(), "AS2 partner " + partner.partnerId() + " confirmed "
                + label(sent) + " with a " + (entity.is("multipart/signed") ? "signed" : "unsigned") + " MDN"
                + (notice.mic() == null ? "" : ", MIC verified"));
    }

    /** Records the outcome and its timeline event once; returns whether this call recorded it. */
    private boolean settle(As2Messages.Outbound sent, String status, String disposition, String summary) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            if (!messages.settle(sent.id(), status, disposition)) {
                return false;
            }
            timeline(sent, "AS2_" + status, summary, disposition == null ? Map.of("messageId", sent.messageId())
                    : Map.of("messageId", sent.messageId(), "disposition", disposition));
            return true;
        }));
    }

    /** Route in-as2-mdn: an asynchronous MDN for something we sent. */
    public void receiveAsyncMdn(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        MimeEntity entity = MimeEntity.ofHttp(in.getHeader("Content-Type", "", String.class),
                in.getHeader("Content-Transfer-Encoding", String.class), in.getBody(byte[].class));
        String from = As2Inbound.as2Name(in.getHeader("AS2-From", String.class));
        String to = As2Inbound.as2Name(in.getHeader("AS2-To", String.class));
        As2Partner partner = partners.findByAs2Ids(from == null ? "" : from, to == null ? "" : to).orElseThrow(() ->
                org.tradehub.web.HubProblemException.notFound("No AS2 partner '" + from + "' sends to '" + to + "'."));
        MimeEntity report = entity;
        if (entity.is("multipart/signed")) {
            report = MimeEntity.parse(entity.parts().get(0));
        }
        String originalId = Mdn.read(report).originalMessageId();
        As2Messages.Outbound sent = messages.outbound(partner.partnerId(), originalId == null ? "" : originalId.trim())
                .orElseThrow(() -> org.tradehub.web.HubProblemException.notFound("No message " + originalId
                        + " was sent to " + partner.partnerId() + "."));
        try {
            accept(partner, sent, entity);
        } catch (MdnRejectedException e) {
            // a forged or broken MDN leaves the message waiting (and resent when overdue)
            LOG.warn("Asynchronous MDN for {} from {} not accepted: {}", sent.messageId(), partner.partnerId(), e.getMessage());
            throw org.tradehub.web.HubProblemException.badRequest("MDN not accepted: " + e.getMessage());
        }
        in.getHeaders().clear();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        in.setBody(new byte[0]);
    }

    /** Route as2-mdn-overdue: resends what still waits for its asynchronous MDN, then parks it. */
    public void checkOverdue() {
        for (As2Messages.Outbound o : messages.overdue()) {
            try {
                As2Partner partner = partners.find(o.partnerId()).orElseThrow();
                if (o.attempts() < properties.asyncMdnMaxAttempts()) {
                    // claimed in the database first: with several hub instances only one resends it
                    if (messages.claimResend(o.id(), o.attempts(), asyncDue(partner, o.attempts() + 1))) {
                        LOG.warn("No MDN from {} for {} yet (attempt {}): sending again", o.partnerId(), o.messageId(), o.attempts());
                        transmit(partner, o.attempt(o.mic(), o.micUncompressed(), o.status(), o.attempts() + 1),
                                ledger.documentContent(o.documentId()).orElseThrow(), Attempt.CLAIMED);
                    }
                } else {
                    park(o);
                }
            } catch (Exception e) {
                LOG.warn("Resending AS2 message {} to {} failed: {}", o.messageId(), o.partnerId(), e.getMessage());
            }
        }
    }

    private void park(As2Messages.Outbound o) {
        String reason = "MDN overdue: AS2 partner " + o.partnerId() + " sent no MDN for Message-ID " + o.messageId()
                + " after " + o.attempts() + " attempts";
        boolean mine = tx.execute(s -> {
            if (!messages.settle(o.id(), As2Messages.MDN_OVERDUE, null)) {
                return false;
            }
            timeline(o, "MDN_OVERDUE", reason + ". It is parked on the dead-letter queue and can be replayed.",
                    Map.of("messageId", o.messageId(), "attempts", o.attempts()));
            return true;
        });
        if (mine) {
            parkOnDeadLetter(o, reason);
        }
    }

    /** The document, as it was queued, onto hub.dead-letter (the timeline already says why). */
    private void parkOnDeadLetter(As2Messages.Outbound o, String reason) {
        byte[] payload = ledger.documentContent(o.documentId()).orElse(new byte[0]);
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(WebhookGuard.PARTNER, o.partnerId());
        headers.put(WebhookGuard.TENANT, o.tenantId());
        if (o.transactionId() != null) {
            headers.put("hubTransactionId", o.transactionId());
        }
        if (o.documentType() != null) {
            headers.put("hubDocumentType", o.documentType());
        }
        headers.put("hubDocumentId", o.documentId());
        headers.put("hubContentType", o.contentType());
        headers.put("hubFailureReason", reason);
        headers.put("hubFailedRoute", "out-as2");
        headers.put("hubOriginQueue", "hub.outbound.as2");
        headers.put("hubFailedAt", ledger.now().toString());
        producer.sendBodyAndHeaders("jms:queue:hub.dead-letter", payload, headers);
        LOG.warn(reason);
    }

    private String transactionOf(String transactionId) {
        return transactionId != null && ledger.find(transactionId).isPresent() ? transactionId : null;
    }

    private void timeline(As2Messages.Outbound o, String type, String summary, Map<String, ?> details) {
        if (o.transactionId() != null) {
            ledger.addEvent(o.transactionId(), type, summary, details);
        }
    }

    private static String label(As2Messages.Outbound o) {
        return o.documentType() == null ? "the document" : o.documentType();
    }

    static String defaultContentType(byte[] payload) {
        String head = new String(payload, 0, Math.min(payload.length, 16), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("UNA") || head.startsWith("UNB")) {
            return "application/edifact";
        }
        if (head.startsWith("ISA")) {
            return "application/edi-x12";
        }
        return head.startsWith("<") ? "application/xml" : "application/octet-stream";
    }
}

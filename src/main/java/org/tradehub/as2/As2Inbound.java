package org.tradehub.as2;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

import jakarta.mail.MessagingException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;
import org.tradehub.xml.SafeXml;
import org.tradehub.ledger.Ids;

/**
 * The AS2 station's receiving side (route in-as2): identify the partner by AS2-From/AS2-To, undo its security layers
 * with that partner's material only (our key for it, its certificate), enforce what its profile requires, then,
 * once the route has durably queued the payload, answer with the MDN it asked for (sync or async, signed or not,
 * with the MIC of what we verified). Every refusal becomes a negative MDN with the RFC 4130 error modifier.
 *
 * <p>Why not camel-as2 4.17's server: it verifies signatures only when {@code validateSigningCertificateChain} is
 * set, for all partners at once and then requires them; its shared MDN responder keeps the keys of whichever
 * partner was seen last (CAMEL-24429, a race that can sign or verify with another partner's material); and a route
 * can only make its MDN "failed" without a modifier. The hub needs per-partner verification before anything reads
 * the payload and the precise dispositions, so it does S/MIME itself with BouncyCastle (class Smime).
 */
@Component("as2Inbound")
public class As2Inbound {

    private static final Logger LOG = LoggerFactory.getLogger(As2Inbound.class);
    static final String REQUEST = "hubAs2Request";
    public static final String DESTINATION = "hubAs2Destination";
    public static final String DUPLICATE = "hubAs2Duplicate";
    public static final String MDN_QUEUE = "jms:queue:hub.as2.mdn.outbound";

    private final As2Partners partners;
    private final As2Keystore keystore;
    private final As2Messages messages;
    private final As2Properties properties;
    private final Ledger ledger;
    private final ProducerTemplate producer;

    public As2Inbound(As2Partners partners, As2Keystore keystore, As2Messages messages, As2Properties properties,
                      Ledger ledger, ProducerTemplate producer) {
        this.partners = partners;
        this.keystore = keystore;
        this.messages = messages;
        this.properties = properties;
        this.ledger = ledger;
        this.producer = producer;
    }

    /** What the sender asked of us; kept on the exchange so a refusal can still answer it. */
    record Request(String messageId, String as2From, String as2To, String mdnTo, String mdnOptions, String receiptUrl,
                   As2Partner partner, String mic) {

        Request with(As2Partner p, String newMic) {
            return new Request(messageId, as2From, as2To, mdnTo, mdnOptions, receiptUrl, p, newMic);
        }

        boolean wantsMdn() {
            return mdnTo != null;
        }

        boolean wantsSignedMdn() {
            return mdnOptions != null && mdnOptions.toLowerCase(Locale.ROOT).contains("pkcs7-signature");
        }

        /** The first MIC algorithm of signed-receipt-micalg we support (RFC 4130 7.3). */
        String micAlgorithm() {
            if (mdnOptions == null) {
                return null;
            }
            for (String option : mdnOptions.split(";")) {
                String[] kv = option.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("signed-receipt-micalg")) {
                    String[] values = kv[1].split(",");
                    for (int i = 1; i < values.length; i++) {
                        if (Smime.knownDigest(values[i])) {
                            return values[i].trim().toLowerCase(Locale.ROOT);
                        }
                    }
                }
            }
            return null;
        }
    }

    private record Unwrapped(MimeEntity payload, byte[] micSource, boolean signed, boolean encrypted, boolean compressed) {}

    /** Verifies and opens the message; the body becomes the payload and the hub* headers say where it goes. */
    public void receive(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Request request = new Request(in.getHeader("Message-ID", String.class), as2Name(in.getHeader("AS2-From", String.class)),
                as2Name(in.getHeader("AS2-To", String.class)), in.getHeader("Disposition-Notification-To", String.class),
                in.getHeader("Disposition-Notification-Options", String.class),
                in.getHeader("Receipt-Delivery-Option", String.class), null, null);
        exchange.setProperty(REQUEST, request);
        if (request.messageId() == null || request.as2From() == null || request.as2To() == null) {
            throw new As2DispositionException(As2DispositionException.UNEXPECTED,
                    "An AS2 message needs the headers Message-ID, AS2-From and AS2-To");
        }
        As2Partner partner = partners.findByAs2Ids(request.as2From(), request.as2To()).orElseThrow(() ->
                new As2DispositionException(As2DispositionException.AUTHENTICATION_FAILED, "No partner '"
                        + request.as2From() + "' sends to '" + request.as2To() + "' here"));
        exchange.setProperty(REQUEST, request.with(partner, null));

        byte[] body = in.getBody(byte[].class);
        Unwrapped opened = unwrap(partner, MimeEntity.ofHttp(in.getHeader("Content-Type", "application/octet-stream",
                String.class), in.getHeader("Content-Transfer-Encoding", String.class), body == null ? new byte[0] : body));
        if (partner.requireSignature() && !opened.signed()) {
            throw new As2DispositionException(As2DispositionException.INSUFFICIENT_SECURITY,
                    "Partner " + partner.partnerId() + " must sign its messages; this one is not signed");
        }
        if (partner.requireEncryption() && !opened.encrypted()) {
            throw new As2DispositionException(As2DispositionException.INSUFFICIENT_SECURITY,
                    "Partner " + partner.partnerId() + " must encrypt its messages; this one is not encrypted");
        }
        String micAlgorithm = request.micAlgorithm();
        String mic = micAlgorithm == null ? null : Smime.mic(opened.micSource(), micAlgorithm);
        exchange.setProperty(REQUEST, request.with(partner, mic));

        byte[] payload = opened.payload().decodedBody();
        String sha256 = Ledger.sha256(payload);
        // A resend with the same Message-ID and the same content is answered again but not queued twice; a resend
        // under a new Message-ID is queued (the EDI stage recognises the interchange by partner, control number and
        // hash), so a peer that renumbers its resends (OpenAS2 does) is never silently swallowed here.
        var earlier = messages.inboundPayloadHash(partner.partnerId(), request.messageId());
        if (earlier.isPresent() && !earlier.get().equals(sha256)) {
            throw new As2DispositionException(As2DispositionException.UNEXPECTED, "Message-ID " + request.messageId()
                    + " was already used for different content; send it with a new Message-ID");
        }
        in.getHeaders().clear();
        in.setHeader(DUPLICATE, earlier.isPresent());
        in.setHeader(WebhookGuard.TENANT, partner.tenantId());
        in.setHeader(WebhookGuard.PARTNER, partner.partnerId());
        in.setHeader(WebhookGuard.CHANNEL, "as2");
        in.setHeader(WebhookGuard.RECEIPT, Ids.timeOrdered().toString());
        in.setHeader(WebhookGuard.RECEIVED_AT, ledger.now().toString());
        in.setHeader("hubAs2MessageId", request.messageId());
        in.setHeader("hubContentType", opened.payload().contentType());
        in.setHeader("hubPayloadSha256", sha256);
        String fileName = fileName(opened.payload());
        if (fileName != null) {
            in.setHeader("hubFileName", fileName);
        }
        in.setHeader("_AMQ_DUPL_ID", "as2:" + partner.partnerId() + ":" + request.messageId() + ":" + sha256);
        String destination = classify(payload);
        in.setHeader(DESTINATION, destination);
        if ("order".equals(destination)) {
            in.setHeader(WebhookGuard.FORMAT, "ubl-order-2.1");
            in.setHeader(WebhookGuard.SYNTAX, "xml");
            // a resent order under a new Message-ID is the same order: the ledger de-duplicates on its hash
            in.setHeader(WebhookGuard.DEDUPE_KEYS, "as2-payload:" + partner.partnerId() + ":" + sha256);
        }
        in.setBody(payload);
        LOG.info("AS2 message {} from {} verified (signed={}, encrypted={}, compressed={}, {} bytes) -> {}",
                request.messageId(), partner.partnerId(), opened.signed(), opened.encrypted(), opened.compressed(),
                payload.length, destination);
    }

    private Unwrapped unwrap(As2Partner partner, MimeEntity entity) throws As2DispositionException, MessagingException {
        boolean signed = false;
        boolean encrypted = false;
        boolean compressed = false;
        byte[] micSource = null;
        int expandLimit = (int) Math.min(Integer.MAX_VALUE - 1, properties.maxBodyBytes() * 20);
        for (int layer = 0; layer < 6; layer++) {
            if (entity.is("application/pkcs7-mime") || entity.is("application/x-pkcs7-mime")) {
                String smimeType = String.valueOf(entity.type().getParameter("smime-type")).toLowerCase(Locale.ROOT);
                byte[] cms = entity.decodedBody();
                if (smimeType.equals("compressed-data")) {
                    entity = MimeEntity.parse(Smime.decompress(cms, expandLimit));
                    compressed = true;
                } else {
                    entity = MimeEntity.parse(Smime.decrypt(cms, keystore.certificate(partner.ourKeyAlias()),
                            keystore.privateKey(partner.ourKeyAlias())));
                    encrypted = true;
                }
            } else if (entity.is("multipart/signed") && !signed) {
                List<byte[]> parts = entity.parts();
                if (parts.size() != 2) {
                    throw new As2DispositionException(As2DispositionException.AUTHENTICATION_FAILED,
                            "A signed message has two parts, content and signature; this one has " + parts.size());
                }
                MimeEntity signature = MimeEntity.parse(parts.get(1));
                Smime.verify(parts.get(0), signature.decodedBody(), keystore.certificate(partner.partnerCertAlias()),
                        partner.partnerId());
                micSource = parts.get(0);
                entity = MimeEntity.parse(parts.get(0));
                signed = true;
            } else {
                break;
            }
        }
        if (!signed) {
            // RFC 4130 7.3.1 / RFC 5402 4.1: unsigned but encrypted or compressed -> the inner entity with its
            // headers; neither -> the content alone
            micSource = encrypted || compressed ? entity.raw() : entity.body();
        }
        return new Unwrapped(entity, micSource, signed, encrypted, compressed);
    }

    /** EDIFACT or X12 interchange -> edi; a UBL 2.1 Order -> order; anything else -> answer. */
    static String classify(byte[] payload) {
        String head = new String(payload, 0, Math.min(payload.length, 512), StandardCharsets.ISO_8859_1)
                .replace("\u00EF\u00BB\u00BF", "").stripLeading();
        if (head.startsWith("UNA") || head.startsWith("UNB") || head.startsWith("ISA")) {
            return "edi";
        }
        if (head.startsWith("<")) {
            try {
                XMLStreamReader reader = SafeXml.xmlInputFactory().createXMLStreamReader(new ByteArrayInputStream(payload));
                while (reader.hasNext()) {
                    if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                        return "Order".equals(reader.getLocalName())
                                && "urn:oasis:names:specification:ubl:schema:xsd:Order-2".equals(reader.getNamespaceURI())
                                ? "order" : "answer";
                    }
                }
            } catch (Exception notXml) {
                return "answer";
            }
        }
        return "answer";
    }

    private static final Pattern FILE_NAME = Pattern.compile("(?im)^Content-Disposition:.*filename=\"?([^\";\\r\\n]+)");

    private static String fileName(MimeEntity payload) {
        try {
            String raw = new String(payload.raw(), 0, payload.raw().length - payload.body().length, StandardCharsets.US_ASCII);
            var m = FILE_NAME.matcher(raw);
            return m.find() ? java.nio.file.Path.of(m.group(1).trim()).getFileName().toString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** After the payload is durably queued: remember the Message-ID, then answer with a positive MDN. */
    public void receipt(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        Request request = exchange.getProperty(REQUEST, Request.class);
        if (!in.getHeader(DUPLICATE, false, Boolean.class)) {
            messages.recordInbound(request.partner().partnerId(), request.partner().tenantId(), request.messageId(),
                    in.getHeader("hubPayloadSha256", String.class), request.mic(), in.getHeader(WebhookGuard.RECEIPT,
                            String.class), in.getHeader("hubContentType", String.class));
        }
        respond(exchange, request, null, "The AS2 message " + request.messageId() + " was received, verified and stored.");
    }

    /** Error policy of route in-as2: a refusal answers with a negative MDN (or a 4xx when no MDN was asked for). */
    public void refuse(Exchange exchange) throws Exception {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Request request = exchange.getProperty(REQUEST, Request.class);
        if (request != null && request.partner() != null && alreadyQueued(cause)) {
            // the broker holds this very message already (same partner, Message-ID and content): it is stored
            respond(exchange, request, null, "The AS2 message " + request.messageId() + " was received and stored.");
            return;
        }
        String modifier = cause instanceof As2DispositionException d ? d.modifier() : As2DispositionException.UNEXPECTED;
        String reason = cause instanceof As2DispositionException ? cause.getMessage()
                : "The message could not be stored; nothing was kept, please send it again";
        if (cause instanceof As2DispositionException) {
            LOG.warn("AS2 message {} refused: {}: {}", request == null ? "?" : request.messageId(), modifier, reason);
        } else {
            LOG.error("AS2 message {} failed", request == null ? "?" : request.messageId(), cause);
        }
        if (request == null || request.messageId() == null) {
            plain(exchange.getMessage(), 400, reason);
            return;
        }
        respond(exchange, request, modifier, "The AS2 message " + request.messageId() + " was refused: " + reason);
    }

    private void respond(Exchange exchange, Request request, String errorModifier, String text) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        if (!request.wantsMdn()) {
            if (errorModifier == null) {
                out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                out.setBody(new byte[0]);
            } else {
                plain(out, errorModifier.equals(As2DispositionException.UNEXPECTED) ? 500 : 403,
                        errorModifier + ": " + text);
            }
            return;
        }
        As2Partner partner = request.partner();
        String disposition = Mdn.disposition(errorModifier);
        MimeEntity report = Mdn.report(request.as2To(), request.messageId(), disposition, request.mic(), text);
        MimeEntity mdn = report;
        if (request.wantsSignedMdn() && partner != null) {
            String digest = request.micAlgorithm() == null ? partner.signingAlgorithm() : request.micAlgorithm();
            mdn = Smime.sign(report, keystore.certificate(partner.ourKeyAlias()), keystore.privateKey(partner.ourKeyAlias()),
                    digest, true);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("AS2-Version", "1.2");
        headers.put("AS2-From", quoteAs2(request.as2To()));
        headers.put("AS2-To", quoteAs2(request.as2From()));
        headers.put("Message-ID", "<" + Ids.random() + "@trade-hub>");
        headers.put("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ledger.now().atZone(ZoneOffset.UTC)));
        headers.put("Subject", "Your requested MDN response");
        headers.put("Mime-Version", "1.0");
        headers.put("Content-Type", MimeEntity.unfold(mdn.contentType()));
        byte[] mdnBody = mdn.body();
        if (request.receiptUrl() != null) {
            if (partner == null) {
                // never post to an address an unidentified sender chose
                plain(out, 403, errorModifier + ": " + text);
                return;
            }
            producer.send(MDN_QUEUE, e -> {
                e.getMessage().setBody(mdnBody);
                e.getMessage().setHeader("hubAs2MdnUrl", request.receiptUrl());
                e.getMessage().setHeader("hubAs2MdnHeaders", As2Http.headerBlock(headers));
                e.getMessage().setHeader(WebhookGuard.PARTNER, partner.partnerId());
                e.getMessage().setHeader(WebhookGuard.TENANT, partner.tenantId());
            });
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            out.setBody(new byte[0]);
            return;
        }
        headers.forEach(out::setHeader);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setBody(mdnBody);
    }

    private static void plain(Message out, int status, String text) {
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader("Content-Type", "text/plain; charset=utf-8");
        out.setBody(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Route in-as2-mdn-outbound: posts a queued asynchronous MDN to the address the sender gave. */
    public void deliverAsyncMdn(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        As2Http.post(in.getHeader("hubAs2MdnUrl", String.class), As2Http.parseHeaderBlock(in.getHeader("hubAs2MdnHeaders",
                String.class)), in.getBody(byte[].class), java.time.Duration.ofSeconds(30));
    }

    private static boolean alreadyQueued(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException) {
                return true;
            }
        }
        return false;
    }

    /** AS2 names may be quoted (RFC 4130 6.2). */
    static String as2Name(String header) {
        if (header == null) {
            return null;
        }
        String v = header.trim();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    static String quoteAs2(String name) {
        return name.contains(" ") ? "\"" + name + "\"" : name;
    }
}

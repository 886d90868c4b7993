package org.tradehub.as2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.helger.as2lib.client.AS2Client;
import com.helger.as2lib.client.AS2ClientRequest;
import com.helger.as2lib.client.AS2ClientResponse;
import com.helger.as2lib.client.AS2ClientSettings;
import com.helger.as2lib.exception.AS2Exception;
import com.helger.as2lib.crypto.ECompressionType;
import com.helger.as2lib.crypto.ECryptoAlgorithmCrypt;
import com.helger.as2lib.crypto.ECryptoAlgorithmSign;
import com.helger.as2lib.crypto.IMICMatchingHandler;
import com.helger.as2lib.crypto.MIC;
import com.helger.as2lib.disposition.DispositionOptions;
import com.helger.as2lib.message.AS2Message;
import com.helger.as2lib.message.AS2MessageMDN;
import com.helger.as2lib.message.IMessage;
import com.helger.as2lib.partner.Partnership;
import com.helger.as2lib.processor.sender.AS2SenderModule;
import com.helger.as2lib.util.AS2Helper;
import com.helger.as2lib.util.AS2HttpHelper;
import com.helger.as2lib.util.AS2IOHelper;
import com.helger.as2lib.util.AS2ResourceHelper;
import com.helger.as2lib.util.dump.IHTTPIncomingDumper;
import com.helger.as2lib.util.dump.IHTTPOutgoingDumper;
import com.helger.as2lib.util.http.AS2HttpClient;
import com.helger.commons.http.EHttpMethod;
import com.helger.commons.state.ETriState;
import com.helger.security.keystore.EKeyStoreType;
import com.helger.mail.cte.EContentTransferEncoding;
import jakarta.mail.internet.MimeBodyPart;

/**
 * A trading partner on an independent AS2 implementation (phax as2-lib 5.1.7): sends to the hub with its own key,
 * as one AS2 id, with the options of one matrix cell, and reports what it saw of the hub's MDN.
 */
public final class As2Peer {

    static final String PASSWORD = "peer-secret";

    public enum Security { PLAIN, SIGNED, ENCRYPTED, SIGNED_ENCRYPTED;
        boolean signs() { return this == SIGNED || this == SIGNED_ENCRYPTED; }
        boolean encrypts() { return this == ENCRYPTED || this == SIGNED_ENCRYPTED; }
    }

    public enum Receipt { NONE, UNSIGNED, SIGNED }

    public enum Compression { NONE, BEFORE_SIGNING, AFTER_SIGNING }

    public record Result(AS2ClientResponse response, String micSent, String micMatched, String micMismatch) {
        public String disposition() {
            return response.getMDNDisposition();
        }
    }

    private final String as2Id;
    private final byte[] keystore;
    /** Read once: as2-lib would parse the PKCS12 bytes again for every message. */
    private final java.security.KeyStore loaded;
    /**
     * Taken out of the keystore once: as2-lib asks the keystore for it on every message, and a PKCS12 key is
     * PBE-encrypted (PBKDF2), which cost the sender more than its RSA signature. In the benchmark the senders share
     * the hub's cores, so every millisecond a sender wastes is taken from the hub.
     */
    private final java.security.PrivateKey privateKey;
    private final X509Certificate certificate;

    /** @param signingKey the key it really signs with (for the key-confusion tests this is another partner's) */
    public As2Peer(String as2Id, TestPki.Identity signingKey, X509Certificate hubCertificate) {
        this.as2Id = as2Id;
        this.keystore = TestPki.keystore(PASSWORD, signingKey, "me", Map.of("hub", hubCertificate));
        try {
            this.loaded = java.security.KeyStore.getInstance("PKCS12");
            loaded.load(new java.io.ByteArrayInputStream(keystore), PASSWORD.toCharArray());
            this.privateKey = (java.security.PrivateKey) loaded.getKey("me", PASSWORD.toCharArray());
            this.certificate = signingKey.certificate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private volatile ECryptoAlgorithmCrypt cipher = ECryptoAlgorithmCrypt.CRYPT_AES128_CBC;

    /** Encrypts with this cipher from now on (AES-128-CBC unless told). */
    public As2Peer cipher(ECryptoAlgorithmCrypt c) {
        this.cipher = c;
        return this;
    }

    public Result send(String url, String hubAs2Id, byte[] payload, String contentType, Security security, Receipt receipt,
                       Compression compression, String asyncMdnUrl, boolean includeCertificate) {
        AtomicReference<String> micSent = new AtomicReference<>();
        AtomicReference<String> matched = new AtomicReference<>();
        AtomicReference<String> mismatch = new AtomicReference<>();
        AS2ClientSettings settings = settings(url, hubAs2Id, security, receipt, compression, asyncMdnUrl);
        settings.setMICMatchingHandler(new IMICMatchingHandler() {
            @Override
            public void onMICMatch(IMessage msg, String mic) {
                matched.set(mic);
            }

            @Override
            public void onMICMismatch(IMessage msg, String original, String received) {
                mismatch.set(original + " <> " + received);
            }
        });
        AS2Client client = client(includeCertificate);
        client.setAS2SenderModuleFactory(() -> new MicRecordingSender(micSent));
        return new Result(client.sendSynchronous(settings, request(payload, contentType, security, receipt)),
                micSent.get(), matched.get(), mismatch.get());
    }

    /** as2-lib's sender, noting the MIC it computed over what it sends (the MIC the MDN must return). */
    private static class MicRecordingSender extends AS2SenderModule {
        private final AtomicReference<String> micSent;

        MicRecordingSender(AtomicReference<String> micSent) {
            this.micSent = micSent;
        }

        @Override
        protected MIC calculateAndStoreMIC(AS2Message msg) throws Exception {
            MIC mic = super.calculateAndStoreMIC(msg);
            micSent.set(mic.getAsAS2String());
            return mic;
        }
    }

    /**
     * A message as as2-lib builds it for the wire, its HTTP headers and body exactly, with the MIC as2-lib expects
     * back in the MDN. Hop-by-hop headers (Connection) are left out: they belong to the connection, not the message.
     */
    public record Prepared(String messageId, List<Map.Entry<String, String>> headers, byte[] body, String mic) {
    }

    /**
     * Builds a message as {@link #send} would (as2-lib signs, compresses, encrypts, writes the MIME and the AS2
     * headers) but does not post it: a load generator posts the bytes later, so as2-lib's work is not done while
     * the hub is measured. Check the answer with {@link #checkMdn}.
     */
    public Prepared prepare(String url, String hubAs2Id, byte[] payload, String contentType, Security security,
                            Receipt receipt) {
        AtomicReference<String> micSent = new AtomicReference<>();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream(payload.length * 4);
        AS2Client client = client(true);
        client.setAS2SenderModuleFactory(() -> new MicRecordingSender(micSent) {
            @Override
            public AS2HttpClient getHttpClient(String target, EHttpMethod method, java.net.Proxy proxy)
                    throws AS2Exception {
                // as2-lib hands this client the headers and the body stream it would put on the wire; keep them
                return new AS2HttpClient(target, getConnectTimeout(), getResponseTimeout(), method, proxy, null, null) {
                    @Override
                    public void setHttpHeader(String name, String value) {
                        if (!name.equalsIgnoreCase("Connection")) {
                            headers.add(Map.entry(name, value));
                        }
                    }

                    @Override
                    public long send(InputStream data, EContentTransferEncoding cte, IHTTPOutgoingDumper dumper,
                                     AS2ResourceHelper resources) throws IOException {
                        // as as2-lib's own entity writes it: encoded when a transfer encoding is given, else as is
                        try (OutputStream out = cte == null ? body
                                : AS2IOHelper.getContentTransferEncodingAwareOutputStream(body, cte.getID())) {
                            return data.transferTo(out);
                        } catch (jakarta.mail.MessagingException e) {
                            throw new IOException(e);
                        }
                    }

                    @Override
                    public int getResponseCode() {
                        return 200;
                    }
                };
            }

            @Override
            protected void receiveSyncMDN(AS2Message msg, AS2HttpClient http, MIC originalMic,
                                          IHTTPIncomingDumper dumper, AS2ResourceHelper resources) {
                // nothing was sent: the MDN is checked by checkMdn once the message was really posted
            }
        });
        AS2ClientSettings settings = settings(url, hubAs2Id, security, receipt, Compression.NONE, null);
        AS2ClientResponse response = client.sendSynchronous(settings, request(payload, contentType, security, receipt));
        if (response.hasException()) {
            throw new IllegalStateException("as2-lib could not build the message", response.getException());
        }
        return new Prepared(response.getOriginalMessageID(), List.copyOf(headers), body.toByteArray(), micSent.get());
    }

    /**
     * Checks with as2-lib the synchronous MDN the receiver answered to a {@link #prepare prepared} message: its
     * signature against {@code signerCertificate}, the original Message-ID, a "processed" disposition without
     * error or warning, and the MIC of what was sent. Null when all hold, else what did not.
     */
    public static String checkMdn(Prepared sent, int status, Map<String, List<String>> headers, byte[] body,
                                  X509Certificate signerCertificate) {
        if (status != 200) {
            return "HTTP " + status + " " + new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
        }
        try (AS2ResourceHelper resources = new AS2ResourceHelper()) {
            AS2Message msg = new AS2Message();
            msg.setMessageID(sent.messageId());
            AS2MessageMDN mdn = new AS2MessageMDN(msg);
            headers.forEach((name, values) -> values.forEach(v -> mdn.headers().addHeader(name, v)));
            mdn.setData(new MimeBodyPart(AS2HttpHelper.getAsInternetHeaders(mdn.headers()), body));
            AtomicReference<X509Certificate> verifiedWith = new AtomicReference<>();
            AS2Helper.parseMDN(msg, signerCertificate, false, verifiedWith::set, resources);
            if (!signerCertificate.equals(verifiedWith.get())) {
                return "the MDN's signature was not verified with the expected certificate";
            }
            String original = mdn.attrs().getAsString(AS2MessageMDN.MDNA_ORIG_MESSAGEID);
            if (!sent.messageId().equals(original)) {
                return "the MDN answers Message-ID " + original + ", not " + sent.messageId();
            }
            String disposition = mdn.attrs().getAsString(AS2MessageMDN.MDNA_DISPOSITION);
            if (disposition == null || !disposition.replace(" ", "").toLowerCase(java.util.Locale.ROOT).endsWith(";processed")) {
                return "disposition " + disposition;
            }
            String mic = mdn.attrs().getAsString(AS2MessageMDN.MDNA_MIC);
            if (sent.mic() != null && (mic == null || !MIC.parse(sent.mic()).equals(MIC.parse(mic)))) {
                return "MIC mismatch " + sent.mic() + " <> " + mic;
            }
            return null;
        } catch (Exception e) {
            return "as2-lib cannot accept the MDN: " + e;
        }
    }

    private AS2ClientSettings settings(String url, String hubAs2Id, Security security, Receipt receipt,
                                       Compression compression, String asyncMdnUrl) {
        AS2ClientSettings settings = new AS2ClientSettings();
        settings.setKeyStore(EKeyStoreType.PKCS12, keystore, PASSWORD);
        settings.setSenderData(as2Id, "peer@example.com", "me");
        settings.setReceiverData(hubAs2Id, "hub", url);
        settings.setPartnershipName(as2Id + "-" + hubAs2Id);
        // as2-lib's default Message-ID has the second and 4 random digits: messages sent by the dozen per second (the
        // RFC 4130 matrix) or built by the hundred (the benchmark) would now and then share one, and the hub rightly
        // refuses a Message-ID reused for other content
        settings.setMessageIDFormat("as2-lib-$date.ddMMuuuuHHmmssZ$-" + java.util.UUID.randomUUID()
                + "@$msg.sender.as2_id$_$msg.receiver.as2_id$");
        settings.setEncryptAndSign(security.encrypts() ? cipher : null,
                security.signs() ? ECryptoAlgorithmSign.DIGEST_SHA_256 : null);
        if (compression != Compression.NONE) {
            settings.setCompress(ECompressionType.ZLIB, compression == Compression.BEFORE_SIGNING);
        }
        settings.setMDNRequested(receipt != Receipt.NONE);
        if (receipt == Receipt.SIGNED) {
            settings.setMDNOptions(new DispositionOptions().setProtocolImportance(DispositionOptions.IMPORTANCE_REQUIRED)
                    .setProtocol(DispositionOptions.PROTOCOL_PKCS7_SIGNATURE)
                    .setMICAlgImportance(DispositionOptions.IMPORTANCE_REQUIRED)
                    .setMICAlg(ECryptoAlgorithmSign.DIGEST_SHA_256));
        } else if (receipt == Receipt.UNSIGNED) {
            settings.setMDNOptions((String) null);
        }
        if (asyncMdnUrl != null && receipt != Receipt.NONE) {
            settings.setAsyncMDNUrl(asyncMdnUrl);
        }
        return settings;
    }

    private static AS2ClientRequest request(byte[] payload, String contentType, Security security, Receipt receipt) {
        AS2ClientRequest request = new AS2ClientRequest("test " + security + " " + receipt)
                .setData(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(payload, contentType)))
                .setContentType(contentType);
        request.setContentTransferEncoding(EContentTransferEncoding.BINARY);
        return request;
    }

    private AS2Client client(boolean includeCertificate) {
        return new AS2Client() {
            @Override
            protected void initCertificateFactory(AS2ClientSettings s, com.helger.as2lib.session.AS2Session session)
                    throws com.helger.as2lib.exception.AS2Exception {
                var factory = new com.helger.as2lib.cert.PredefinedCertificateFactory(loaded) {
                    @Override
                    public java.security.PrivateKey getPrivateKey(X509Certificate cert)
                            throws com.helger.as2lib.exception.AS2Exception {
                        return cert.equals(certificate) ? privateKey : super.getPrivateKey(cert);
                    }
                };
                factory.setPassword(PASSWORD);
                factory.initDynamicComponent(session, null);
                factory.reinitKeyStore();
                session.setCertificateFactory(factory);
            }

            @Override
            protected Partnership buildPartnership(AS2ClientSettings s) {
                Partnership p = super.buildPartnership(s);
                p.setIncludeCertificateInSignedContent(includeCertificate ? ETriState.TRUE : ETriState.FALSE);
                return p;
            }
        };
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}

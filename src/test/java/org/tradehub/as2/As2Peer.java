package org.tradehub.as2;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.helger.as2lib.client.AS2Client;
import com.helger.as2lib.client.AS2ClientRequest;
import com.helger.as2lib.client.AS2ClientResponse;
import com.helger.as2lib.client.AS2ClientSettings;
import com.helger.as2lib.crypto.ECompressionType;
import com.helger.as2lib.crypto.ECryptoAlgorithmCrypt;
import com.helger.as2lib.crypto.ECryptoAlgorithmSign;
import com.helger.as2lib.crypto.IMICMatchingHandler;
import com.helger.as2lib.crypto.MIC;
import com.helger.as2lib.disposition.DispositionOptions;
import com.helger.as2lib.message.AS2Message;
import com.helger.as2lib.message.IMessage;
import com.helger.as2lib.partner.Partnership;
import com.helger.as2lib.processor.sender.AS2SenderModule;
import com.helger.commons.state.ETriState;
import com.helger.security.keystore.EKeyStoreType;
import com.helger.mail.cte.EContentTransferEncoding;

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
        AS2ClientSettings settings = new AS2ClientSettings();
        settings.setKeyStore(EKeyStoreType.PKCS12, keystore, PASSWORD);
        settings.setSenderData(as2Id, "peer@example.com", "me");
        settings.setReceiverData(hubAs2Id, "hub", url);
        settings.setPartnershipName(as2Id + "-" + hubAs2Id);
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
        AS2ClientRequest request = new AS2ClientRequest("test " + security + " " + receipt)
                .setData(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(payload, contentType)))
                .setContentType(contentType);
        request.setContentTransferEncoding(EContentTransferEncoding.BINARY);
        AS2Client client = new AS2Client() {
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
        client.setAS2SenderModuleFactory(() -> new AS2SenderModule() {
            @Override
            protected MIC calculateAndStoreMIC(AS2Message msg) throws Exception {
                MIC mic = super.calculateAndStoreMIC(msg);
                micSent.set(mic.getAsAS2String());
                return mic;
            }
        });
        return new Result(client.sendSynchronous(settings, request), micSent.get(), matched.get(), mismatch.get());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}

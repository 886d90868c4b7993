package org.tradehub.as2;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.helger.as2lib.cert.PredefinedCertificateFactory;
import com.helger.as2lib.crypto.ECompressionType;
import com.helger.as2lib.crypto.ECryptoAlgorithmCrypt;
import com.helger.as2lib.crypto.ECryptoAlgorithmSign;
import com.helger.as2lib.exception.AS2Exception;
import com.helger.as2lib.message.AS2Message;
import com.helger.as2lib.message.IMessage;
import com.helger.as2lib.partner.Partnership;
import com.helger.as2lib.partner.SelfFillingPartnershipFactory;
import com.helger.as2lib.processor.DefaultMessageProcessor;
import com.helger.as2lib.processor.module.AbstractProcessorModule;
import com.helger.as2lib.processor.receiver.AS2ReceiverModule;
import com.helger.as2lib.processor.receiver.net.AS2ReceiverHandler;
import com.helger.as2lib.processor.sender.AsynchMDNSenderModule;
import com.helger.as2lib.processor.storage.IProcessorStorageModule;
import com.helger.as2lib.session.AS2Session;
import com.helger.commons.state.ETriState;

/**
 * A trading partner RECEIVING with as2-lib 5.1.7: as2-lib's own receiver handler reads the HTTP request, decrypts,
 * decompresses and verifies the signature (against the hub certificate configured for the partnership, never one
 * embedded in the message), computes the MIC and writes the MDN (sync on the connection, async through its
 * AsynchMDNSenderModule). Our code only accepts the connections and keeps what as2-lib stored.
 *
 * <p>Each partnership (sender = the hub's AS2 id, receiver = one AS2 id per test case) is configured as a partner
 * onboarding the hub would configure it: what it expects us to sign, encrypt and compress.
 */
final class As2LibReceiver implements AutoCloseable {

    static final String PASSWORD = "receiver-secret";

    /** What the partner's partnership with the hub says (the mirror of the hub's outbound profile). */
    record Expect(boolean signed, boolean encrypted, boolean compressed) {}

    /** A message as2-lib accepted and stored. */
    record Received(String messageId, String as2From, String as2To, byte[] payload, boolean signed, boolean encrypted,
                    boolean compressed) {}

    private final AS2Session session = new AS2Session();
    private final AS2ReceiverModule module = new AS2ReceiverModule();
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "as2lib-receiver");
        t.setDaemon(true);
        return t;
    });
    /** Connections taken (each one AS2 message, stored or refused). */
    final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, Expect> partnerships = new ConcurrentHashMap<>();
    private final Map<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();

    As2LibReceiver(TestPki.Identity own, X509Certificate hubCertificate) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, PASSWORD.toCharArray());
        keys.setKeyEntry("me", own.keys().getPrivate(), PASSWORD.toCharArray(), new Certificate[]{own.certificate()});
        keys.setCertificateEntry("hub", hubCertificate);
        PredefinedCertificateFactory certificates = new PredefinedCertificateFactory(keys);
        certificates.setPassword(PASSWORD);
        certificates.initDynamicComponent(session, null);
        certificates.reinitKeyStore();
        session.setCertificateFactory(certificates);

        SelfFillingPartnershipFactory factory = new SelfFillingPartnershipFactory() {
            @Override
            protected void onBeforeAddPartnership(Partnership p) throws AS2Exception {
                super.onBeforeAddPartnership(p);
                configure(p);
            }
        };
        factory.initDynamicComponent(session, null);
        session.setPartnershipFactory(factory);

        DefaultMessageProcessor processor = new DefaultMessageProcessor();
        processor.initDynamicComponent(session, null);
        processor.addModule(new Store());
        AsynchMDNSenderModule asyncMdn = new AsynchMDNSenderModule();
        asyncMdn.initDynamicComponent(session, null);
        processor.addModule(asyncMdn);
        session.setMessageProcessor(processor);

        module.initDynamicComponent(session, null);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/as2";
    }

    /** The partnership hub -> partnerAs2Id, as the partner configures it. */
    void expect(String partnerAs2Id, Expect expect) {
        partnerships.put(partnerAs2Id, expect);
    }

    /** The next message as2-lib stored for this receiving AS2 id (null if none within the wait). */
    Received next(String partnerAs2Id, long waitMs) throws InterruptedException {
        return queue(partnerAs2Id).poll(waitMs, TimeUnit.MILLISECONDS);
    }

    private BlockingQueue<Received> queue(String as2Id) {
        return received.computeIfAbsent(as2Id, k -> new LinkedBlockingQueue<>());
    }

    /** Key aliases and security options of a partnership, in both directions (message in, MDN out). */
    private void configure(Partnership p) {
        boolean inbound = partnerships.containsKey(p.getReceiverAS2ID());
        Expect e = partnerships.get(inbound ? p.getReceiverAS2ID() : p.getSenderAS2ID());
        p.setSenderX509Alias(inbound ? "hub" : "me");
        p.setReceiverX509Alias(inbound ? "me" : "hub");
        // verify with the certificate configured for the hub; the one in the signature is whatever the sender chose
        p.setVerifyUseCertificateInBodyPart(ETriState.FALSE);
        p.setIncludeCertificateInSignedContent(ETriState.TRUE);
        if (e != null) {
            p.setForceVerify(e.signed());
            p.setSigningAlgorithm(e.signed() ? ECryptoAlgorithmSign.DIGEST_SHA_256 : null);
            p.setEncryptAlgorithm(e.encrypted() ? ECryptoAlgorithmCrypt.CRYPT_AES128_CBC : null);
            p.setCompressionType(e.compressed() ? ECompressionType.ZLIB : null);
            // (unsigned: none, overriding the SHA-1 SelfFillingPartnershipFactory puts in, which would make as2-lib
            // include the MIME headers in the MIC of an unsigned, unencrypted message; RFC 4130 7.3.1: content only)
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                pool.submit(() -> {
                    try (socket) {
                        new AS2ReceiverHandler(module).handle(module, socket);
                    } catch (IOException ignored) {
                        // the hub hung up
                    }
                });
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** as2-lib's storage step: keeps the payload it decrypted, decompressed and verified. */
    private final class Store extends AbstractProcessorModule implements IProcessorStorageModule {
        @Override
        public boolean canHandle(String action, IMessage msg, Map<String, Object> options) {
            return DO_STORE.equals(action) && msg instanceof AS2Message;
        }

        @Override
        public void handle(String action, IMessage msg, Map<String, Object> options) throws AS2Exception {
            try {
                byte[] payload = msg.getData().getInputStream().readAllBytes();
                queue(msg.getAS2To()).add(new Received(msg.getMessageID(), msg.getAS2From(), msg.getAS2To(), payload,
                        msg.attrs().getAsBoolean(AS2Message.ATTRIBUTE_RECEIVED_SIGNED, false),
                        msg.attrs().getAsBoolean(AS2Message.ATTRIBUTE_RECEIVED_ENCRYPTED, false),
                        msg.attrs().getAsBoolean(AS2Message.ATTRIBUTE_RECEIVED_COMPRESSED, false)));
            } catch (Exception e) {
                throw new AS2Exception("cannot store: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}

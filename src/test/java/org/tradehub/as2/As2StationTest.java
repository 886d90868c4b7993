package org.tradehub.as2;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.helger.as2lib.crypto.ECryptoAlgorithmSign;
import com.helger.as2lib.processor.sender.AS2SenderModule;
import com.helger.mail.cte.EContentTransferEncoding;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeBodyPart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.tradehub.as2.As2Peer.Compression;
import org.tradehub.as2.As2Peer.Receipt;
import org.tradehub.as2.As2Peer.Security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub's AS2 station. Receiving: driven by an AS2 partner on an independent implementation (as2-lib 5.1.7),
 * across the RFC 4130 matrix, the refusals, the key-confusion gap of camel-as2 (under concurrency), resends and the
 * transport quirks of real peers. Sending: to the hub's own receiving side as partner, and to a partner that never
 * answers.
 */
class As2StationTest extends As2HubTest {

    static final String EDIFACT = "UNA:+.? 'UNB+UNOC:3+SENDER:14+TRADEHUB:14+240101:1200+%s'UNH+1+ORDERS:D:96A:UN'"
            + "BGM+220+PO-%s+9'UNT+3+1'UNZ+1+%s'";

    static TestPki.Identity hubKey;
    static TestPki.Identity partnerA;
    static TestPki.Identity partnerB;
    static TestPki.Identity stranger;
    static TestPki.Identity expiring;
    static String tenantId;
    static HttpServer asyncReceiver;
    static final BlockingQueue<String[]> asyncMdns = new LinkedBlockingQueue<>();

    @Autowired
    Environment env;

    @BeforeEach
    void onboardOnce() throws Exception {
        if (tenantId != null) {
            return;
        }
        hubKey = HUB_KEY;
        partnerA = TestPki.identity("partner-a", Duration.ofDays(365));
        partnerB = TestPki.identity("partner-b", Duration.ofDays(365));
        stranger = TestPki.identity("stranger", Duration.ofDays(365));
        expiring = TestPki.identity("partner-old", Duration.ofDays(10));
        trust(Map.of("partner-a", partnerA.certificate(), "partner-b", partnerB.certificate(),
                "partner-old", expiring.certificate()));
        tenantId = newTenant().id();
        putPartner("partner-a", "PARTNER-A", "partner-a", true, false);
        putPartner("partner-b", "PARTNER-B", "partner-b", true, false);
        putPartner("partner-p", "PARTNER-P", "partner-a", false, false);
        putPartner("partner-e", "PARTNER-E", "partner-a", true, true);
        asyncReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        asyncReceiver.createContext("/mdn", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            asyncMdns.add(new String[]{exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(body, StandardCharsets.ISO_8859_1)});
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        asyncReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        if (asyncReceiver != null) {
            asyncReceiver.stop(0);
        }
    }

    private void putPartner(String partnerId, String as2Id, String certAlias, boolean sign, boolean encrypt) throws Exception {
        String body = JSON.writeValueAsString(Map.of("tenantId", tenantId, "as2Id", as2Id, "ourAs2Id", HUB,
                "partnerCertificateAlias", certAlias, "ourKeyAlias", "hub", "requireSignature", sign,
                "requireEncryption", encrypt));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/admin/as2/partners/" + partnerId))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    static byte[] interchange() {
        String ref = UUID.randomUUID().toString().substring(0, 8);
        return String.format(EDIFACT, ref, ref, ref).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What the EDI stage recorded of the interchange the hub queued for it under this AS2 Message-ID. */
    record Queued(byte[] body, String tenantId, String partnerId, String channel, String receiptId, int resends) {}

    /**
     * The interchange queued under this AS2 Message-ID, as the EDI stage (which consumes the queue) recorded it;
     * null if none within the wait.
     */
    Queued queued(String messageId, long waitMs) {
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        do {
            List<Queued> rows = jdbc.query("select d.content, i.tenant_id, i.partner_id, i.channel, i.receipt_id,"
                    + " i.resends from edi_interchange i join document d on d.id = i.document_id"
                    + " where i.as2_message_id = ?", (rs, n) -> new Queued(rs.getBytes(1), rs.getString(2),
                    rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6)), messageId);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        } while (System.nanoTime() < deadline);
        return null;
    }

    /**
     * The asynchronous MDN that names this Message-ID, within 10 s. MDNs naming others are passed over: one a cell
     * left behind when it failed before reading it must not make every later cell fail too.
     */
    static String[] asyncMdnFor(String messageId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            String[] mdn = asyncMdns.poll(left, TimeUnit.NANOSECONDS);
            if (mdn != null && mdn[1].contains(messageId)) {
                return mdn;
            }
        }
        return null;
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cells = new ArrayList<>();
        for (Security security : Security.values()) {
            List<Compression> compressions = security.signs()
                    ? List.of(Compression.NONE, Compression.BEFORE_SIGNING, Compression.AFTER_SIGNING)
                    : List.of(Compression.NONE, Compression.AFTER_SIGNING);
            for (Compression compression : compressions) {
                for (Receipt receipt : Receipt.values()) {
                    cells.add(Arguments.of(security, receipt, compression, false));
                    if (receipt != Receipt.NONE) {
                        cells.add(Arguments.of(security, receipt, compression, true));
                    }
                }
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} / MDN {1} / compression {2} / async {3}")
    @MethodSource("matrix")
    void rfc4130MatrixCellIsStoredThenAcknowledged(Security security, Receipt receipt, Compression compression,
                                                   boolean async) throws Exception {
        String as2Id = security.signs() ? "PARTNER-A" : "PARTNER-P";
        As2Peer peer = new As2Peer(as2Id, partnerA, hubKey.certificate());
        byte[] payload = interchange();
        String asyncUrl = async ? "http://127.0.0.1:" + asyncReceiver.getAddress().getPort() + "/mdn" : null;
        As2Peer.Result result = peer.send(url(), HUB, payload, "application/edifact", security, receipt, compression,
                asyncUrl, true);

        assertFalse(result.response().hasException(), () -> "as2-lib reports: " + result.response().getException());
        String messageId = result.response().getOriginalMessageID();
        Queued queued = queued(messageId, 10_000);
        assertNotNull(queued, "the interchange was queued for the EDI stage");
        assertArrayEquals(payload, queued.body());
        assertEquals(tenantId, queued.tenantId());
        assertEquals(security.signs() ? "partner-a" : "partner-p", queued.partnerId());
        assertEquals("as2", queued.channel());
        assertNotNull(queued.receiptId());

        if (receipt == Receipt.NONE) {
            assertFalse(result.response().hasMDN());
        } else if (!async) {
            assertTrue(result.response().hasMDN(), "a synchronous MDN came back");
            assertTrue(result.disposition().contains("processed") && !result.disposition().contains("error"),
                    result.disposition());
            if (receipt == Receipt.SIGNED) {
                assertNotNull(result.response().getMDNVerificationCertificate(), "as2-lib verified the MDN signature");
                assertEquals(hubKey.certificate(), result.response().getMDNVerificationCertificate());
                assertNull(result.micMismatch(), "MIC mismatch");
                assertEquals(result.micSent(), result.micMatched(), "the MDN carries the MIC of what was sent");
            }
        } else {
            String[] mdn = asyncMdnFor(messageId);
            assertNotNull(mdn, "an asynchronous MDN naming the original Message-ID was posted to the"
                    + " Receipt-Delivery-Option address");
            assertTrue(mdn[1].contains("processed") && !mdn[1].contains("processed/error"), mdn[1]);
            if (receipt == Receipt.SIGNED) {
                assertTrue(mdn[0].startsWith("multipart/signed"), mdn[0]);
                assertTrue(mdn[1].contains("Received-Content-MIC: " + result.micSent()),
                        "MIC " + result.micSent() + " in " + mdn[1]);
            } else {
                assertTrue(mdn[0].startsWith("multipart/report"), mdn[0]);
            }
        }
    }

    @Test
    void messageSignedWithAnotherPartnersKeyIsRefusedAsAuthenticationFailed() {
        As2Peer impostor = new As2Peer("PARTNER-A", partnerB, hubKey.certificate());
        As2Peer.Result result = impostor.send(url(), HUB, interchange(), "application/edifact", Security.SIGNED,
                Receipt.SIGNED, Compression.NONE, null, true);
        assertTrue(result.disposition().contains("processed/error: authentication-failed"), result.disposition());
        assertNull(queued(result.response().getOriginalMessageID(), 300), "nothing of it was queued");
    }

    @Test
    void unsignedMessageFromPartnerThatMustSignIsInsufficientSecurity() {
        As2Peer peer = new As2Peer("PARTNER-A", partnerA, hubKey.certificate());
        As2Peer.Result result = peer.send(url(), HUB, interchange(), "application/edifact", Security.ENCRYPTED,
                Receipt.UNSIGNED, Compression.NONE, null, true);
        assertTrue(result.disposition().contains("processed/error: insufficient-message-security"), result.disposition());
        assertNull(queued(result.response().getOriginalMessageID(), 300));
    }

    @Test
    void unencryptedMessageFromPartnerThatMustEncryptIsInsufficientSecurity() {
        As2Peer peer = new As2Peer("PARTNER-E", partnerA, hubKey.certificate());
        As2Peer.Result result = peer.send(url(), HUB, interchange(), "application/edifact", Security.SIGNED,
                Receipt.SIGNED, Compression.NONE, null, true);
        assertTrue(result.disposition().contains("processed/error: insufficient-message-security"), result.disposition());
    }

    @Test
    void messageEncryptedForAnotherKeyIsDecryptionFailed() {
        As2Peer peer = new As2Peer("PARTNER-A", partnerA, stranger.certificate());
        As2Peer.Result result = peer.send(url(), HUB, interchange(), "application/edifact", Security.SIGNED_ENCRYPTED,
                Receipt.UNSIGNED, Compression.NONE, null, true);
        assertTrue(result.disposition().contains("processed/error: decryption-failed"), result.disposition());
        assertNull(queued(result.response().getOriginalMessageID(), 300));
    }

    @Test
    void unknownSenderIsAuthenticationFailed() {
        As2Peer peer = new As2Peer("NOBODY", stranger, hubKey.certificate());
        As2Peer.Result result = peer.send(url(), HUB, interchange(), "application/edifact", Security.SIGNED,
                Receipt.UNSIGNED, Compression.NONE, null, true);
        assertTrue(result.disposition().contains("processed/error: authentication-failed"), result.disposition());
    }

    /** camel-as2 up to 4.18.4 can mix partners' material under concurrency (CAMEL-24429): the hub must not. */
    @Test
    void underConcurrencyPartnerBsKeyNeverPassesAsPartnerA() throws Exception {
        As2Peer a = new As2Peer("PARTNER-A", partnerA, hubKey.certificate());
        As2Peer b = new As2Peer("PARTNER-B", partnerB, hubKey.certificate());
        As2Peer bAsA = new As2Peer("PARTNER-A", partnerB, hubKey.certificate());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> genuine = new ArrayList<>();
            List<Future<String>> forged = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                for (As2Peer peer : List.of(a, b)) {
                    genuine.add(pool.submit(() -> peer.send(url(), HUB, interchange(), "application/edifact",
                            Security.SIGNED_ENCRYPTED, Receipt.SIGNED, Compression.NONE, null, true).disposition()));
                }
                forged.add(pool.submit(() -> bAsA.send(url(), HUB, interchange(), "application/edifact",
                        Security.SIGNED_ENCRYPTED, Receipt.SIGNED, Compression.NONE, null, true).disposition()));
            }
            for (Future<String> f : genuine) {
                String d = f.get(60, TimeUnit.SECONDS);
                assertTrue(d.endsWith("processed"), "genuine message refused: " + d);
            }
            for (Future<String> f : forged) {
                String d = f.get(60, TimeUnit.SECONDS);
                assertTrue(d.contains("processed/error: authentication-failed"), "forged message accepted: " + d);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The MIC as2-lib computed over the content postRaw signed last. */
    private String lastMic;

    /** A signed message as as2-lib builds it, sent the way some peers do: chunked, binary inside, no signer cert. */
    private HttpResponse<String> postRaw(byte[] payload, boolean tamper, boolean includeCert, String messageId)
            throws Exception {
        MimeBodyPart data = new MimeBodyPart();
        data.setContent(payload, "application/edifact");
        data.setHeader("Content-Type", "application/edifact");
        data.setHeader("Content-Transfer-Encoding", "binary");
        MimeBodyPart signed = AS2SenderModule.secureMimeBodyPart(data, EContentTransferEncoding.BINARY, null, false, null,
                ECryptoAlgorithmSign.DIGEST_SHA_256, partnerA.certificate(), partnerA.keys().getPrivate(), includeCert,
                false, false, null, null, "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        signed.getDataHandler().writeTo(out);
        byte[] body = out.toByteArray();
        if (tamper) {
            String s = new String(body, StandardCharsets.ISO_8859_1);
            body = s.replaceFirst("BGM\\+220\\+PO-", "BGM+220+PX-").getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] sent = body;
        // what as2-lib, as a sender, expects the MDN to carry for this message
        lastMic = com.helger.as2lib.util.AS2Helper.getCryptoHelper()
                .calculateMIC(data, ECryptoAlgorithmSign.DIGEST_SHA_256, true).getAsAS2String();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url()))
                .header("AS2-Version", "1.2").header("AS2-From", "PARTNER-A").header("AS2-To", HUB)
                .header("Message-ID", messageId).header("Content-Type", signed.getContentType().replaceAll("\r?\n\\s*", " "))
                .header("Disposition-Notification-To", "peer@example.com")
                .header("Disposition-Notification-Options",
                        "signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256")
                // an InputStream of unknown length goes out with Transfer-Encoding: chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(sent))).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void chunkedBinarySignedWithoutEmbeddedCertificateIsAccepted() throws Exception {
        String messageId = "<" + UUID.randomUUID() + "@peer>";
        byte[] payload = interchange();
        HttpResponse<String> r = postRaw(payload, false, false, messageId);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("processed") && !r.body().contains("processed/error"), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("multipart/signed"));
        assertTrue(r.body().contains("Received-Content-MIC: " + lastMic), "MIC " + lastMic + " in " + r.body());
        assertArrayEquals(payload, queued(messageId, 10_000).body());
    }

    @Test
    void tamperedPayloadIsIntegrityCheckFailed() throws Exception {
        String messageId = "<" + UUID.randomUUID() + "@peer>";
        HttpResponse<String> r = postRaw(interchange(), true, true, messageId);
        assertTrue(r.body().contains("processed/error: integrity-check-failed"), r.body());
        assertNull(queued(messageId, 300));
    }

    @Test
    void resendWithSameMessageIdIsAcknowledgedAgainButQueuedOnce() throws Exception {
        String messageId = "<" + UUID.randomUUID() + "@peer>";
        byte[] payload = interchange();
        HttpResponse<String> first = postRaw(payload, false, true, messageId);
        HttpResponse<String> again = postRaw(payload, false, true, messageId);
        assertTrue(first.body().contains("processed") && !first.body().contains("/error"), first.body());
        assertTrue(again.body().contains("processed") && !again.body().contains("/error"), again.body());
        assertNotNull(queued(messageId, 10_000));
        Thread.sleep(500);
        assertEquals(0, queued(messageId, 0).resends(), "the resend was not queued a second time");
    }

    /** OpenAS2 and others renumber resends: a new Message-ID must reach the EDI stage (which de-duplicates it). */
    @Test
    void resendWithNewMessageIdIsAcknowledgedAndPassedOn() throws Exception {
        byte[] payload = interchange();
        As2Peer peer = new As2Peer("PARTNER-A", partnerA, hubKey.certificate());
        As2Peer.Result first = peer.send(url(), HUB, payload, "application/edifact", Security.SIGNED, Receipt.SIGNED,
                Compression.NONE, null, true);
        As2Peer.Result resend = peer.send(url(), HUB, payload, "application/edifact", Security.SIGNED, Receipt.SIGNED,
                Compression.NONE, null, true);
        assertTrue(first.disposition().endsWith("processed"));
        assertTrue(resend.disposition().endsWith("processed"), "a good resend gets a positive MDN");
        // the resend reached the EDI stage, which recognised the interchange (partner, control number, hash): one
        // interchange, under whichever Message-ID its consumers took first (when both copies are read at the same
        // moment the EDI stage keeps one without counting the other as a resend)
        String sql = "select count(*) from edi_interchange where as2_message_id in (?, ?)";
        Object[] ids = {first.response().getOriginalMessageID(), resend.response().getOriginalMessageID()};
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jdbc.queryForObject(sql, Integer.class, ids) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        assertEquals(1, jdbc.queryForObject(sql, Integer.class, ids), "one interchange for the message and its resend");
    }

    /**
     * The benchmark's way of sending: as2-lib builds the message, a plain HTTP client posts it later, as2-lib checks
     * the MDN. The check must pass for the hub's MDN and fail for the wrong signer or a MIC of other content.
     */
    @Test
    void preparedMessagePostedLaterGetsAnMdnAs2LibAccepts() throws Exception {
        As2Peer peer = new As2Peer("PARTNER-A", partnerA, hubKey.certificate())
                .cipher(com.helger.as2lib.crypto.ECryptoAlgorithmCrypt.CRYPT_AES256_CBC);
        byte[] payload = interchange();
        As2Peer.Prepared sent = peer.prepare(url(), HUB, payload, "application/edifact", Security.SIGNED_ENCRYPTED,
                Receipt.SIGNED);
        assertNull(queued(sent.messageId(), 300), "preparing sends nothing");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(sent.body()));
        sent.headers().forEach(h -> request.header(h.getKey(), h.getValue()));
        HttpResponse<byte[]> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());

        assertNull(As2Peer.checkMdn(sent, r.statusCode(), r.headers().map(), r.body(), hubKey.certificate()));
        assertArrayEquals(payload, queued(sent.messageId(), 10_000).body());
        assertNotNull(As2Peer.checkMdn(sent, r.statusCode(), r.headers().map(), r.body(), stranger.certificate()),
                "an MDN signed by the hub does not pass as signed by another key");
        As2Peer.Prepared other = new As2Peer.Prepared(sent.messageId(), sent.headers(), sent.body(),
                Smime.mic(interchange(), "sha-256"));
        assertTrue(String.valueOf(As2Peer.checkMdn(other, r.statusCode(), r.headers().map(), r.body(),
                hubKey.certificate())).startsWith("MIC mismatch"), "the MDN's MIC is compared with what was sent");
    }

    @Test
    void certificateExpiringWithin30DaysIsShownInHealth() throws Exception {
        String port = env.getProperty("local.management.port");
        String basePath = env.getProperty("management.endpoints.web.base-path", "/actuator");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + basePath + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode as2Health = JSON.readTree(r.body()).path("components").path("as2Certificates");
        assertEquals("UP", as2Health.path("status").asText(), r.body());
        assertEquals("partner-old", as2Health.path("details").path("expiring").get(0).path("alias").asText(), r.body());
    }

    // ---- outbound: the hub sends (to its own receiving side as the partner, and to a partner that never answers) ----

    private void putOutboundPartner(String partnerId, String as2Id, String ourAs2Id, String url, String mdnMode,
                                    int timeoutSeconds) throws Exception {
        putProfile(partnerId, outboundProfile(tenantId, as2Id, url, "hub", Map.of("ourAs2Id", ourAs2Id,
                "compressOutbound", "before-signing", "mdnMode", mdnMode, "mdnSigned", true,
                "mdnTimeoutSeconds", timeoutSeconds, "requireEncryption", true)));
    }

    @ParameterizedTest(name = "MDN {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sync", "async"})
    void outboundDocumentIsDeliveredAndItsSignedMdnAndMicVerified(String mode) throws Exception {
        // the hub's own receiving side plays the partner: it verifies, decrypts, decompresses and answers
        String out = "LOOP-OUT-" + mode.toUpperCase();
        String in = "LOOP-IN-" + mode.toUpperCase();
        putOutboundPartner("loop-" + mode, in, out, url(), mode, 10);
        putPartner("loop-" + mode + "-receiver", out, "hub", true, true);
        jdbc.update("update as2_partner set our_as2_id = ? where partner_id = ?", in, "loop-" + mode + "-receiver");
        String transactionId = newTransaction(tenantId);
        byte[] contrl = interchange();
        sendOutbound(tenantId, "loop-" + mode, transactionId, "CONTRL", contrl);
        List<String> timeline = awaitEvent(transactionId, "AS2_DELIVERED");
        assertTrue(timeline.contains("AS2_SENT"), timeline.toString());
        String messageId = jdbc.queryForObject("select message_id from as2_message where direction = 'OUT' and"
                + " transaction_id = ?", String.class, transactionId);
        assertArrayEquals(contrl, queued(messageId, 10_000).body(), "the partner got what was sent");
    }

    @Test
    void noMdnInTimeIsRetriedThenParkedWithMdnOverdueOnTheTimeline() throws Exception {
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(Executors.newCachedThreadPool());
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        silent.createContext("/as2", exchange -> {
            attempts.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        silent.start();
        try {
            putOutboundPartner("silent", "SILENT", HUB, "http://127.0.0.1:" + silent.getAddress().getPort() + "/as2",
                    "sync", 1);
            String transactionId = newTransaction(tenantId);
            sendOutbound(tenantId, "silent", transactionId, "ORDRSP", interchange());
            awaitEvent(transactionId, "MDN_OVERDUE");
            assertEquals(4, attempts.get(), "first attempt and 3 retries (hub.retry.maximum-redeliveries in tests)");
            assertEquals(1, jdbc.queryForObject("select count(*) from as2_message where transaction_id = ?",
                    Integer.class, transactionId), "every attempt under one Message-ID");
            String reason = String.valueOf(awaitParked(transactionId).get("reason"));
            assertTrue(reason.contains("No MDN"), reason);
        } finally {
            silent.stop(0);
        }
    }
}

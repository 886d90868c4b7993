package org.tradehub.as2;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tradehub.as2.As2Peer.Compression;
import org.tradehub.as2.As2Peer.Receipt;
import org.tradehub.as2.As2Peer.Security;
import org.tradehub.ledger.Ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub SENDING to a partner whose AS2 side is as2-lib 5.1.7 (As2LibReceiver: as2-lib decrypts, decompresses,
 * verifies our signature, computes the MIC and writes the MDN): every cell of {plain, signed, encrypted,
 * signed+encrypted} x {no MDN, unsigned MDN, signed MDN} x {sync, async}, and compression before and after signing.
 * The partner must store exactly the bytes we queued; the hub must verify the partner's MDN (signature with the
 * partner's own certificate, MIC) before the timeline says AS2_DELIVERED; a tampered or wrongly signed MDN never
 * counts as delivery.
 */
class As2OutboundInteropTest extends As2HubTest {

    static final TestPki.Identity PARTNER = TestPki.identity("as2lib-receiver", Duration.ofDays(365));
    static final TestPki.Identity STRANGER = TestPki.identity("as2lib-stranger", Duration.ofDays(365));
    static Receiving side;
    static final AtomicInteger CELLS = new AtomicInteger();

    @BeforeEach
    void onboardOnce() throws Exception {
        if (side == null) {
            side = receiving(PARTNER, Map.of("as2lib-receiver", PARTNER.certificate(),
                    "as2lib-stranger", STRANGER.certificate()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (side != null) {
            side.close();
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cells = new ArrayList<>();
        for (Security security : Security.values()) {
            cells.add(Arguments.of(security, Receipt.NONE, false, Compression.NONE));
            for (Receipt receipt : List.of(Receipt.UNSIGNED, Receipt.SIGNED)) {
                cells.add(Arguments.of(security, receipt, false, Compression.NONE));
                cells.add(Arguments.of(security, receipt, true, Compression.NONE));
            }
            // compression: before and after signing when we sign, else simply compressed; both MDN modes
            List<Compression> compressions = security.signs()
                    ? List.of(Compression.BEFORE_SIGNING, Compression.AFTER_SIGNING) : List.of(Compression.AFTER_SIGNING);
            for (Compression compression : compressions) {
                cells.add(Arguments.of(security, Receipt.SIGNED, false, compression));
                cells.add(Arguments.of(security, Receipt.UNSIGNED, true, compression));
            }
        }
        return cells.stream();
    }

    /** Onboards a partner whose as2-lib partnership expects what the profile makes the hub send. */
    private String onboard(String label, Security security, Receipt receipt, boolean async, Compression compression,
                           String url, String certAlias) throws Exception {
        String partnerId = "lib-" + CELLS.incrementAndGet();
        String as2Id = ("LIB-" + label + "-" + CELLS.get()).toUpperCase();
        putProfile(partnerId, outboundProfile(side.tenantId(), as2Id, url, certAlias, Map.of(
                "signOutbound", security.signs(), "encryptOutbound", security.encrypts(),
                "compressOutbound", compression.name().toLowerCase().replace('_', '-'),
                "mdnMode", receipt == Receipt.NONE ? "none" : async ? "async" : "sync",
                "mdnSigned", receipt == Receipt.SIGNED)));
        side.receiver().expect(as2Id, new As2LibReceiver.Expect(security.signs(), security.encrypts(),
                compression != Compression.NONE));
        return partnerId;
    }

    private String as2IdOf(String partnerId) {
        return jdbc.queryForObject("select as2_id from as2_partner where partner_id = ?", String.class, partnerId);
    }

    static byte[] contrl() {
        String ref = Long.toString(System.nanoTime() % 100_000_000L);
        return ("UNA:+.? 'UNB+UNOC:3+TRADEHUB:14+BUYER:14+240101:1200+" + ref + "'UNH+1+CONTRL:D:3:UN'UCI+IC" + ref
                + "+BUYER:14+TRADEHUB:14+7'UNT+3+1'UNZ+1+" + ref + "'").getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0} / MDN {1} / async {2} / compression {3}")
    @MethodSource("matrix")
    void as2LibReceivesExactlyWhatWasSentAndTheHubVerifiesItsMdn(Security security, Receipt receipt, boolean async,
                                                                 Compression compression) throws Exception {
        String partnerId = onboard(security.name(), security, receipt, async, compression, side.receiver().url(), "as2lib-receiver");
        String transactionId = newTransaction(side.tenantId());
        byte[] document = contrl();
        sendOutbound(side.tenantId(), partnerId, transactionId, "CONTRL", document);

        As2LibReceiver.Received got = side.receiver().next(as2IdOf(partnerId), 15_000);
        assertNotNull(got, "as2-lib stored the message");
        assertArrayEquals(document, got.payload(), "as2-lib stored exactly the bytes queued");
        assertEquals(security.signs(), got.signed(), "as2-lib verified our signature");
        assertEquals(security.encrypts(), got.encrypted(), "as2-lib decrypted");
        assertEquals(compression != Compression.NONE, got.compressed(), "as2-lib decompressed");

        List<String> timeline = awaitEvent(transactionId, "AS2_DELIVERED");
        assertTrue(timeline.contains("AS2_SENT"), timeline.toString());
        assertFalse(timeline.contains("DELIVERY_PARKED"), timeline.toString());
        Map<String, Object> row = outboundRow(transactionId);
        assertEquals("DELIVERED", row.get("status"));
        assertEquals(row.get("message_id"), got.messageId(), "the MDN answered our Message-ID");
        Ledger.TimelineEvent delivered = ledger.timeline(transactionId).stream()
                .filter(e -> e.type().equals("AS2_DELIVERED")).findFirst().orElseThrow();
        switch (receipt) {
            case NONE -> assertTrue(delivered.summary().contains("no MDN requested"), delivered.summary());
            case UNSIGNED -> {
                assertTrue(delivered.summary().contains("unsigned MDN"), delivered.summary());
                assertTrue(String.valueOf(row.get("disposition")).endsWith("processed"), String.valueOf(row.get("disposition")));
            }
            case SIGNED -> {
                // the hub verified as2-lib's signature with the partner's certificate and compared the MIC
                assertTrue(delivered.summary().contains("signed MDN, MIC verified"), delivered.summary());
                assertTrue(String.valueOf(row.get("disposition")).endsWith("processed"), String.valueOf(row.get("disposition")));
            }
        }
    }

    @Test
    void mdnSignedWithAKeyOtherThanThePartnersIsNeverADelivery() throws Exception {
        // the profile holds another certificate for this partner: as2-lib's genuine signature cannot verify with it
        String partnerId = onboard("WRONGKEY", Security.SIGNED, Receipt.SIGNED, false, Compression.NONE, side.receiver().url(),
                "as2lib-stranger");
        String transactionId = newTransaction(side.tenantId());
        sendOutbound(side.tenantId(), partnerId, transactionId, "CONTRL", contrl());

        assertNotNull(side.receiver().next(as2IdOf(partnerId), 15_000), "as2-lib received it and answered");
        Map<String, Object> parked = awaitParked(transactionId);
        assertTrue(String.valueOf(parked.get("reason")).contains("signature does not verify"), parked.toString());
        assertFalse(ledger.timeline(transactionId).stream().anyMatch(e -> e.type().equals("AS2_DELIVERED")));
        assertEquals("SENT", outboundRow(transactionId).get("status"));
    }

    @Test
    void tamperedMdnIsNeverADelivery() throws Exception {
        // a man in the middle alters the MIC in as2-lib's signed MDN on its way back
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Set<String> restricted = Set.of("connection", "content-length", "host", "expect", "upgrade", "transfer-encoding");
        proxy.createContext("/as2", exchange -> {
            try {
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(side.receiver().url()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!restricted.contains(name.toLowerCase())) {
                        values.forEach(v -> forward.header(name, v));
                    }
                });
                HttpResponse<byte[]> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                String mdn = new String(answer.body(), StandardCharsets.ISO_8859_1);
                int at = mdn.indexOf("Received-Content-MIC: ") + "Received-Content-MIC: ".length();
                char c = mdn.charAt(at);
                byte[] tampered = (mdn.substring(0, at) + (c == 'A' ? 'B' : 'A') + mdn.substring(at + 1))
                        .getBytes(StandardCharsets.ISO_8859_1);
                answer.headers().map().forEach((name, values) -> {
                    if (!restricted.contains(name.toLowerCase()) && !name.equals(":status")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                exchange.sendResponseHeaders(answer.statusCode(), tampered.length);
                exchange.getResponseBody().write(tampered);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        proxy.start();
        try {
            String partnerId = onboard("TAMPERED", Security.SIGNED_ENCRYPTED, Receipt.SIGNED, false, Compression.NONE,
                    "http://127.0.0.1:" + proxy.getAddress().getPort() + "/as2", "as2lib-receiver");
            String transactionId = newTransaction(side.tenantId());
            sendOutbound(side.tenantId(), partnerId, transactionId, "CONTRL", contrl());

            Map<String, Object> parked = awaitParked(transactionId);
            assertTrue(String.valueOf(parked.get("reason")).contains("signature does not verify"), parked.toString());
            assertFalse(ledger.timeline(transactionId).stream().anyMatch(e -> e.type().equals("AS2_DELIVERED")));
        } finally {
            proxy.stop(0);
        }
    }
}

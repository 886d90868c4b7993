package org.tradehub.as2;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What goes wrong when the hub sends: a partner's negative MDN (final: parked at once, no retry loop), an
 * asynchronous MDN that never comes (resent with growing waits, by one hub instance only, then parked), and the
 * certificate upload that onboarding uses instead of keytool on the server.
 */
class As2OutboundFailureTest extends As2HubTest {

    static final TestPki.Identity PARTNER = TestPki.identity("failure-partner", Duration.ofDays(365));
    static final TestPki.Identity OTHER = TestPki.identity("failure-other", Duration.ofDays(365));
    static Receiving side;

    @Autowired
    As2Outbound outbound;

    @BeforeEach
    void onboardOnce() throws Exception {
        if (side == null) {
            side = receiving(PARTNER, Map.of("failure-partner", PARTNER.certificate(), "failure-other", OTHER.certificate()));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (side != null) {
            side.close();
        }
    }

    @Test
    void negativeMdnIsAFinalRefusalParkedAtOnceWithItsReason() throws Exception {
        // the profile encrypts for a certificate the partner has no key for: as2-lib answers decryption-failed
        putProfile("refuser", outboundProfile(side.tenantId(), "REFUSER", side.receiver().url(), "failure-other",
                Map.of("mdnMode", "sync", "mdnSigned", false)));
        side.receiver().expect("REFUSER", new As2LibReceiver.Expect(true, true, false));
        int before = side.receiver().connections.get();
        String transactionId = newTransaction(side.tenantId());
        sendOutbound(side.tenantId(), "refuser", transactionId, "CONTRL", As2OutboundInteropTest.contrl());

        List<String> timeline = awaitEvent(transactionId, "AS2_REJECTED");
        String reason = String.valueOf(awaitParked(transactionId).get("reason"));
        assertTrue(reason.contains("refused") && reason.contains("decryption-failed"), reason);
        String summary = ledger.timeline(transactionId).stream().filter(e -> e.type().equals("AS2_REJECTED"))
                .findFirst().orElseThrow().summary();
        assertTrue(summary.contains("decryption-failed"), summary);
        assertEquals("REJECTED", outboundRow(transactionId).get("status"));
        Thread.sleep(500);
        assertEquals(1, side.receiver().connections.get() - before, "sent once: a refusal is not retried");
        assertFalse(ledger.timeline(transactionId).stream().anyMatch(e -> e.type().equals("DELIVERY_PARKED")),
                timeline.toString());
        assertEquals(1, parkedCount(transactionId));
    }

    @Test
    void overdueAsyncMdnIsResentByOneInstanceOnlyWithGrowingWaitsThenParked() throws Exception {
        List<String> posts = new CopyOnWriteArrayList<>();
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.createContext("/as2", exchange -> {
            exchange.getRequestBody().readAllBytes();
            posts.add(exchange.getRequestHeaders().getFirst("Message-ID"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        silent.start();
        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            putProfile("never-answers", outboundProfile(side.tenantId(), "NEVER-ANSWERS",
                    "http://127.0.0.1:" + silent.getAddress().getPort() + "/as2", "failure-partner",
                    Map.of("mdnMode", "async", "mdnSigned", true)));
            String transactionId = newTransaction(side.tenantId());
            sendOutbound(side.tenantId(), "never-answers", transactionId, "CONTRL", As2OutboundInteropTest.contrl());
            awaitTrue(() -> posts.size() == 1, "the first attempt");

            Duration wait = as2.asyncMdnResendAfter();
            for (int attempt = 2; attempt <= as2.asyncMdnMaxAttempts(); attempt++) {
                clock.advance(wait.plusSeconds(1));
                wait = wait.multipliedBy(2);
                // four hub instances' timers (sharing the database) look at once, besides this hub's own timer
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> timers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    timers.add(instances.submit(() -> {
                        go.await();
                        outbound.checkOverdue();
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> t : timers) {
                    t.get(30, TimeUnit.SECONDS);
                }
                int expected = attempt;
                awaitTrue(() -> posts.size() >= expected, "attempt " + attempt);
                Thread.sleep(400); // longer than the timer period: a second resend would show now
                assertEquals(attempt, posts.size(), "resent once, not once per instance");
                assertEquals(attempt, ((Number) outboundRow(transactionId).get("attempts")).intValue());
            }
            assertEquals(1, posts.stream().distinct().count(), "every attempt under one Message-ID: " + posts);

            clock.advance(wait.plusSeconds(1));
            awaitEvent(transactionId, "MDN_OVERDUE");
            String reason = String.valueOf(awaitParked(transactionId).get("reason"));
            assertTrue(reason.contains("MDN overdue") && reason.contains("after " + as2.asyncMdnMaxAttempts() + " attempts"),
                    reason);
            assertEquals("MDN_OVERDUE", outboundRow(transactionId).get("status"));
            assertEquals(as2.asyncMdnMaxAttempts(), posts.size(), "nothing sent after parking");
        } finally {
            clock.reset();
            instances.shutdownNow();
            silent.stop(0);
        }
    }

    static String pem(java.security.cert.X509Certificate cert) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void partnerCertificateIsUploadedAsPemCheckedAndUsableInAProfile() throws Exception {
        TestPki.Identity newcomer = TestPki.identity("newcomer", Duration.ofDays(20));
        var r = admin("PUT", "/admin/as2/certificates/newcomer", "application/x-pem-file", pem(newcomer.certificate()));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"expiresWithinWarningDays\":true"), r.body());
        assertTrue(r.body().contains("CN=newcomer"), r.body());
        // stored: a profile can name it, and the hub encrypts for it (as2-lib with that key decrypts)
        putProfile("newcomer", outboundProfile(side.tenantId(), "NEWCOMER", "http://127.0.0.1:9/as2", "newcomer", Map.of()));

        String expired = pem(TestPki.identity("expired", Duration.ofHours(-1)).certificate());
        assertEquals(400, admin("PUT", "/admin/as2/certificates/expired", "application/x-pem-file", expired).statusCode());
        String good = pem(newcomer.certificate());
        assertEquals(400, admin("PUT", "/admin/as2/certificates/two", "application/x-pem-file", good + good).statusCode(),
                "exactly one certificate");
        assertEquals(400, admin("PUT", "/admin/as2/certificates/junk", "application/x-pem-file",
                good.replace("-----END", "garbage\n-----END")).statusCode());
        assertEquals(400, admin("PUT", "/admin/as2/certificates/text", "text/plain", "hello").statusCode());
        assertEquals(400, admin("PUT", "/admin/as2/certificates/hub", "application/x-pem-file", good).statusCode(),
                "our own key entry is never replaced");
        assertEquals(413, admin("PUT", "/admin/as2/certificates/big", "application/x-pem-file",
                "x".repeat(As2Admin.MAX_CERTIFICATE_BYTES + 1)).statusCode());
        assertEquals(400, admin("PUT", "/admin/as2/certificates/bad%20alias", "application/x-pem-file", good).statusCode());
        var anonymous = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base()
                        + "/admin/as2/certificates/anon")).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(good)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
    }
}

package org.tradehub;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.support.GbExporter;
import org.tradehub.support.HubInstance;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single window that answers 5xx: the hub retries with back-off, submits once it recovers, and parks the
 * declaration with its reason when it never does, telling the firm on the timeline.
 */
class SingleWindowDownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger failuresLeft = new AtomicInteger();
    private static final AtomicInteger calls = new AtomicInteger();
    private static final AtomicInteger accepted = new AtomicInteger();
    /** When set, the single window holds each request until it is opened (one request at a time: one thread). */
    private static volatile java.util.concurrent.CountDownLatch held;
    private static HttpServer singleWindow;
    private static HubInstance hub;
    private static String tenant;
    private static String tenantKey;
    private static GbExporter exporter;
    private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        singleWindow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        singleWindow.createContext("/customs/declarations/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.incrementAndGet();
            java.util.concurrent.CountDownLatch gate = held;
            if (gate != null) {
                try {
                    gate.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                accepted.incrementAndGet();
                exchange.getResponseHeaders().add("X-Conversation-ID", UUID.randomUUID().toString());
                exchange.sendResponseHeaders(202, -1);
            }
            exchange.close();
        });
        singleWindow.start();
        hub = HubInstance.start(Path.of("target", "test-data", "sw-down-" + UUID.randomUUID()), Map.of(
                "hub.single-window.gb-cds.url", "http://127.0.0.1:" + singleWindow.getAddress().getPort(),
                "hub.admin-token", ADMIN_TOKEN));
        exporter = GbExporter.create(hub, "down");
        tenant = exporter.tenant();
        tenantKey = exporter.apiKey();
    }

    @AfterAll
    static void stop() {
        hub.close();
        singleWindow.stop(0);
    }

    @Test
    void aSingleWindowThatRecoversGetsTheDeclarationExactlyOnce() throws Exception {
        calls.set(0);
        accepted.set(0);
        failuresLeft.set(2);
        String orderId = "77" + System.nanoTime();

        exporter.sendOrder(orderId);

        PostgresLedgerTest.awaitStatus(hub.bean(JdbcTemplate.class), tenant, orderId, "DECLARATION_SUBMITTED");
        assertThat(calls.get()).isEqualTo(3);
        assertThat(accepted.get()).isEqualTo(1);
    }

    @Test
    void aSingleWindowThatStaysDownGetsTheDeclarationParkedWithItsReason() throws Exception {
        calls.set(0);
        failuresLeft.set(1_000);
        String orderId = "88" + System.nanoTime();

        exporter.sendOrder(orderId);

        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        String id = PostgresLedgerTest.awaitStatus(jdbc, tenant, orderId, "DECLARATION_FAILED");
        assertThat(calls.get()).isEqualTo(4); // the first attempt and 3 redeliveries (test setting)
        String summary = jdbc.queryForObject("select summary from transaction_event where transaction_id = ?"
                + " and type = 'DECLARATION_PARKED'", String.class, id);
        assertThat(summary).contains("503").contains("parked");
        JsonNode parked = awaitParked(id);
        assertThat(parked.get("reason").asText()).contains("503");
        assertThat(parked.get("failedRoute").asText()).isEqualTo("out-declaration-gb-cds");
        assertThat(parked.get("originQueue").asText()).isEqualTo("hub.declarations.gb-cds");
        assertThat(parked.get("tenant").asText()).isEqualTo(tenant);
    }

    /**
     * A declaration the hub cannot build (an order in a currency without a customs exchange rate) is never sent and is
     * parked; its plan step is still the hub's own single-window declaration, which keeps one LRN and is not re-run as
     * if a customs broker filed it.
     */
    @Test
    void aDeclarationParkedBeforeItsFirstAttemptIsStillTheSingleWindowsAndIsNotReRun() throws Exception {
        calls.set(0);
        String orderId = "66" + System.nanoTime();
        exporter.sendOrder(orderId, UUID.randomUUID().toString(), json -> json.replace("\"USD\"", "\"NZD\""));

        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        String id = PostgresLedgerTest.awaitStatus(jdbc, tenant, orderId, "DECLARATION_FAILED");
        assertThat(calls.get()).isZero();
        assertThat(jdbc.queryForObject("select summary from transaction_event where transaction_id = ? and type ="
                + " 'DECLARATION_PARKED'", String.class, id)).contains("No customs exchange rate for NZD");
        HttpResponse<String> rerun = call("POST", "/api/transactions/" + id + "/plan/export-declaration/retry",
                tenantKey);
        assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(409);
        assertThat(rerun.body()).contains("keeps one LRN");
    }

    @Test
    void aParkedDeclarationReplayedOnceTheSingleWindowIsUpIsAcceptedExactlyOnce() throws Exception {
        failuresLeft.set(1_000);
        String orderId = "99" + System.nanoTime();
        exporter.sendOrder(orderId);
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        String id = PostgresLedgerTest.awaitStatus(jdbc, tenant, orderId, "DECLARATION_FAILED");
        JsonNode parked = awaitParked(id);
        // the tenant sees its parked declaration too, with the reason
        JsonNode own = JSON.readTree(call("GET", "/api/dead-letters?status=PARKED", tenantKey).body()).get("items");
        assertThat(own.toString()).contains(parked.get("id").asText()).contains("503");

        failuresLeft.set(0);
        calls.set(0);
        accepted.set(0);
        HttpResponse<String> replay = call("POST", "/admin/dead-letters/" + parked.get("id").asText() + "/replay", ADMIN_TOKEN);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(JSON.readTree(replay.body()).get("status").asText()).isEqualTo("REPLAYED");

        PostgresLedgerTest.awaitStatus(jdbc, tenant, orderId, "DECLARATION_SUBMITTED");
        assertThat(accepted.get()).isEqualTo(1);
        // a second replay is refused; a stray copy of the declaration message (a broker redelivery) sends nothing
        assertThat(call("POST", "/admin/dead-letters/" + parked.get("id").asText() + "/replay", ADMIN_TOKEN)
                .statusCode()).isEqualTo(409);
        assertThat(call("POST", "/api/dead-letters/" + parked.get("id").asText() + "/replay", tenantKey)
                .statusCode()).isEqualTo(409);
        exporter.queueDeclaration(id);
        Thread.sleep(1500);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(accepted.get()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from declaration where transaction_id = ?", Integer.class, id))
                .isEqualTo(1);
        assertThat(jdbc.queryForList("select type from transaction_event where transaction_id = ? order by id",
                String.class, id)).containsSubsequence("DECLARATION_PARKED", "REPLAYED", "DECLARATION_SUBMITTED");
    }

    /**
     * A second message for a declaration already on its way (intake queues it again when a duplicate delivery of the
     * order comes while the first waits for the single window): a second consumer sends it too, with the same LRN, and
     * both get 202. The submission is recorded once: one DECLARATION_SUBMITTED, one conversation.
     */
    @Test
    void aDeclarationSentTwiceAtOnceIsRecordedOnce() throws Exception {
        failuresLeft.set(0);
        calls.set(0);
        accepted.set(0);
        held = new java.util.concurrent.CountDownLatch(1);
        String orderId = "66" + System.nanoTime();
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        try {
            exporter.sendOrder(orderId);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (calls.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(calls.get()).as("the first submission reached the single window").isEqualTo(1);
            String id = jdbc.queryForObject("select id from trade_transaction where tenant_id = ? and external_id = ?",
                    String.class, tenant, orderId);
            exporter.queueDeclaration(id);
            Thread.sleep(1500); // the second consumer maps it and sends it; it waits behind the first
        } finally {
            held.countDown();
            held = null;
        }
        String id = PostgresLedgerTest.awaitStatus(jdbc, tenant, orderId, "DECLARATION_SUBMITTED");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (accepted.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(accepted.get()).as("both sent (the same LRN)").isEqualTo(2);
        Thread.sleep(500); // the second 202 recorded (or not)
        assertThat(jdbc.queryForObject("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'DECLARATION_SUBMITTED'", Integer.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from declaration where transaction_id = ?", Integer.class, id))
                .isEqualTo(1);
    }

    /** The parked message of a transaction, once park-dead-letter has moved it from the queue (operator's view). */
    private static JsonNode awaitParked(String transactionId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode item : JSON.readTree(call("GET", "/admin/dead-letters?tenant=" + tenant, ADMIN_TOKEN).body())
                    .get("items")) {
                if (transactionId.equals(item.path("transactionId").asText())) {
                    return item;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no parked message for " + transactionId);
    }

    private static HttpResponse<String> call(String method, String path, String token) throws Exception {
        return HubTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(hub.base() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}

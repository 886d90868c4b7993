package org.tradehub;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.support.HubInstance;
import org.tradehub.support.HubTestSupport;
import org.tradehub.tenant.TenantDirectory;

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
    private static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
    private static final String SECRET = "down-secret-0123456789";

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
        TenantDirectory tenants = hub.bean(TenantDirectory.class);
        tenant = "down-" + UUID.randomUUID().toString().substring(0, 8);
        tenantKey = tenants.create(tenant, "Down test exporter");
        tenants.rotateWebhookSecret(tenant, "shopify", SECRET, Duration.ZERO);
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        jdbc.update("insert into exporter_profile (tenant_id, legal_name, eori, country_code, updated_at)"
                + " values (?, 'Down Exports Ltd', 'GB427168118378', 'GB', current_timestamp)", tenant);
        for (String[] p : new String[][] {{"SKU2006-001", "90041091"}, {"SKU2006-020", "94016100"},
                {"SKU2006-035", "94036010"}}) {
            jdbc.update("insert into product (tenant_id, sku, hs_code, origin_country, net_mass_kg, updated_at)"
                    + " values (?, ?, ?, 'GB', 1, current_timestamp)", tenant, p[0], p[1]);
        }
    }

    @AfterAll
    static void stop() {
        hub.close();
        singleWindow.stop(0);
    }

    private static void sendOrder(String orderId) throws Exception {
        byte[] body = Files.readString(Path.of("src/test/resources/webhooks/shopify/orders-create-2024-07.json"))
                .replaceFirst("\"id\":\\s*\\d+", "\"id\": " + orderId).getBytes(StandardCharsets.UTF_8);
        String signature = Base64.getEncoder().encodeToString(
                WebhookGuard.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), body));
        HttpResponse<String> r = HubTestSupport.HTTP.send(HttpRequest.newBuilder(
                        URI.create(hub.base() + "/webhooks/shopify/" + tenant))
                .header("X-Shopify-Hmac-Sha256", signature).header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
    }

    @Test
    void aSingleWindowThatRecoversGetsTheDeclarationExactlyOnce() throws Exception {
        calls.set(0);
        accepted.set(0);
        failuresLeft.set(2);
        String orderId = "77" + System.nanoTime();

        sendOrder(orderId);

        PostgresLedgerTest.awaitStatus(hub.bean(JdbcTemplate.class), tenant, orderId, "DECLARATION_SUBMITTED");
        assertThat(calls.get()).isEqualTo(3);
        assertThat(accepted.get()).isEqualTo(1);
    }

    @Test
    void aSingleWindowThatStaysDownGetsTheDeclarationParkedWithItsReason() throws Exception {
        calls.set(0);
        failuresLeft.set(1_000);
        String orderId = "88" + System.nanoTime();

        sendOrder(orderId);

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

    @Test
    void aParkedDeclarationReplayedOnceTheSingleWindowIsUpIsAcceptedExactlyOnce() throws Exception {
        failuresLeft.set(1_000);
        String orderId = "99" + System.nanoTime();
        sendOrder(orderId);
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
        queueDeclaration(id);
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
            sendOrder(orderId);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (calls.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(calls.get()).as("the first submission reached the single window").isEqualTo(1);
            String id = jdbc.queryForObject("select id from trade_transaction where tenant_id = ? and external_id = ?",
                    String.class, tenant, orderId);
            queueDeclaration(id);
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

    /** A message for the transaction's declaration on the declaration queue, as intake queues it. */
    private static void queueDeclaration(String transactionId) {
        hub.bean(JmsTemplate.class).send("hub.declarations.gb-cds", session -> {
            Message m = session.createTextMessage("");
            m.setStringProperty("hubTransactionId", transactionId);
            m.setStringProperty("hubTenantId", tenant);
            m.setStringProperty("hubDeclarationTarget", "gb-cds");
            return m;
        });
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

package org.tradehub.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.tradehub.HubApplication;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.tenant.TenantDirectory;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the whole hub as it runs on a fresh machine (embedded Artemis with its journal, embedded database file,
 * sandbox single window) on a free port, with its data in a fresh folder under target/, and talks to it over HTTP.
 */
@CamelSpringBootTest
@SpringBootTest(classes = HubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@org.springframework.context.annotation.Import(MovableClock.Config.class)
public abstract class HubTestSupport {

    /**
     * The HTTP port of the context the running test class uses. Each context gets its own (a class with its own
     * configuration starts a second context while the cached one still holds its port).
     */
    private static volatile int port;
    protected static final String ADMIN_TOKEN = "admin-" + UUID.randomUUID();
    public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    protected static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    protected TenantDirectory tenants;
    @Autowired
    protected JdbcTemplate jdbc;
    /** The hub's clock: tests may move it forward (and put it back with reset()). */
    @Autowired
    protected MovableClock clock;

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) {
        int httpPort = freePort();
        registry.add("server.port", () -> httpPort);
        registry.add("hub.data-dir", () -> Path.of("target", "test-data", UUID.randomUUID().toString()).toAbsolutePath().toString());
        registry.add("hub.broker.embedded-tcp-port", HubTestSupport::freePort);
        registry.add("management.server.port", HubTestSupport::freePort);
        registry.add("hub.admin-token", () -> ADMIN_TOKEN);
        registry.add("hub.retry.redelivery-delay-ms", () -> 50);
        registry.add("hub.retry.maximum-redeliveries", () -> 3);
        registry.add("hub.sandbox.notification-delay-ms", () -> 50);
        registry.add("hub.services.consolidation-sweep-ms", () -> 200);
        // the tests' event endpoints are plain HTTP servers on this machine
        registry.add("hub.events.require-https", () -> false);
        registry.add("hub.events.allow-private-addresses", () -> true);
        registry.add("hub.events.delivery-interval-ms", () -> 100);
        registry.add("hub.events.first-retry-delay", () -> "100ms");
        registry.add("hub.events.max-retry-delay", () -> "400ms");
        registry.add("hub.events.give-up-after", () -> "8s");
        registry.add("hub.services.sandbox-answer-delay-ms", () -> 50);
        registry.add("hub.single-window.gb-cds.bearer-token", () -> "sandbox-bearer-token");
        registry.add("hub.single-window.gb-cds.callback-token", () -> "sandbox-callback-token");
        // one value: the supplier is asked again wherever the property is resolved (hub.as2.public-url uses it too)
        int as2Port = freePort();
        registry.add("hub.as2.port", () -> as2Port);
        registry.add("hub.as2.keystore-password", () -> "as2-test-" + UUID.randomUUID());
        registry.add("hub.as2.overdue-check-interval", () -> "300ms");
    }

    @Autowired
    private HealthEndpoint healthEndpoint;

    /**
     * As a load balancer does: no request before the readiness probe is UP (every route started). A route that failed
     * its first start is retried 2 s later, and a webhook sent meanwhile is answered 503.
     */
    @BeforeEach
    void hubReadyBeforeEachTest() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String ready = readiness();
        while (!"UP".equals(ready)) {
            if (System.nanoTime() > deadline) {
                fail("the hub did not become ready within 30 s: " + ready);
            }
            Thread.sleep(50);
            ready = readiness();
        }
    }

    /** The readiness probe's status code (UP, DOWN ...), as /observe/health/ready answers it. */
    protected String readiness() {
        HealthComponent ready = healthEndpoint.healthForPath("ready");
        return ready == null ? "no readiness group" : ready.getStatus().getCode();
    }

    @Autowired
    void rememberPort(@org.springframework.beans.factory.annotation.Value("${server.port}") int serverPort) {
        port = serverPort;
    }

    protected static String base() {
        return "http://localhost:" + port;
    }

    /** A new tenant that exports from GB, with a webhook secret per platform and an API key. */
    protected TestTenant newTenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String apiKey = tenants.create(id, "Test exporter " + id);
        String secret = "whsec-" + UUID.randomUUID();
        tenants.rotateWebhookSecret(id, "shopify", secret, Duration.ZERO);
        tenants.rotateWebhookSecret(id, "woocommerce", secret, Duration.ZERO);
        jdbc.update("insert into exporter_profile (tenant_id, legal_name, eori, address_line, city, postcode,"
                        + " country_code, declarant_eori, badge_identifier, exit_office_id, goods_location_name,"
                        + " procedure_code, border_transport_mode_code, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp)",
                id, "Test Exports Ltd", "GB427168118378", "1 Harbour Road", "Dover", "CT17 9BU", "GB",
                "GB427168118378", "TEST01", "GB000040", "DVRDOVDVR", "1040", "1");
        String[][] catalogue = {
                {"SKU2006-001", "90041091", "IT", "0.1"}, {"SKU2006-020", "94016100", "GB", "1.0"},
                {"SKU2006-035", "94036010", "GB", "0.5"}, {"IPOD2008PINK", "85198115", "CN", "0.567"},
                // lines of the EDI fixtures that carry no HS code of their own (ORDERS D96A, X12 850 5010)
                {"XYZ-9", "85076000", "CN", "0.05"}, {"B-77", "42023210", "CN", "0.2"},
                // and those that carry the 6-digit HS code only (8471.30, 851711): the catalogue's 8 digits extend it
                {"ABC-1234", "84713000", "CN", "1.2"}, {"SKU-1", "85171100", "CN", "0.3"}};
        for (String[] p : catalogue) {
            jdbc.update("insert into product (tenant_id, sku, hs_code, origin_country, net_mass_kg, updated_at)"
                    + " values (?, ?, ?, ?, ?, current_timestamp)", id, p[0], p[1], p[2], new java.math.BigDecimal(p[3]));
        }
        return new TestTenant(id, apiKey, secret);
    }

    public record TestTenant(String id, String apiKey, String secret) {
        public String sign(byte[] body) {
            return Base64.getEncoder().encodeToString(
                    WebhookGuard.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
        }
    }

    protected static byte[] resource(String path) {
        try {
            return Files.readAllBytes(Path.of("src/test/resources", path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static HttpResponse<String> postShopify(TestTenant tenant, byte[] body, String signature,
                                                      String webhookId, String eventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/webhooks/shopify/" + tenant.id()))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", "orders/create")
                .header("X-Shopify-Shop-Domain", "example.myshopify.com")
                .header("X-Shopify-API-Version", "2024-07")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Shopify-Hmac-Sha256", signature);
        }
        if (webhookId != null) {
            request.header("X-Shopify-Webhook-Id", webhookId);
        }
        if (eventId != null) {
            request.header("X-Shopify-Event-Id", eventId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A call to the JSON API with the key, the body (null: none) sent as application/json. */
    protected static HttpResponse<String> call(String method, String path, String apiKey, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + apiKey)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static HttpResponse<String> get(String path, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The tenant's transactions for a source order id, once the intake stage has recorded them. */
    protected static JsonNode transactionsFor(TestTenant tenant, String externalId) throws Exception {
        HttpResponse<String> r = get("/api/transactions?externalId=" + externalId, tenant.apiKey());
        return JSON.readTree(r.body()).get("items");
    }

    /** Polls the tracking API until the transaction satisfies the condition (the pipeline is asynchronous). */
    protected static JsonNode awaitTransaction(TestTenant tenant, String externalId, Predicate<JsonNode> condition)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            JsonNode items = transactionsFor(tenant, externalId);
            if (items != null && items.size() > 0) {
                last = JSON.readTree(get("/api/transactions/" + items.get(0).get("id").asText(), tenant.apiKey()).body());
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        return fail("transaction " + externalId + " did not reach the expected state; last seen: " + last);
    }

    /**
     * A port nothing listens on now and that this JVM has not handed out before: a hub takes four at once (HTTP,
     * management, broker, AS2) and binds them only later, and the system may offer a port just closed again.
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();
}

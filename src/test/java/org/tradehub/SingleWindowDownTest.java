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
import java.util.Collections;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

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

    private static final AtomicInteger failuresLeft = new AtomicInteger();
    private static final AtomicInteger calls = new AtomicInteger();
    private static final AtomicInteger accepted = new AtomicInteger();
    private static HttpServer singleWindow;
    private static HubInstance hub;
    private static String tenant;
    private static final String SECRET = "down-secret-0123456789";

    @BeforeAll
    static void start() throws Exception {
        singleWindow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        singleWindow.createContext("/customs/declarations/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.incrementAndGet();
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
                "hub.single-window.gb-cds.url", "http://127.0.0.1:" + singleWindow.getAddress().getPort()));
        TenantDirectory tenants = hub.bean(TenantDirectory.class);
        tenant = "down-" + UUID.randomUUID().toString().substring(0, 8);
        tenants.create(tenant, "Down test exporter");
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
        JmsTemplate jms = hub.bean(JmsTemplate.class);
        // the timeline is written (database) just before the parked message is committed (broker): poll for it
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        boolean parked = false;
        while (!parked && System.nanoTime() < deadline) {
            parked = parkedWithReason(jms, id);
            if (!parked) {
                Thread.sleep(100);
            }
        }
        assertThat(parked).isTrue();
    }

    private static boolean parkedWithReason(JmsTemplate jms, String id) {
        return jms.browse("hub.dead-letter", (session, browser) -> Collections.list(browser.getEnumeration())
                .stream().anyMatch(o -> {
                    Message m = (Message) o;
                    try {
                        return id.equals(m.getStringProperty("hubTransactionId"))
                                && m.getStringProperty("hubFailureReason").contains("503")
                                && "out-declaration-gb-cds".equals(m.getStringProperty("hubFailedRoute"));
                    } catch (jakarta.jms.JMSException e) {
                        throw new IllegalStateException(e);
                    }
                }));
    }
}

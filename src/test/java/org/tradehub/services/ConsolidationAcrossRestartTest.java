package org.tradehub.services;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.support.HubInstance;
import org.tradehub.support.HubTestSupport;
import org.tradehub.support.PostgresSchema;
import org.tradehub.tenant.TenantDirectory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consolidation state lives in the database: an order waiting on its lane is still there after the hub restarts
 * (here on PostgreSQL, the production database), the next order closes the lane by size, and a lane whose time
 * window passed while the hub was down is closed by the restarted hub's sweeper.
 */
class ConsolidationAcrossRestartTest {

    @RegisterExtension
    static final PostgresSchema PG = new PostgresSchema("hub_cons");
    private static final String ADMIN = "admin-" + UUID.randomUUID();
    private static final String SECRET = "restart-secret-0123456789";

    private static HubInstance start(Path dataDir) {
        return HubInstance.start(dataDir, PG.hubArgs(Map.of("hub.admin-token", ADMIN)));
    }

    @Test
    void aWaitingLaneSurvivesARestartAndClosesBySizeAndByTimeWindowAfterIt() throws Exception {
        Path dataDir = Path.of("target", "test-data", "restart-" + PG.name());
        String tenant = "cr-" + UUID.randomUUID().toString().substring(0, 8);
        String first = ServicePlanEndToEndTest.orderId();
        String timed = String.valueOf(Long.parseLong(first) + 1);
        try (HubInstance hub = start(dataDir)) {
            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            TenantDirectory tenants = hub.bean(TenantDirectory.class);
            tenants.create(tenant, "Restart exporter");
            tenants.rotateWebhookSecret(tenant, "shopify", SECRET, Duration.ZERO);
            jdbc.update("insert into exporter_profile (tenant_id, legal_name, eori, country_code, updated_at)"
                    + " values (?, 'Restart Exports Ltd', 'GB427168118378', 'GB', current_timestamp)", tenant);
            jdbc.update("insert into product (tenant_id, sku, hs_code, origin_country, net_mass_kg, updated_at)"
                    + " values (?, 'SKU2006-001', '90041091', 'IT', 0.1, current_timestamp)", tenant);
            // Germany: closes at 2 orders; France: closes after 2 s
            HttpResponse<String> r = HubTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(hub.base()
                            + "/admin/tenants/" + tenant + "/services")).header("Authorization", "Bearer " + ADMIN)
                    .PUT(HttpRequest.BodyPublishers.ofString("""
                            {"subscriptions": [{"service": "freight-booking", "policy": "FIXED",
                                                "fixedProvider": "sandbox-forwarder"}],
                             "consolidation": [{"destination": "DE", "maxOrders": 2, "windowMs": 600000},
                                               {"destination": "FR", "maxOrders": 10, "windowMs": 2000}]}
                            """)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            post(hub, tenant, LowValueOrders.toGermany(first, "40.00"));
            post(hub, tenant, toFrance(LowValueOrders.toGermany(timed, "35.00")));
            awaitItems(jdbc, tenant, 2);
        }
        Thread.sleep(2000); // France's window passes while no hub runs
        try (HubInstance again = start(dataDir)) {
            JdbcTemplate jdbc = again.bean(JdbcTemplate.class);
            String second = String.valueOf(Long.parseLong(first) + 2);
            post(again, tenant, LowValueOrders.toGermany(second, "45.00"));
            List<Map<String, Object>> done = awaitSent(jdbc, tenant, 2);
            assertThat(done).extracting(m -> m.get("destination_country") + ":" + m.get("order_count") + ":"
                    + m.get("closed_reason")).containsExactlyInAnyOrder("DE:2:size: 2 orders (threshold 2)",
                    "FR:1:time window");
        }
    }

    private static byte[] toFrance(byte[] german) {
        return new String(german, StandardCharsets.UTF_8).replace("\"DE\"", "\"FR\"").replace("Germany", "France")
                .replace("Berlin", "Paris").replace("10115", "75001").getBytes(StandardCharsets.UTF_8);
    }

    private static void post(HubInstance hub, String tenant, byte[] body) throws Exception {
        String signature = java.util.Base64.getEncoder().encodeToString(
                WebhookGuard.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), body));
        HttpResponse<String> r = HubTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(hub.base()
                        + "/webhooks/shopify/" + tenant)).header("X-Shopify-Hmac-Sha256", signature)
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString()).header("X-Shopify-Topic", "orders/create")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
    }

    private static void awaitItems(JdbcTemplate jdbc, String tenant, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (jdbc.queryForObject("select count(*) from consolidation_item i join consolidation c on c.id ="
                    + " i.consolidation_id where c.tenant_id = ? and c.state = 'OPEN'", Integer.class, tenant) == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the orders never joined their lanes");
    }

    private static List<Map<String, Object>> awaitSent(JdbcTemplate jdbc, String tenant, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Map<String, Object>> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = jdbc.queryForList("select destination_country, order_count, closed_reason from consolidation"
                    + " where tenant_id = ? and state = 'SENT'", tenant);
            if (rows.size() == count) {
                return rows;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("consolidations not booked; last seen " + rows + "; all: " + jdbc.queryForList(
                "select destination_country, state, closes_at, closed_reason, queued_at from consolidation"
                        + " where tenant_id = ?", tenant) + " at " + java.time.Instant.now());
    }
}

package org.tradehub;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.ledger.Ledger;
import org.tradehub.support.HubInstance;
import org.tradehub.support.HubTestSupport;
import org.tradehub.support.PostgresSchema;
import org.tradehub.tenant.TenantDirectory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production database path: the same migrations on the PostgreSQL server of this machine (127.0.0.1:5432,
 * database test), in a schema of its own, and the whole flow from webhook to accepted declaration on it, across a
 * restart of the hub.
 */
class PostgresLedgerTest {

    @RegisterExtension
    static final PostgresSchema PG = new PostgresSchema("hub_test");

    private static HubInstance startHub(Path dataDir) {
        return HubInstance.start(dataDir, PG.hubArgs());
    }

    @Test
    void webhookToAcceptedDeclarationOnPostgresSurvivesARestart() throws Exception {
        Path dataDir = Path.of("target", "test-data", "pg-" + PG.name());
        String orderId = "9007199254740993" + (System.nanoTime() % 1000);
        String tenant;
        String transactionId;
        String apiKey;
        try (HubInstance hub = startHub(dataDir)) {
            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("select version()", String.class)).contains("PostgreSQL");
            TenantDirectory tenants = hub.bean(TenantDirectory.class);
            tenant = "pg-" + UUID.randomUUID().toString().substring(0, 8);
            apiKey = tenants.create(tenant, "PG exporter");
            String other = "pg-" + UUID.randomUUID().toString().substring(0, 8);
            tenants.create(other, "Another exporter");
            tenants.rotateWebhookSecret(tenant, "shopify", "pg-secret-0123456789", Duration.ZERO);
            jdbc.update("insert into exporter_profile (tenant_id, legal_name, eori, country_code, updated_at)"
                    + " values (?, 'PG Exports Ltd', 'GB427168118378', 'GB', current_timestamp)", tenant);
            for (String[] p : new String[][] {{"SKU2006-001", "90041091"}, {"SKU2006-020", "94016100"},
                    {"SKU2006-035", "94036010"}}) {
                jdbc.update("insert into product (tenant_id, sku, hs_code, origin_country, net_mass_kg, updated_at)"
                        + " values (?, ?, ?, 'GB', 1.5, current_timestamp)", tenant, p[0], p[1]);
            }
            byte[] body = new String(java.nio.file.Files.readAllBytes(
                    Path.of("src/test/resources/webhooks/shopify/orders-create-2024-07.json")), StandardCharsets.UTF_8)
                    .replaceFirst("\"id\":\\s*\\d+", "\"id\": " + orderId).getBytes(StandardCharsets.UTF_8);
            String signature = java.util.Base64.getEncoder().encodeToString(org.tradehub.intake.WebhookGuard
                    .hmacSha256("pg-secret-0123456789".getBytes(StandardCharsets.UTF_8), body));
            String webhookId = UUID.randomUUID().toString();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = HubTestSupport.HTTP.send(HttpRequest.newBuilder(
                                URI.create(hub.base() + "/webhooks/shopify/" + tenant))
                        .header("X-Shopify-Hmac-Sha256", signature).header("X-Shopify-Webhook-Id", webhookId)
                        .header("X-Shopify-Topic", "orders/create")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(202);
            }
            transactionId = awaitStatus(jdbc, tenant, orderId, "DECLARATION_ACCEPTED");
            Ledger ledger = hub.bean(Ledger.class);
            assertThat(ledger.find(other, transactionId)).isEmpty();
            assertThat(ledger.search(tenant, null, null, orderId, 10)).hasSize(1);
        }
        try (HubInstance again = startHub(dataDir)) {
            Ledger ledger = again.bean(Ledger.class);
            var t = ledger.find(tenant, transactionId).orElseThrow();
            assertThat(t.status()).isEqualTo("DECLARATION_ACCEPTED");
            assertThat(t.externalId()).isEqualTo(orderId);
            assertThat(ledger.timeline(transactionId)).extracting(Ledger.TimelineEvent::type)
                    .contains("RECEIVED", "DECLARATION_ACCEPTED");
            // the tracking API reads its view in one snapshot, on PostgreSQL at REPEATABLE READ (ledger.Snapshots)
            HttpResponse<String> view = HubTestSupport.HTTP.send(HttpRequest.newBuilder(
                            URI.create(again.base() + "/api/transactions/" + transactionId))
                    .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(view.statusCode()).isEqualTo(200);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(view.body());
            assertThat(json.get("status").asText()).isEqualTo("DECLARATION_ACCEPTED");
            assertThat(json.get("declaration").get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(json.get("timeline").findValuesAsText("type")).contains("RECEIVED", "DECLARATION_ACCEPTED");
        }
    }

    static String awaitStatus(JdbcTemplate jdbc, String tenant, String externalId, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var rows = jdbc.queryForList("select id, status from trade_transaction where tenant_id = ? and external_id = ?",
                    tenant, externalId);
            if (!rows.isEmpty() && status.equals(rows.get(0).get("status"))) {
                return (String) rows.get(0).get("id");
            }
            Thread.sleep(100);
        }
        throw new AssertionError("transaction " + externalId + " never reached " + status);
    }
}

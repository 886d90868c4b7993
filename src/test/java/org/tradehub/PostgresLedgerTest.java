package org.tradehub;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.ledger.Ledger;
import org.tradehub.support.GbExporter;
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
            GbExporter exporter = GbExporter.create(hub, "pg");
            tenant = exporter.tenant();
            apiKey = exporter.apiKey();
            String other = "pg-" + UUID.randomUUID().toString().substring(0, 8);
            hub.bean(TenantDirectory.class).create(other, "Another exporter");
            String webhookId = UUID.randomUUID().toString();
            exporter.sendOrder(orderId, webhookId);
            exporter.sendOrder(orderId, webhookId); // Shopify's retry of the same delivery
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

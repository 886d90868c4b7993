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
        // the event endpoint below is a plain HTTP server on this machine
        return HubInstance.start(dataDir, PG.hubArgs(java.util.Map.of("hub.events.require-https", "false",
                "hub.events.allow-private-addresses", "true", "hub.events.delivery-interval-ms", "100")));
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
            assertThat(ledger.search(tenant, null, null, orderId, null, 10)).hasSize(1);
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

            // an order typed in, the event types the firm named sent to its endpoint, and the catalogue read a page at
            // a time, on PostgreSQL too
            var endpoint = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            endpoint.createContext("/", exchange -> {
                events.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        exchange.getRequestBody().readAllBytes()).get("type").asText());
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            endpoint.start();
            HttpResponse<String> subscribed = HubTestSupport.HTTP.send(HttpRequest.newBuilder(
                            URI.create(again.base() + "/api/event-subscription")).header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                            "{\"url\": \"http://127.0.0.1:" + endpoint.getAddress().getPort() + "/\","
                            + " \"eventTypes\": [\"RECEIVED\", \"DECLARATION_*\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(201);
            HttpResponse<String> typed = HubTestSupport.HTTP.send(HttpRequest.newBuilder(
                            URI.create(again.base() + "/api/orders")).header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                            {"orderNumber": "PG-MANUAL-1", "currency": "GBP",
                             "buyer": {"name": "B", "address": {"country": "US"}},
                             "lines": [{"sku": "SKU2006-020", "description": "Lounger", "quantity": "2",
                                        "unitPrice": "10.5"}]}""")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(typed.statusCode()).as(typed.body()).isEqualTo(202);
            awaitStatus(again.bean(JdbcTemplate.class), tenant, "PG-MANUAL-1", "DECLARATION_ACCEPTED");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!events.contains("DECLARATION_ACCEPTED") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            endpoint.stop(0);
            assertThat(events).startsWith("RECEIVED").contains("DECLARATION_ACCEPTED")
                    .allMatch(type -> type.equals("RECEIVED") || type.startsWith("DECLARATION_"));
            var first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(HubTestSupport.HTTP.send(
                    HttpRequest.newBuilder(URI.create(again.base() + "/api/products?limit=2"))
                            .header("Authorization", "Bearer " + apiKey).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(first.get("items").findValuesAsText("sku")).containsExactly("SKU2006-001", "SKU2006-020");
            var last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(HubTestSupport.HTTP.send(
                    HttpRequest.newBuilder(URI.create(again.base() + "/api/products?limit=2&after="
                            + first.get("next").asText())).header("Authorization", "Bearer " + apiKey).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(last.get("items").findValuesAsText("sku")).containsExactly("SKU2006-035");
            assertThat(last.get("next").isNull()).isTrue();
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

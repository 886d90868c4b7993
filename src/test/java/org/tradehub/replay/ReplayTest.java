package org.tradehub.replay;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every input is kept for replay: a rejected order goes through intake again once the tenant fixed its data and
 * becomes one valid transaction; a parked message goes back onto its own queue with its body and headers, once;
 * a discarded one stays on record; a tenant never reaches another tenant's items.
 */
class ReplayTest extends HubTestSupport {

    @Autowired
    ConnectionFactory connectionFactory;

    @Test
    void aRejectedOrderReplayedAfterTheProductIsAddedBecomesOneValidTransaction() throws Exception {
        TestTenant tenant = newTenant();
        String orderId = "55" + System.nanoTime();
        String sku = "SKU-NEW-" + UUID.randomUUID().toString().substring(0, 6);
        byte[] body = orderWithUnknownSku(tenant, orderId, sku);
        JsonNode rejected = awaitTransaction(tenant, orderId, t -> t.get("status").asText().equals("REJECTED"));
        String id = rejected.get("id").asText();
        assertThat(rejected.get("timeline").toString()).contains(sku);

        // replayed before the fix: still rejected, with the reasons as of now
        assertThat(post("/api/transactions/" + id + "/replay", tenant.apiKey(), null).statusCode()).isEqualTo(202);
        awaitTransaction(tenant, orderId, t -> count(t, "REJECTED") == 2);

        assertThat(put("/api/products/" + sku, tenant.apiKey(),
                "{\"hsCode\":\"90041091\",\"originCountry\":\"IT\",\"netMassKg\":\"0.1\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> replay = post("/api/transactions/" + id + "/replay", tenant.apiKey(), null);
        assertThat(replay.statusCode()).isEqualTo(202);
        JsonNode done = awaitTransaction(tenant, orderId, t -> t.get("status").asText().equals("DECLARATION_ACCEPTED"));
        assertThat(done.get("id").asText()).isEqualTo(id);
        assertThat(done.get("timeline").toString()).contains("The replayed order is complete");

        // a second replay is refused, and a replay racing the first (already queued) doubles nothing
        assertThat(post("/api/transactions/" + id + "/replay", tenant.apiKey(), null).statusCode()).isEqualTo(409);
        jms().send("hub.orders.received", session -> {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            m.setStringProperty("hubTenantId", tenant.id());
            m.setStringProperty("hubChannel", "shopify");
            m.setStringProperty("hubSourceFormat", "shopify-order");
            m.setStringProperty("hubSourceSyntax", "json");
            m.setStringProperty("hubReceiptId", UUID.randomUUID().toString());
            m.setStringProperty("hubReceivedAt", done.get("receivedAt").asText());
            m.setStringProperty("hubDedupeKeys", "replay:" + UUID.randomUUID());
            m.setStringProperty("hubReplayOf", id);
            return m;
        });
        awaitTransaction(tenant, orderId, t -> count(t, "SOURCE_UPDATE") == 1);
        assertThat(transactionsFor(tenant, orderId)).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from trade_transaction where tenant_id = ?", Integer.class,
                tenant.id())).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from declaration where transaction_id = ?", Integer.class, id))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from transaction_event where transaction_id = ? and type ="
                + " 'DECLARATION_SUBMITTED'", Integer.class, id)).isEqualTo(1);
    }

    /**
     * A tenant (or two of its tools) asking for the same replay several times at once, before any is recorded: each is
     * queued, the intake consumers take them side by side, and still the order is made valid once, with one VALIDATED
     * event and one declaration; the others are recorded as updates of an order already valid.
     */
    @Test
    void replaysTakenSideBySideMakeTheOrderValidOnce() throws Exception {
        TestTenant tenant = newTenant();
        String orderId = "56" + System.nanoTime();
        String sku = "SKU-NEW-" + UUID.randomUUID().toString().substring(0, 6);
        orderWithUnknownSku(tenant, orderId, sku);
        String id = awaitTransaction(tenant, orderId, t -> t.get("status").asText().equals("REJECTED")).get("id").asText();
        assertThat(put("/api/products/" + sku, tenant.apiKey(),
                "{\"hsCode\":\"90041091\",\"originCountry\":\"IT\",\"netMassKg\":\"0.1\"}").statusCode()).isEqualTo(200);

        int replays = 16;
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < replays; i++) {
            sent.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base() + "/api/transactions/" + id + "/replay"))
                    .header("Authorization", "Bearer " + tenant.apiKey()).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var r : sent) {
            assertThat(r.get().statusCode()).isIn(202, 409); // 409 once one of them is recorded
        }
        long queued = sent.stream().filter(r -> r.join().statusCode() == 202).count();
        JsonNode done = awaitTransaction(tenant, orderId, t -> t.get("status").asText().equals("DECLARATION_ACCEPTED")
                && count(t, "REPLAY_REQUESTED") == queued && count(t, "VALIDATED") + count(t, "SOURCE_UPDATE") == queued);
        assertThat(count(done, "VALIDATED")).as("the order made valid once, by %d replays", queued).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from declaration where transaction_id = ?", Integer.class, id))
                .isEqualTo(1);
        assertThat(count(done, "DECLARATION_SUBMITTED")).isEqualTo(1);
    }

    @Test
    void aParkedMessageGoesBackOntoItsQueueWithItsBodyAndHeadersOnce() throws Exception {
        TestTenant tenant = newTenant();
        String queue = "hub.test.replay-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode parked = park(tenant, queue, "order 42 bytes");
        assertThat(parked.get("reason").asText()).isEqualTo("IllegalStateException: partner offline");
        assertThat(parked.get("failedRoute").asText()).isEqualTo("in-test");
        assertThat(parked.get("headers").get("hubPartnerId").asText()).isEqualTo("partner-7");

        HttpResponse<String> kept = get("/api/dead-letters/" + parked.get("id").asText() + "/body", tenant.apiKey());
        assertThat(kept.body()).isEqualTo("order 42 bytes");
        assertThat(kept.headers().firstValue("Content-Type").orElse("")).startsWith("application/octet-stream");
        HttpResponse<String> replay = post("/api/dead-letters/" + parked.get("id").asText() + "/replay", tenant.apiKey(), null);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        JmsTemplate receiver = jms();
        receiver.setReceiveTimeout(10_000);
        Message back = receiver.receive(queue);
        assertThat(back).isNotNull();
        assertThat(((BytesMessage) back).getBodyLength()).isEqualTo(14);
        byte[] bytes = new byte[14];
        ((BytesMessage) back).readBytes(bytes);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("order 42 bytes");
        assertThat(back.getStringProperty("hubPartnerId")).isEqualTo("partner-7");
        assertThat(back.getStringProperty("hubTenantId")).isEqualTo(tenant.id());

        assertThat(post("/admin/dead-letters/" + parked.get("id").asText() + "/replay", ADMIN_TOKEN, null).statusCode())
                .isEqualTo(409);
        receiver.setReceiveTimeout(500);
        assertThat(receiver.receive(queue)).isNull();
        JsonNode record = JSON.readTree(get("/api/dead-letters/" + parked.get("id").asText(), tenant.apiKey()).body());
        assertThat(record.get("status").asText()).isEqualTo("REPLAYED");
        assertThat(record.get("actions").get(0).get("actor").asText()).isEqualTo("tenant " + tenant.id());
    }

    @Test
    void aDiscardedMessageStaysOnRecordAndCannotBeReplayed() throws Exception {
        TestTenant tenant = newTenant();
        JsonNode parked = park(tenant, "hub.test.discard-" + UUID.randomUUID().toString().substring(0, 8), "junk");
        String id = parked.get("id").asText();

        HttpResponse<String> discard = post("/admin/dead-letters/" + id + "/discard", ADMIN_TOKEN,
                "{\"note\":\"test order, never real\"}");
        assertThat(discard.statusCode()).as(discard.body()).isEqualTo(200);
        assertThat(post("/api/dead-letters/" + id + "/replay", tenant.apiKey(), null).statusCode()).isEqualTo(409);
        JsonNode record = JSON.readTree(get("/admin/dead-letters/" + id, ADMIN_TOKEN).body());
        assertThat(record.get("status").asText()).isEqualTo("DISCARDED");
        assertThat(record.get("actions").get(0).get("note").asText()).isEqualTo("test order, never real");
        assertThat(record.get("actions").get(0).get("actor").asText()).isEqualTo("operator");
        assertThat(get("/admin/dead-letters?status=DISCARDED&tenant=" + tenant.id(), ADMIN_TOKEN).body()).contains(id);
        assertThat(get("/admin/dead-letters", tenant.apiKey()).statusCode()).isEqualTo(401);
    }

    @Test
    void anotherTenantsItemsAre404() throws Exception {
        TestTenant owner = newTenant();
        TestTenant other = newTenant();
        JsonNode parked = park(owner, "hub.test.isolation-" + UUID.randomUUID().toString().substring(0, 8), "x");
        String id = parked.get("id").asText();
        byte[] bad = "not json".getBytes(StandardCharsets.UTF_8);
        assertThat(postShopify(owner, bad, owner.sign(bad), UUID.randomUUID().toString(), null).statusCode())
                .isEqualTo(202);
        String transaction = awaitRejected(owner);

        assertThat(get("/api/dead-letters/" + id, other.apiKey()).statusCode()).isEqualTo(404);
        assertThat(get("/api/dead-letters/" + id + "/body", other.apiKey()).statusCode()).isEqualTo(404);
        assertThat(post("/api/dead-letters/" + id + "/replay", other.apiKey(), null).statusCode()).isEqualTo(404);
        assertThat(post("/api/dead-letters/" + id + "/discard", other.apiKey(), null).statusCode()).isEqualTo(404);
        assertThat(post("/api/transactions/" + transaction + "/replay", other.apiKey(), null).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get("/api/dead-letters", other.apiKey()).body()).get("items")).isEmpty();
        assertThat(get("/api/dead-letters/" + id, owner.apiKey()).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(get("/api/dead-letters/" + id, owner.apiKey()).body()).get("status").asText())
                .isEqualTo("PARKED");
    }

    /** Parks a message as the error policy does (hub.dead-letter with reason, route and origin) and awaits it. */
    private JsonNode park(TestTenant tenant, String queue, String body) throws Exception {
        jms().send("hub.dead-letter", session -> {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body.getBytes(StandardCharsets.UTF_8));
            m.setStringProperty("hubTenantId", tenant.id());
            m.setStringProperty("hubPartnerId", "partner-7");
            m.setStringProperty("hubFailureReason", "IllegalStateException: partner offline");
            m.setStringProperty("hubFailedRoute", "in-test");
            m.setStringProperty("hubFailedAt", clock.instant().toString());
            m.setStringProperty("hubOriginQueue", queue);
            return m;
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode items = JSON.readTree(get("/api/dead-letters", tenant.apiKey()).body()).get("items");
            if (items.size() > 0) {
                assertThat(items.get(0).get("originQueue").asText()).isEqualTo(queue);
                return items.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the parked message did not arrive in the table");
    }

    private String awaitRejected(TestTenant tenant) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode items = JSON.readTree(get("/api/transactions?status=REJECTED", tenant.apiKey()).body()).get("items");
            if (items.size() > 0) {
                return items.get(0).get("id").asText();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no rejected transaction");
    }

    /** Posts a Shopify order whose first line is a product the tenant has not described (so it is rejected). */
    private static byte[] orderWithUnknownSku(TestTenant tenant, String orderId, String sku) throws Exception {
        byte[] body = new String(resource("webhooks/shopify/orders-create-2024-07.json"), StandardCharsets.UTF_8)
                .replaceFirst("\"id\":\\s*\\d+", "\"id\": " + orderId).replace("SKU2006-001", sku)
                .getBytes(StandardCharsets.UTF_8);
        assertThat(postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null).statusCode())
                .isEqualTo(202);
        return body;
    }

    private static long count(JsonNode transaction, String type) {
        long n = 0;
        for (JsonNode e : transaction.get("timeline")) {
            n += e.get("type").asText().equals(type) ? 1 : 0;
        }
        return n;
    }

    private JmsTemplate jms() {
        return new JmsTemplate(connectionFactory);
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return send("POST", path, token, body);
    }

    private static HttpResponse<String> put(String path, String token, String body) throws Exception {
        return send("PUT", path, token, body);
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}

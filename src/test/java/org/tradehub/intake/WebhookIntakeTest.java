package org.tradehub.intake;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook inputs as a shop platform sees them: signatures, duplicates, bad bodies, size limits, pings. */
class WebhookIntakeTest extends HubTestSupport {

    private static final byte[] SHOPIFY_ORDER = resource("webhooks/shopify/orders-create-2024-07.json");

    private static byte[] withOrderId(byte[] body, String newId) {
        // the fixture's id, replaced textually so the bytes stay exactly as a shop would send them
        String s = new String(body, StandardCharsets.UTF_8);
        return s.replaceFirst("\"id\":\\s*\\d+", "\"id\": " + newId).getBytes(StandardCharsets.UTF_8);
    }

    private static String newOrderId() {
        // above 2^53, as real Shopify ids are
        return String.valueOf(9_007_199_254_740_993L + (long) (Math.random() * 1_000_000_000L));
    }

    @Test
    void signedOrderIsQueuedAndRecordedWithItsExactId() throws Exception {
        TestTenant tenant = newTenant();
        String orderId = newOrderId();
        byte[] body = withOrderId(SHOPIFY_ORDER, orderId);

        HttpResponse<String> response = postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("queued");
        JsonNode t = awaitTransaction(tenant, orderId, x -> !x.get("timeline").isEmpty());
        assertThat(t.get("source").get("externalId").asText()).isEqualTo(orderId);
        assertThat(t.get("source").get("channel").asText()).isEqualTo("shopify");
        assertThat(t.get("timeline").get(0).get("type").asText()).isEqualTo("RECEIVED");
    }

    @Test
    void theSignatureIsCheckedOnTheBytesAsSentEvenWhenTheyAreNotValidUtf8() throws Exception {
        TestTenant tenant = newTenant();
        String orderId = newOrderId();
        // a Latin-1 byte in a UTF-8 body: decoding it to characters and back would change the bytes, and the HMAC
        byte[] text = withOrderId(SHOPIFY_ORDER, orderId);
        String s = new String(text, StandardCharsets.UTF_8);
        int at = s.indexOf("\"note\"");
        assertThat(at).as("the fixture has a note").isPositive();
        byte[] body = new byte[text.length + 1];
        int split = s.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
        System.arraycopy(text, 0, body, 0, split);
        body[split] = (byte) 0xE9;
        System.arraycopy(text, split, body, split + 1, text.length - split);

        HttpResponse<String> response = postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    @Test
    void wrongSignatureIs401ProblemAndNothingIsQueued() throws Exception {
        TestTenant tenant = newTenant();
        TestTenant other = newTenant();
        String orderId = newOrderId();
        byte[] body = withOrderId(SHOPIFY_ORDER, orderId);

        HttpResponse<String> wrongKey = postShopify(tenant, body, other.sign(body), UUID.randomUUID().toString(), null);
        HttpResponse<String> missing = postShopify(tenant, body, null, UUID.randomUUID().toString(), null);
        byte[] tampered = withOrderId(SHOPIFY_ORDER, orderId + "1");
        HttpResponse<String> tamperedBody = postShopify(tenant, tampered, tenant.sign(body),
                UUID.randomUUID().toString(), null);

        for (HttpResponse<String> r : new HttpResponse[] {wrongKey, missing, tamperedBody}) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.get("status").asInt()).isEqualTo(401);
            assertThat(problem.get("detail").asText()).contains("X-Shopify-Hmac-Sha256");
        }
        Thread.sleep(500);
        assertThat(transactionsFor(tenant, orderId)).isEmpty();
        assertThat(transactionsFor(tenant, orderId + "1")).isEmpty();
    }

    @Test
    void retriesAndTheSameEventThroughAnotherSubscriptionMakeOneTransaction() throws Exception {
        TestTenant tenant = newTenant();
        String orderId = newOrderId();
        byte[] body = withOrderId(SHOPIFY_ORDER, orderId);
        String webhookId = UUID.randomUUID().toString();
        String eventId = String.valueOf(System.nanoTime());

        for (int i = 0; i < 3; i++) { // Shopify retrying one delivery
            assertThat(postShopify(tenant, body, tenant.sign(body), webhookId, eventId).statusCode()).isEqualTo(202);
        }
        // the same event delivered through a second subscription: new webhook id, same event id
        assertThat(postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), eventId).statusCode())
                .isEqualTo(202);

        JsonNode t = awaitTransaction(tenant, orderId, x -> true);
        Thread.sleep(1000); // give any second copy time to be recorded, if the hub were to record one
        assertThat(transactionsFor(tenant, orderId)).hasSize(1);
        Integer received = jdbc.queryForObject("select count(*) from transaction_event e join trade_transaction t"
                + " on t.id = e.transaction_id where t.tenant_id = ? and e.type = 'RECEIVED'", Integer.class, tenant.id());
        assertThat(received).isEqualTo(1);
        // what the first delivery kept belongs to its transaction: its two keys and its raw document, nothing else
        String id = t.get("id").asText();
        assertThat(jdbc.queryForList("select transaction_id from dedupe_key where tenant_id = ?", String.class,
                tenant.id())).containsExactly(id, id);
        assertThat(jdbc.queryForList("select transaction_id from document where tenant_id = ? and kind = 'order-raw'",
                String.class, tenant.id())).containsExactly(id);
    }

    @Test
    void signedBodyThatIsNotJsonIsAcceptedButRecordedAsRejectedWithItsRawBytesKept() throws Exception {
        TestTenant tenant = newTenant();
        byte[] body = "{\"id\": 12, \"line_items\": [ this is not json".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null);

        assertThat(response.statusCode()).isEqualTo(202);
        String receipt = JSON.readTree(response.body()).get("receiptId").asText();
        JsonNode t = awaitTransaction(tenant, "receipt:" + receipt, x -> x.get("status").asText().equals("REJECTED"));
        String reasons = t.get("timeline").toString();
        assertThat(reasons).contains("not valid JSON");
        byte[] kept = jdbc.queryForObject("select content from document where id = ?", byte[].class,
                t.get("source").get("rawDocumentId").asText());
        assertThat(kept).isEqualTo(body);
    }

    /**
     * curl's default Content-Type is a form. The HTTP binding used to read such a body as form fields before the route
     * ran, and one that is not form data failed there with a bare 500, before any signature check. The body is now
     * the signature's alone: unsigned it is 401 like any unsigned body (nothing kept); signed it is the shop's, taken
     * whatever its declared type, and kept as a REJECTED order (raw bytes, for replay) when it is not a usable order.
     */
    @Test
    void aBodySentAsAFormIsCheckedOnlyByItsSignatureAndNeverParsedAsAForm() throws Exception {
        TestTenant tenant = newTenant();
        for (String platform : new String[] {"shopify", "woocommerce"}) {
            String signatureHeader = platform.equals("shopify") ? "X-Shopify-Hmac-Sha256" : "X-WC-Webhook-Signature";
            for (String body : new String[] {"garbage", "{\"id\": 1}", "a=%zz&b"}) {
                HttpResponse<String> unsigned = postForm(platform, tenant, body, null);

                assertThat(unsigned.statusCode()).as(platform + " " + body).isEqualTo(401);
                assertThat(unsigned.headers().firstValue("Content-Type")).hasValueSatisfying(
                        ct -> assertThat(ct).startsWith("application/problem+json"));
                assertThat(JSON.readTree(unsigned.body()).get("detail").asText()).contains(signatureHeader);
            }
            byte[] garbage = ("garbage from " + platform).getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> signed = postForm(platform, tenant, new String(garbage, StandardCharsets.UTF_8),
                    tenant.sign(garbage));

            assertThat(signed.statusCode()).as(platform + ": " + signed.body()).isEqualTo(202);
            String receipt = JSON.readTree(signed.body()).get("receiptId").asText();
            JsonNode t = awaitTransaction(tenant, "receipt:" + receipt, x -> x.get("status").asText().equals("REJECTED"));
            assertThat(jdbc.queryForObject("select content from document where id = ?", byte[].class,
                    t.get("source").get("rawDocumentId").asText())).isEqualTo(garbage);
        }
        assertThat(JSON.readTree(get("/api/transactions", tenant.apiKey()).body()).get("count").asInt())
                .as("only the two signed bodies were recorded").isEqualTo(2);
    }

    private static HttpResponse<String> postForm(String platform, TestTenant tenant, String body, String signature)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/webhooks/" + platform + "/" + tenant.id()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(platform.equals("shopify") ? "X-Shopify-Hmac-Sha256" : "X-WC-Webhook-Signature", signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        TestTenant tenant = newTenant();
        byte[] body = new byte[1_048_577];
        java.util.Arrays.fill(body, (byte) ' ');

        HttpResponse<String> declared = postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null);
        // chunked: no Content-Length, so the limit is enforced while reading
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(base() + "/webhooks/shopify/" + tenant.id()))
                .header("X-Shopify-Hmac-Sha256", tenant.sign(body))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> streamed = HTTP.send(chunked, HttpResponse.BodyHandlers.ofString());

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(streamed.body()).get("type").asText()).endsWith("body-too-large");
    }

    @Test
    void wooCommercePingIsAnswered200AndIsNoOrder() throws Exception {
        TestTenant tenant = newTenant();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(base() + "/webhooks/woocommerce/" + tenant.id()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("webhook_id=42"))
                .build();

        HttpResponse<String> response = HTTP.send(ping, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        Thread.sleep(300);
        assertThat(JSON.readTree(get("/api/transactions", tenant.apiKey()).body()).get("count").asInt()).isZero();
    }

    @Test
    void wooCommerceOrderWithPhpEscapesIsVerifiedOnItsRawBytes() throws Exception {
        TestTenant tenant = newTenant();
        byte[] body = resource("webhooks/woocommerce/order-uk-to-jp-on-hold.json");
        String externalId = JSON.readTree(body).get("id").asText();
        HttpRequest order = HttpRequest.newBuilder(URI.create(base() + "/webhooks/woocommerce/" + tenant.id()))
                .header("Content-Type", "application/json")
                .header("X-WC-Webhook-Topic", "order.created")
                .header("X-WC-Webhook-Source", "https://shop.example/")
                .header("X-WC-Webhook-Delivery-ID", UUID.randomUUID().toString())
                .header("X-WC-Webhook-Signature", tenant.sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();

        assertThat(HTTP.send(order, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
        JsonNode t = awaitTransaction(tenant, externalId, x -> true);
        assertThat(t.get("source").get("channel").asText()).isEqualTo("woocommerce");
    }
}

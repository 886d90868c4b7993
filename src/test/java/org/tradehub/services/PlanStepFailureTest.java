package org.tradehub.services;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tradehub.services.ServicePlanEndToEndTest.admin;
import static org.tradehub.services.ServicePlanEndToEndTest.orderId;
import static org.tradehub.services.ServicePlanEndToEndTest.putServices;
import static org.tradehub.services.ServicePlanEndToEndTest.shopifyOrder;

/**
 * A plan step whose provider stays down past the back-off shows FAILED with the reason (and the plan FAILED), and
 * moves on when its parked message is replayed.
 */
class PlanStepFailureTest extends HubTestSupport {

    /** The providers of this class leave the competition afterwards (the Spring context is shared). */
    @AfterEach
    void retireTestProviders() {
        jdbc.update("update provider set active = false where id like 'down-%'");
    }

    @Test
    void aStepParkedAfterEveryRetryIsFailedWithItsReasonAndAReplayMovesItOn() throws Exception {
        try (TestProviderPeer peer = new TestProviderPeer(Map.of())) {
            peer.requestStatus = 503; // the provider is down
            String insurer = registerInsurer(peer, "down-");
            TestTenant tenant = newTenant();
            putServices(tenant, "{\"subscriptions\": [{\"service\": \"insurance\", \"policy\": \"FIXED\","
                    + " \"fixedProvider\": \"" + insurer + "\"}]}");
            String orderId = send(tenant);

            JsonNode failed = awaitTransaction(tenant, orderId, x -> "FAILED".equals(step(x, "insurance").path("state").asText()));
            JsonNode step = step(failed, "insurance");
            assertThat(failed.get("plan").get("state").asText()).isEqualTo("FAILED");
            assertThat(step.get("reason").asText()).contains("after every retry", "HTTP 503");
            assertThat(ConsolidationTest.hasEvent(failed, "SERVICE_FAILED")).isTrue();
            String reference = step.get("reference").asText();
            assertThat(peer.idempotencyKeys).hasSizeGreaterThan(1).containsOnly(reference); // every retry, one key

            // the provider is back; the tenant replays its parked message
            peer.requestStatus = 202;
            String deadLetter = parkedFor(tenant, failed.get("id").asText());
            assertThat(post("/api/dead-letters/" + deadLetter + "/replay", tenant.apiKey()).statusCode()).isEqualTo(202);
            JsonNode sent = awaitTransaction(tenant, orderId, x -> "SENT".equals(step(x, "insurance").path("state").asText()));
            assertThat(step(sent, "insurance").get("reference").asText()).isEqualTo(reference);
            assertThat(step(sent, "insurance").get("reason").isNull()).isTrue();
            assertThat(sent.get("plan").get("state").asText()).isEqualTo("IN_PROGRESS");
            assertThat(ConsolidationTest.hasEvent(sent, "SERVICE_RESUMED")).isTrue();
            assertThat(peer.requests).hasSize(1);
        }
    }

    static String registerInsurer(TestProviderPeer peer, String prefix) throws Exception {
        String id = prefix + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> r = admin("PUT", "/admin/providers/" + id, """
                {"kind": "insurer", "legalName": "Test Insurer plc", "lei": "5493001KJTIIGC8Y1R12",
                 "channel": "http", "endpointUrl": "%s", "callbackToken": "cb-%s",
                 "offers": [{"service": "insurance"}]}""".formatted(peer.url("/requests"), id));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return id;
    }

    static String send(TestTenant tenant) throws Exception {
        String orderId = orderId();
        byte[] body = shopifyOrder(orderId);
        assertThat(postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null).statusCode())
                .isEqualTo(202);
        return orderId;
    }

    /** The id of the tenant's parked message for this transaction (parking is asynchronous). */
    static String parkedFor(TestTenant tenant, String transactionId) throws Exception {
        for (int i = 0; i < 100; i++) {
            for (JsonNode d : JSON.readTree(get("/api/dead-letters?status=PARKED", tenant.apiKey()).body()).path("items")) {
                if (transactionId.equals(d.path("transactionId").asText())) {
                    return d.get("id").asText();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no parked message for " + transactionId);
    }

    static HttpResponse<String> post(String path, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode step(JsonNode t, String service) {
        for (JsonNode s : t.path("plan").path("steps")) {
            if (service.equals(s.get("service").asText())) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}

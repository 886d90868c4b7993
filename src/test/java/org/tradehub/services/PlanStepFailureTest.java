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
 * moves on when its parked message is replayed; a REJECTED or FAILED step is re-run by its tenant without ever
 * booking twice.
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

    @Test
    void aRejectedStepIsReRunWithTheProviderRegisteredSinceAndOnlyByItsOwnTenant() throws Exception {
        try (TestProviderPeer peer = new TestProviderPeer(Map.of())) {
            String insurer = "down-" + UUID.randomUUID().toString().substring(0, 8);
            register(peer, insurer, false); // known, but not active yet
            TestTenant tenant = newTenant();
            putServices(tenant, "{\"subscriptions\": [{\"service\": \"insurance\", \"policy\": \"FIXED\","
                    + " \"fixedProvider\": \"" + insurer + "\"}]}");
            String orderId = send(tenant);
            JsonNode rejected = awaitTransaction(tenant, orderId, x -> "REJECTED".equals(step(x, "insurance").path("state").asText()));
            String firstReference = step(rejected, "insurance").get("reference").asText();
            assertThat(step(rejected, "insurance").get("reason").asText()).contains("inactive");
            String retry = "/api/transactions/" + rejected.get("id").asText() + "/plan/insurance/retry";
            assertThat(post(retry, newTenant().apiKey()).statusCode()).isEqualTo(404);

            register(peer, insurer, true);
            HttpResponse<String> queued = post(retry, tenant.apiKey());
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
            assertThat(JSON.readTree(queued.body()).get("attempt").asInt()).isEqualTo(2);
            JsonNode sent = awaitTransaction(tenant, orderId, x -> "SENT".equals(step(x, "insurance").path("state").asText()));
            JsonNode step = step(sent, "insurance");
            assertThat(step.get("provider").asText()).isEqualTo(insurer);
            assertThat(step.get("attempt").asInt()).isEqualTo(2);
            assertThat(step.get("reference").asText()).isNotEqualTo(firstReference);
            assertThat(peer.idempotencyKeys).containsExactly(step.get("reference").asText());
            assertThat(ConsolidationTest.hasEvent(sent, "SERVICE_RETRY_REQUESTED")).isTrue();
            // a step on its way is not re-run
            assertThat(post(retry, tenant.apiKey()).statusCode()).isEqualTo(409);
        }
    }

    @Test
    void aReRunNeverBooksTwiceAndAnswersToEarlierAttemptsAreStillRecognised() throws Exception {
        try (TestProviderPeer peer = new TestProviderPeer(Map.of())) {
            String insurer = registerInsurer(peer, "down-");
            TestTenant tenant = newTenant();
            putServices(tenant, "{\"subscriptions\": [{\"service\": \"insurance\", \"policy\": \"FIXED\","
                    + " \"fixedProvider\": \"" + insurer + "\"}]}");

            // FAILED (provider down): the re-run to the same provider repeats the same idempotency key
            peer.requestStatus = 503;
            String down = send(tenant);
            JsonNode failed = awaitTransaction(tenant, down, x -> "FAILED".equals(step(x, "insurance").path("state").asText()));
            String reference = step(failed, "insurance").get("reference").asText();
            peer.requestStatus = 202;
            assertThat(post("/api/transactions/" + failed.get("id").asText() + "/plan/insurance/retry", tenant.apiKey())
                    .statusCode()).isEqualTo(202);
            JsonNode resent = awaitTransaction(tenant, down, x -> "SENT".equals(step(x, "insurance").path("state").asText()));
            assertThat(step(resent, "insurance").get("reference").asText()).isEqualTo(reference);
            assertThat(peer.idempotencyKeys).containsOnly(reference);
            assertThat(peer.requests).hasSize(1);

            // REJECTED by the provider: the re-run is a new request with a new key
            peer.requestStatus = 422;
            String refused = send(tenant);
            JsonNode rejected = awaitTransaction(tenant, refused, x -> "REJECTED".equals(step(x, "insurance").path("state").asText()));
            String first = step(rejected, "insurance").get("reference").asText();
            peer.requestStatus = 202;
            String retry = "/api/transactions/" + rejected.get("id").asText() + "/plan/insurance/retry";
            assertThat(post(retry, tenant.apiKey()).statusCode()).isEqualTo(202);
            JsonNode second = awaitTransaction(tenant, refused, x -> "SENT".equals(step(x, "insurance").path("state").asText()));
            String next = step(second, "insurance").get("reference").asText();
            assertThat(next).isNotEqualTo(first);
            assertThat(peer.requests.get(peer.requests.size() - 1)).contains("<Reference>" + next + "</Reference>");

            // the provider confirms the first attempt after all: recognised, kept, not applied to the re-run
            assertThat(callback(insurer, answer("X1", first, "ACCEPTED")).body()).contains("SUPERSEDED");
            JsonNode after = awaitTransaction(tenant, refused, x -> ConsolidationTest.hasEvent(x, "ANSWER_SUPERSEDED"));
            assertThat(step(after, "insurance").get("state").asText()).isEqualTo("SENT");
            assertThat(ConsolidationTest.timelineText(after)).contains("only one booking stands");
            // the second attempt is declined: a third would double the confirmed first one, so it is refused
            assertThat(callback(insurer, answer("X2", next, "REJECTED")).body()).contains("APPLIED");
            HttpResponse<String> third = post(retry, tenant.apiKey());
            assertThat(third.statusCode()).isEqualTo(409);
            assertThat(third.body()).contains("confirmed attempt 1");
        }
    }

    static String registerInsurer(TestProviderPeer peer, String prefix) throws Exception {
        String id = prefix + UUID.randomUUID().toString().substring(0, 8);
        register(peer, id, true);
        return id;
    }

    static void register(TestProviderPeer peer, String id, boolean active) throws Exception {
        HttpResponse<String> r = admin("PUT", "/admin/providers/" + id, """
                {"kind": "insurer", "legalName": "Test Insurer plc", "lei": "5493001KJTIIGC8Y1R12",
                 "channel": "http", "endpointUrl": "%s", "callbackToken": "cb-%s", "active": %s,
                 "offers": [{"service": "insurance"}]}""".formatted(peer.url("/requests"), id, active));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static String answer(String id, String reference, String status) {
        return "<ProviderAnswer xmlns=\"urn:tradehub:services:1\" version=\"1.0\"><AnswerID>" + id + "</AnswerID>"
                + "<Reference>" + reference + "</Reference><Type>INSURANCE_CERTIFICATE</Type><Status>" + status
                + "</Status></ProviderAnswer>";
    }

    private static HttpResponse<String> callback(String provider, String xml) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/callbacks/providers/" + provider))
                .header("Authorization", "Bearer cb-" + provider).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), HttpResponse.BodyHandlers.ofString());
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

package org.tradehub.services;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** From a web-shop order to a complete service plan, with the sandbox providers as peers over HTTP. */
class ServicePlanEndToEndTest extends HubTestSupport {

    @Test
    void anOrderReachesACompletePlanWithEveryServiceAndTheTimelineTellsWhoDidWhat() throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, SandboxServices.ALL);
        String orderId = orderId();
        byte[] body = shopifyOrder(orderId);
        assertThat(postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null).statusCode())
                .isEqualTo(202);

        // the plan is COMPLETE once every step is accepted; the forwarder's and insurer's last answers (DONE) may
        // still be on their way then
        JsonNode t = awaitTransaction(tenant, orderId, x -> "COMPLETE".equals(x.path("plan").path("state").asText())
                && stepState(x, "freight-booking").equals("DONE") && stepState(x, "insurance").equals("DONE"));
        Map<String, JsonNode> steps = new HashMap<>();
        t.get("plan").get("steps").forEach(s -> steps.put(s.get("service").asText(), s));
        assertThat(steps.keySet()).containsExactlyInAnyOrder("export-declaration", "freight-booking", "insurance",
                "financing", "fx-settlement-filing", "vat-refund-filing");
        assertThat(steps.get("export-declaration").get("state").asText()).isEqualTo("ACCEPTED");
        assertThat(steps.get("freight-booking").get("state").asText()).isEqualTo("DONE");
        assertThat(steps.get("freight-booking").get("provider").asText()).isEqualTo("sandbox-forwarder");
        assertThat(steps.get("freight-booking").get("choiceReason").asText()).startsWith("Cheapest of 1 price(s)");
        assertThat(steps.get("insurance").get("state").asText()).isEqualTo("DONE");
        assertThat(steps.get("fx-settlement-filing").get("state").asText()).isEqualTo("ACCEPTED");
        assertThat(steps.get("fx-settlement-filing").get("providerReference").asText()).startsWith("SBX-");
        List<String> types = new ArrayList<>();
        t.get("timeline").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsSubsequence("RECEIVED", "VALIDATED", "PLAN_DECIDED");
        assertThat(types).contains("PROVIDER_CHOSEN", "SERVICE_SENT", "SERVICE_ACKNOWLEDGED", "SERVICE_ACCEPTED",
                "SERVICE_DONE", "DECLARATION_ACCEPTED");
        // each provider document is kept with its hash, once
        Integer bookings = jdbc.queryForObject("select count(*) from document where transaction_id = ? and kind ="
                + " 'booking-request'", Integer.class, t.get("id").asText());
        assertThat(bookings).isEqualTo(1);
    }

    private static String stepState(JsonNode transaction, String service) {
        for (JsonNode step : transaction.path("plan").path("steps")) {
            if (service.equals(step.path("service").asText())) {
                return step.path("state").asText();
            }
        }
        return "";
    }

    @Test
    void rulesDecideWhichServicesThePlanHolds() throws Exception {
        TestTenant tenant = newTenant();
        // insurance only above 10000 GBP: this order (about 280 GBP) gets no insurance step
        putServices(tenant, """
                {"subscriptions": [
                  {"service": "insurance", "policy": "FIXED", "fixedProvider": "sandbox-insurer",
                   "rules": [{"minValue": "10000", "valueCurrency": "GBP"}]},
                  {"service": "vat-refund-filing", "policy": "FIXED", "fixedProvider": "sandbox-single-window",
                   "rules": [{"destinations": ["US", "CA"], "description": "North American exports"}]}]}
                """);
        String orderId = orderId();
        byte[] body = shopifyOrder(orderId);
        postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null);
        JsonNode t = awaitTransaction(tenant, orderId, x -> "COMPLETE".equals(x.path("plan").path("state").asText()));
        List<String> services = new ArrayList<>();
        t.get("plan").get("steps").forEach(s -> services.add(s.get("service").asText()));
        assertThat(services).containsExactlyInAnyOrder("export-declaration", "vat-refund-filing");
        JsonNode vat = t.get("plan").get("steps").get(services.indexOf("vat-refund-filing"));
        assertThat(vat.get("choiceReason").asText()).contains("Fixed");
    }

    static final class SandboxServices {
        static final String ALL = """
                {"subscriptions": [
                  {"service": "freight-booking", "policy": "CHEAPEST", "quoteDeadlineMs": 2000},
                  {"service": "insurance", "policy": "FIXED", "fixedProvider": "sandbox-insurer"},
                  {"service": "financing", "policy": "FIXED", "fixedProvider": "sandbox-bank"},
                  {"service": "fx-settlement-filing", "policy": "FIXED", "fixedProvider": "sandbox-single-window"},
                  {"service": "vat-refund-filing", "policy": "FIXED", "fixedProvider": "sandbox-single-window"}]}
                """;
    }

    static String orderId() {
        return String.valueOf(9_207_199_254_740_993L + System.nanoTime() % 1_000_000_000L);
    }

    static byte[] shopifyOrder(String orderId) {
        return new String(resource("webhooks/shopify/orders-create-2024-07.json"), StandardCharsets.UTF_8)
                .replaceFirst("\"id\":\\s*\\d+", "\"id\": " + orderId).getBytes(StandardCharsets.UTF_8);
    }

    static HttpResponse<String> admin(String method, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void putServices(TestTenant tenant, String json) throws Exception {
        HttpResponse<String> r = admin("PUT", "/admin/tenants/" + tenant.id() + "/services", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}

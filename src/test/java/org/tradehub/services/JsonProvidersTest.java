package org.tradehub.services;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tradehub.services.ServicePlanEndToEndTest.admin;
import static org.tradehub.services.ServicePlanEndToEndTest.orderId;
import static org.tradehub.services.ServicePlanEndToEndTest.putServices;
import static org.tradehub.services.ServicePlanEndToEndTest.shopifyOrder;

/**
 * Providers registered with format json get their requests as JSON (out-provider-dispatch): a forwarder and an
 * insurer on a real HTTP server receive application/json valid against service-request.schema.json, with the same
 * reference and idempotency key as an XML provider would; the insurer's JSON answer moves its step.
 */
class JsonProvidersTest extends HubTestSupport {

    @Autowired
    CamelContext camel;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void retireTestProviders() {
        jdbc.update("update provider set active = false where id like ?", "%-json-" + run);
    }

    @Test
    void aJsonProviderGetsSchemaValidJsonAndAnswersInJson() throws Exception {
        try (TestProviderPeer peer = new TestProviderPeer(Map.of())) {
            String forwarder = "fwd-json-" + run;
            String insurer = "ins-json-" + run;
            String token = "cb-" + UUID.randomUUID();
            assertThat(register(forwarder, "forwarder", peer.url("/requests"), "json", "freight-booking", token)
                    .statusCode()).isEqualTo(200);
            assertThat(register(insurer, "insurer", peer.url("/requests"), "json", "insurance", token).statusCode())
                    .isEqualTo(200);
            TestTenant tenant = newTenant();
            putServices(tenant, """
                    {"subscriptions": [{"service": "freight-booking", "policy": "FIXED", "fixedProvider": "%s"},
                                       {"service": "insurance", "policy": "FIXED", "fixedProvider": "%s"}]}"""
                    .formatted(forwarder, insurer));
            String orderId = orderId();
            byte[] body = shopifyOrder(orderId);
            assertThat(postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null).statusCode())
                    .isEqualTo(202);
            JsonNode t = awaitTransaction(tenant, orderId, x -> "SENT".equals(step(x, "insurance").path("state").asText())
                    && "SENT".equals(step(x, "freight-booking").path("state").asText()));

            assertThat(peer.requests).hasSize(2);
            assertThat(peer.contentTypes).containsOnly("application/json; charset=UTF-8");
            var template = camel.createProducerTemplate();
            for (String request : peer.requests) {
                template.requestBody("json-validator:file:mappings/schemas/services/service-request.schema.json", request);
            }
            JsonNode booking = peer.requests.stream().map(JsonProvidersTest::read)
                    .filter(n -> n.has("BookingRequest")).findFirst().orElseThrow().get("BookingRequest");
            JsonNode insurance = peer.requests.stream().map(JsonProvidersTest::read)
                    .filter(n -> n.has("InsuranceRequest")).findFirst().orElseThrow().get("InsuranceRequest");
            assertThat(booking.get("Reference").asText()).isEqualTo(step(t, "freight-booking").get("reference").asText());
            assertThat(booking.get("Consolidated").isBoolean()).isTrue();
            assertThat(booking.get("Consignment").isArray()).isTrue();
            // amounts travel as the decimal strings of the XML, never as binary floats
            assertThat(insurance.get("SumInsured").get("value").isTextual()).isTrue();
            assertThat(insurance.get("SumInsured").get("value").asText()).matches("\\d+\\.\\d{2}");
            String reference = step(t, "insurance").get("reference").asText();
            assertThat(insurance.get("Reference").asText()).isEqualTo(reference);
            assertThat(peer.idempotencyKeys).contains(reference);
            // the document kept in the ledger is the JSON that was sent
            assertThat(jdbc.queryForObject("select media_type from document where transaction_id = ? and kind ="
                    + " 'insurance-request'", String.class, t.get("id").asText())).isEqualTo("application/json");

            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/callbacks/providers/"
                            + insurer)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                            {"answerId": "J1", "reference": "%s", "type": "INSURANCE_CERTIFICATE", "status": "DONE",
                             "details": {"certificateNumber": "C-J1"}}""".formatted(reference))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).contains("APPLIED");
            awaitTransaction(tenant, orderId, x -> "DONE".equals(step(x, "insurance").path("state").asText()));
        }
    }

    @Test
    void theRegistryTakesXmlOrJsonAndNothingElse() throws Exception {
        String url = "http://127.0.0.1:9/requests";
        assertThat(register("fwd-json-" + run, "forwarder", url, "json", "freight-booking", null).statusCode())
                .isEqualTo(200);
        assertThat(JSON.readTree(admin("GET", "/admin/providers/fwd-json-" + run, null).body()).get("format").asText())
                .isEqualTo("json");
        HttpResponse<String> csv = register("fwd-csv-json-" + run, "forwarder", url, "csv", "freight-booking", null);
        assertThat(csv.statusCode()).isEqualTo(400);
        assertThat(csv.body()).contains("'format' is xml or json");
        // the broker's instruction carries the WCO DMS declaration, which has no JSON form
        HttpResponse<String> broker = register("brk-json-" + run, "customs-broker", url, "json", "export-declaration",
                null);
        assertThat(broker.statusCode()).isEqualTo(400);
        assertThat(broker.body()).contains("customs broker takes format xml");
    }

    private static HttpResponse<String> register(String id, String kind, String url, String format, String service,
                                                 String callbackToken) throws Exception {
        return admin("PUT", "/admin/providers/" + id, """
                {"kind": "%s", "legalName": "JSON Provider %s", "licenceNumber": "LIC-%s", "channel": "http",
                 "endpointUrl": "%s", "format": "%s", %s "offers": [{"service": "%s"}]}"""
                .formatted(kind, id, id, url, format,
                        callbackToken == null ? "" : "\"callbackToken\": \"" + callbackToken + "\",", service));
    }

    private static JsonNode step(JsonNode t, String service) {
        for (JsonNode s : t.path("plan").path("steps")) {
            if (service.equals(s.path("service").asText())) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.tradehub.services;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tradehub.services.ServicePlanEndToEndTest.admin;
import static org.tradehub.services.ServicePlanEndToEndTest.orderId;
import static org.tradehub.services.ServicePlanEndToEndTest.putServices;
import static org.tradehub.services.ServicePlanEndToEndTest.shopifyOrder;

/** Provider answers that arrive late, twice, for unknown references, after a final state, or over a channel queue. */
class ProviderAnswersTest extends HubTestSupport {

    @Autowired
    JmsTemplate jms;
    @Autowired
    org.apache.camel.CamelContext camel;

    /** The providers of this class leave the competition afterwards (the Spring context is shared with other tests). */
    @org.junit.jupiter.api.AfterEach
    void retireTestProviders() {
        jdbc.update("update provider set active = false where id like 'ins-%' or id like 'bank-%'");
    }

    @Test
    void answersAreAppliedOnceAndEveryOddOneIsKeptAndFlagged() throws Exception {
        try (TestProviderPeer peer = new TestProviderPeer(Map.of())) {
            String insurer = "ins-" + UUID.randomUUID().toString().substring(0, 8);
            String token = "cb-" + UUID.randomUUID();
            assertThat(admin("PUT", "/admin/providers/" + insurer, """
                    {"kind": "insurer", "legalName": "Test Insurer plc", "lei": "5493001KJTIIGC8Y1R12",
                     "channel": "http", "endpointUrl": "%s", "callbackToken": "%s", "answerWithinSeconds": 1,
                     "offers": [{"service": "insurance"}]}""".formatted(peer.url("/requests"), token)).statusCode())
                    .isEqualTo(200);
            TestTenant tenant = newTenant();
            putServices(tenant, "{\"subscriptions\": [{\"service\": \"insurance\", \"policy\": \"FIXED\","
                    + " \"fixedProvider\": \"" + insurer + "\"}]}");
            String orderId = orderId();
            byte[] body = shopifyOrder(orderId);
            postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null);
            JsonNode t = awaitTransaction(tenant, orderId, x -> "SENT".equals(insurance(x).path("state").asText()));
            String reference = insurance(t).get("reference").asText();
            assertThat(peer.requests).hasSize(1);
            assertThat(peer.requests.get(0)).contains("<InsuranceRequest", "<Reference>" + reference + "</Reference>");

            String ack = answer("A1", reference, "ACKNOWLEDGED", null);
            assertThat(callback(insurer, "wrong-token", ack).statusCode()).isEqualTo(401);
            assertThat(callback(insurer, token, ack).body()).contains("APPLIED");
            assertThat(callback(insurer, token, ack).body()).contains("DUPLICATE");
            Thread.sleep(1200); // past the provider's answer time
            assertThat(callback(insurer, token, answer("A2", reference, "DONE", "<Detail name=\"certificateNumber\">C-1"
                    + "</Detail>")).body()).contains("LATE");
            assertThat(callback(insurer, token, answer("A3", reference, "REJECTED", null)).body()).contains("CONFLICT");
            assertThat(callback(insurer, token, answer("A4", "SVNOSUCHREFERENCE00000", "DONE", null)).body())
                    .contains("UNKNOWN");
            assertThat(callback(insurer, token, "<not-an-answer/>").statusCode()).isEqualTo(400);

            JsonNode after = awaitTransaction(tenant, orderId, x -> true);
            assertThat(insurance(after).get("state").asText()).isEqualTo("DONE");
            assertThat(after.get("plan").get("flaggedAnswers").findValuesAsText("flag"))
                    .containsExactly("DUPLICATE", "LATE", "CONFLICT");
            assertThat(ConsolidationTest.hasEvent(after, "ANSWER_DUPLICATE")).isTrue();
            assertThat(ConsolidationTest.hasEvent(after, "ANSWER_CONFLICT")).isTrue();
            JsonNode unknown = JSON.readTree(admin("GET", "/admin/answers?status=UNKNOWN", null).body());
            assertThat(unknown.get("items").findValuesAsText("reference")).contains("SVNOSUCHREFERENCE00000");
            assertThat(jdbc.queryForObject("select count(*) from provider_answer where provider_id = ?", Integer.class,
                    insurer)).isEqualTo(6); // the unreadable one is kept too
            // measured from the hub's own timestamps: one request, answered, overdue
            JsonNode quality = JSON.readTree(admin("GET", "/admin/providers/" + insurer, null).body()).get("measuredQuality");
            assertThat(quality.get("sent").asInt()).isEqualTo(1);
            assertThat(quality.get("overdueRate").asDouble()).isEqualTo(0.0); // first answer came in time
        }
    }

    @Test
    void anAnswerFileOnTheAnswersQueueUpdatesTheRightTransaction() throws Exception {
        String bank = "bank-" + UUID.randomUUID().toString().substring(0, 8);
        String partner = "partner-" + bank;
        assertThat(admin("PUT", "/admin/providers/" + bank, """
                {"kind": "bank", "legalName": "File Bank plc", "licenceNumber": "FCA-123456", "channel": "file",
                 "partnerId": "%s", "offers": [{"service": "financing"}]}""".formatted(partner)).statusCode())
                .isEqualTo(200);
        TestTenant tenant = newTenant();
        putServices(tenant, "{\"subscriptions\": [{\"service\": \"financing\", \"policy\": \"FIXED\","
                + " \"fixedProvider\": \"" + bank + "\"}]}");
        String orderId = orderId();
        byte[] body = shopifyOrder(orderId);
        // the file channel's own consumer (out-file-drop) would take the request off its queue: stopped meanwhile
        camel.getRouteController().stopRoute("out-file-drop");
        jakarta.jms.Message out;
        JsonNode t;
        try {
            postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null);
            t = awaitTransaction(tenant, orderId, x -> "SENT".equals(financing(x).path("state").asText()));
            // the request went to the file channel's queue with the shared contract's headers
            jms.setReceiveTimeout(5000);
            out = jms.receiveSelected("hub.outbound.file", "hubPartnerId = '" + partner + "'");
        } finally {
            camel.getRouteController().startRoute("out-file-drop");
        }
        String reference = financing(t).get("reference").asText();
        assertThat(out.getStringProperty("hubDocumentType")).isEqualTo("FINANCING");
        assertThat(out.getStringProperty("hubTransactionId")).isEqualTo(t.get("id").asText());

        String json = "{\"reference\": \"" + reference + "\", \"type\": \"FINANCING_DECISION\", \"status\": \"DONE\","
                + " \"details\": {\"decision\": \"approved\"}}";
        jms.send("hub.answers.received", s -> {
            jakarta.jms.BytesMessage m = s.createBytesMessage();
            m.writeBytes(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            m.setStringProperty("hubChannel", "file");
            m.setStringProperty("hubPartnerId", partner);
            m.setStringProperty("hubTenantId", tenant.id());
            m.setStringProperty("hubFileName", "decision.json");
            return m;
        });
        JsonNode done = awaitTransaction(tenant, orderId, x -> "DONE".equals(financing(x).path("state").asText()));
        assertThat(ConsolidationTest.timelineText(done)).contains("financing decision (DONE)", "decision=approved");
    }

    private static JsonNode insurance(JsonNode t) {
        return stepOf(t, "insurance");
    }

    private static JsonNode financing(JsonNode t) {
        return stepOf(t, "financing");
    }

    private static JsonNode stepOf(JsonNode t, String service) {
        for (JsonNode s : t.path("plan").path("steps")) {
            if (service.equals(s.get("service").asText())) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String answer(String id, String reference, String status, String extra) {
        return "<ProviderAnswer xmlns=\"urn:tradehub:services:1\" version=\"1.0\"><AnswerID>" + id + "</AnswerID>"
                + "<Reference>" + reference + "</Reference><Type>INSURANCE_CERTIFICATE</Type><Status>" + status
                + "</Status>" + (extra == null ? "" : extra) + "</ProviderAnswer>";
    }

    private static HttpResponse<String> callback(String provider, String token, String xml) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/callbacks/providers/" + provider))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(xml)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

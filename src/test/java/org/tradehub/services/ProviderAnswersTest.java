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
    org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ broker;

    static final String COPY_OF_OUTBOUND_FILE = "test.copy.hub.outbound.file";

    /** A copy of every message sent to hub.outbound.file (a non-exclusive divert), whoever consumes the original. */
    void copyOutboundFile() throws Exception {
        var server = broker.getActiveMQServer();
        if (server.locateQueue(COPY_OF_OUTBOUND_FILE) == null) {
            server.createQueue(new org.apache.activemq.artemis.api.core.QueueConfiguration(COPY_OF_OUTBOUND_FILE)
                    .setRoutingType(org.apache.activemq.artemis.api.core.RoutingType.ANYCAST)
                    .setAddress(COPY_OF_OUTBOUND_FILE).setAutoCreated(false));
            server.deployDivert(new org.apache.activemq.artemis.core.config.DivertConfiguration()
                    .setName("copy-hub.outbound.file").setAddress("hub.outbound.file")
                    .setForwardingAddress(COPY_OF_OUTBOUND_FILE).setExclusive(false));
        }
    }

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
        copyOutboundFile();
        TestTenant tenant = newTenant();
        putServices(tenant, "{\"subscriptions\": [{\"service\": \"financing\", \"policy\": \"FIXED\","
                + " \"fixedProvider\": \"" + bank + "\"}]}");
        String orderId = orderId();
        byte[] body = shopifyOrder(orderId);
        postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null);
        JsonNode t = awaitTransaction(tenant, orderId, x -> "SENT".equals(financing(x).path("state").asText()));
        String reference = financing(t).get("reference").asText();
        // the request went to the file channel's queue with the shared contract's headers (read from a copy: the
        // file channel's own consumer takes the original, and parks it, since this partner has no file-drop profile)
        jms.setReceiveTimeout(5000);
        jakarta.jms.Message out = jms.receiveSelected(COPY_OF_OUTBOUND_FILE, "hubPartnerId = '" + partner + "'");
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

package org.tradehub.services;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tradehub.services.PlanStepFailureTest.send;
import static org.tradehub.services.PlanStepFailureTest.step;
import static org.tradehub.services.ServicePlanEndToEndTest.putServices;

/**
 * A firm subscribed to a customs broker: its export declaration is filed by the broker (the sandbox broker, over
 * HTTP, the provider contract) with the canonical transaction and the DMS-ready declaration, not sent to the single
 * window by the hub; the broker's answers move the declaration step, the declaration status and the timeline.
 */
class CustomsBrokerTest extends HubTestSupport {

    private static final String BROKER = """
            {"subscriptions": [{"service": "export-declaration", "policy": "FIXED",
                                "fixedProvider": "sandbox-customs-broker"}]}
            """;

    @Test
    void theBrokerFilesTheDeclarationWithTheDmsReadyDataAndItsMrnReachesTheTimeline() throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, BROKER);
        String orderId = send(tenant);
        JsonNode t = awaitTransaction(tenant, orderId, x -> "ACCEPTED".equals(step(x, "export-declaration").path("state").asText()));
        JsonNode step = step(t, "export-declaration");
        assertThat(step.get("provider").asText()).isEqualTo("sandbox-customs-broker");
        assertThat(step.get("reason").asText()).contains("MRN 26GB", "filed by customs broker sandbox-customs-broker");
        assertThat(t.get("status").asText()).isEqualTo("DECLARATION_ACCEPTED");
        assertThat(t.path("declaration").isMissingNode()).as("no single-window declaration").isTrue();
        assertThat(ConsolidationTest.hasEvent(t, "DECLARATION_ACCEPTED")).isTrue();
        assertThat(ConsolidationTest.hasEvent(t, "DECLARATION_SUBMITTED")).isFalse(); // the hub submitted nothing itself
        String id = t.get("id").asText();
        assertThat(jdbc.queryForObject("select count(*) from declaration where transaction_id = ?", Integer.class, id))
                .isZero();
        List<byte[]> sent = jdbc.query("select content from document where transaction_id = ? and kind ="
                + " 'declaration-instruction'", (rs, i) -> rs.getBytes(1), id);
        assertThat(sent).hasSize(1);
        String instruction = new String(sent.get(0), StandardCharsets.UTF_8);
        assertThat(instruction).contains("<DeclarationInstruction", "<LRN>" + org.tradehub.declaration.Declarations
                .lrnFor(id) + "</LRN>", "urn:tradehub:trade-transaction:1", "urn:wco:datamodel:WCO:DEC-DMS:2",
                "<TypeCode>EXD</TypeCode>");
    }

    @Test
    void aRejectionByTheBrokerRejectsTheDeclarationStep() throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, BROKER);
        // the sandbox broker cannot declare arms (HS chapter 93)
        HttpRequest put = HttpRequest.newBuilder(URI.create(base() + "/api/products/SKU2006-001"))
                .header("Authorization", "Bearer " + tenant.apiKey()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"hsCode\":\"93020000\",\"originCountry\":\"IT\","
                        + "\"netMassKg\":\"0.1\"}")).build();
        assertThat(HTTP.send(put, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String orderId = send(tenant);
        JsonNode t = awaitTransaction(tenant, orderId, x -> "REJECTED".equals(step(x, "export-declaration").path("state").asText()));
        assertThat(step(t, "export-declaration").get("reason").asText()).contains("HS chapter 93");
        assertThat(t.get("status").asText()).isEqualTo("DECLARATION_REJECTED");
        assertThat(ConsolidationTest.timelineText(t)).contains("filed by customs broker sandbox-customs-broker was rejected");
    }
}

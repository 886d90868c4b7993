package org.tradehub.services;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.support.HubTestSupport;
import org.tradehub.support.RouteThatCannotStart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tradehub.services.ServicePlanEndToEndTest.orderId;
import static org.tradehub.services.ServicePlanEndToEndTest.putServices;

/**
 * Small orders to one lane become one consolidated booking when a threshold (size, weight, value) or the time window
 * is reached; each order keeps its own identity and H7 customs data with the IOSS number.
 */
class ConsolidationTest extends HubTestSupport {

    @Autowired
    CamelContext camel;

    private static String services(String lane) {
        return """
                {"iossNumber": "IM2760000001",
                 "subscriptions": [{"service": "freight-booking", "policy": "FIXED", "fixedProvider": "sandbox-forwarder"}],
                 "consolidation": [%s]}
                """.formatted(lane);
    }

    @Test
    void theSizeThresholdClosesTheLaneAndEachOrderKeepsItsCustomsData() throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, services("{\"destination\": \"DE\", \"maxOrders\": 2, \"windowMs\": 600000}"));
        String first = send(tenant, "40.00");
        JsonNode waiting = awaitTransaction(tenant, first, x -> hasEvent(x, "CONSOLIDATION_JOINED"));
        assertThat(step(waiting).path("state").asText()).isEqualTo("PENDING");
        String second = send(tenant, "45.00");

        JsonNode a = awaitTransaction(tenant, first, x -> "DONE".equals(step(x).path("state").asText()));
        JsonNode b = awaitTransaction(tenant, second, x -> "DONE".equals(step(x).path("state").asText()));
        String consolidation = step(a).get("consolidationId").asText();
        assertThat(step(b).get("consolidationId").asText()).isEqualTo(consolidation);
        assertThat(timelineText(a)).contains("size: 2 orders");
        String booking = bookingOf(consolidation);
        assertThat(booking.split("<Consignment>", -1)).hasSize(3);
        assertThat(booking).contains("<Consolidated>true</Consolidated>", "regime=\"EU-IOSS-H7\"",
                "<IOSSNumber>IM2760000001</IOSSNumber>", "<OrderReference>" + first + "</OrderReference>",
                "<OrderReference>" + second + "</OrderReference>", "<HSCode>900410</HSCode>");
    }

    @Test
    void theWeightThresholdClosesIt() throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, services("{\"maxOrders\": 10, \"maxGrossKg\": \"0.1\", \"windowMs\": 600000}"));
        String order = send(tenant, "30.00");
        JsonNode t = awaitTransaction(tenant, order, x -> "DONE".equals(step(x).path("state").asText()));
        assertThat(timelineText(t)).contains("weight: 0.1 kg");
    }

    @Test
    void theValueThresholdClosesIt() throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, services("{\"maxOrders\": 10, \"maxValueGbp\": \"20\", \"windowMs\": 600000}"));
        String order = send(tenant, "30.00");
        JsonNode t = awaitTransaction(tenant, order, x -> "DONE".equals(step(x).path("state").asText()));
        assertThat(timelineText(t)).contains("value: ");
    }

    @Test
    void theTimeWindowClosesIt() throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, services("{\"maxOrders\": 10, \"windowMs\": 300}"));
        String order = send(tenant, "30.00");
        JsonNode t = awaitTransaction(tenant, order, x -> "DONE".equals(step(x).path("state").asText()));
        assertThat(timelineText(t)).contains("closed (time window)");
        assertThat(bookingOf(step(t).get("consolidationId").asText()).split("<Consignment>", -1)).hasSize(2);
    }

    /**
     * A route that never starts (a partner's FTP poller with a wrong host) is no reason to hold back consolidation:
     * the sweeper waited for every route of the hub, so one bad poller stopped the time windows of every tenant for
     * good. Readiness still reports the route.
     */
    @Test
    void aRouteThatNeverStartsDoesNotHoldUpTheTimeWindow() throws Exception {
        try (RouteThatCannotStart poller = RouteThatCannotStart.add(camel, "partner-poller", null)) {
            TestTenant tenant = newTenant();
            putServices(tenant, services("{\"maxOrders\": 10, \"windowMs\": 300}"));
            String order = send(tenant, "30.00");
            JsonNode t = awaitTransaction(tenant, order, x -> "DONE".equals(step(x).path("state").asText()));
            assertThat(timelineText(t)).contains("closed (time window)");
            assertThat(camel.getRouteController().getRouteStatus(poller.id())).isEqualTo(ServiceStatus.Stopped);
            assertThat(readiness()).isNotEqualTo("UP");
        }
    }

    /**
     * What the sweeper does wait for: the routes a booking goes through (route group provider-dispatch), here one
     * still retried after a failed start. The first sweep after a restart books lanes whose window passed meanwhile,
     * and a booking the forwarder refused because it was not listening yet is final.
     */
    @Test
    void theTimeWindowWaitsForTheRoutesABookingGoesThrough() throws Exception {
        assertThat(camel.getRoutes()).filteredOn(r -> Consolidations.BOOKING_ROUTES.equals(r.getGroup()))
                .extracting(r -> r.getRouteId())
                .containsExactlyInAnyOrder("out-consolidated-booking", "send-to-provider", "sandbox-provider-request");
        TestTenant tenant = newTenant();
        putServices(tenant, services("{\"maxOrders\": 10, \"windowMs\": 300}"));
        String order;
        try (RouteThatCannotStart dispatch = RouteThatCannotStart.add(camel, "dispatch", Consolidations.BOOKING_ROUTES)) {
            order = send(tenant, "30.00");
            JsonNode joined = awaitTransaction(tenant, order, x -> hasEvent(x, "CONSOLIDATION_JOINED"));
            String consolidation = step(joined).get("consolidationId").asText();
            Thread.sleep(1500); // the window passes, several sweeps
            assertThat(jdbc.queryForObject("select state from consolidation where id = ?", String.class,
                    consolidation)).isEqualTo("OPEN");
        }
        JsonNode t = awaitTransaction(tenant, order, x -> "DONE".equals(step(x).path("state").asText()));
        assertThat(timelineText(t)).contains("closed (time window)");
    }

    @Test
    void anOrderAboveTheDeMinimisIsBookedAlone() throws Exception {
        TestTenant tenant = newTenant();
        putServices(tenant, services("{\"maxOrders\": 10, \"windowMs\": 600000}"));
        String order = send(tenant, "400.00"); // above EUR 150
        JsonNode t = awaitTransaction(tenant, order, x -> "DONE".equals(step(x).path("state").asText()));
        assertThat(step(t).get("consolidationId").isNull()).isTrue();
    }

    @Test
    void aConsolidatedBookingThatKeepsFailingIsParkedOnceAndAReplayBooksIt() throws Exception {
        try (TestProviderPeer peer = new TestProviderPeer(java.util.Map.of())) {
            peer.requestStatus = 503; // the forwarder is down
            String forwarder = "down-fwd-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(ServicePlanEndToEndTest.admin("PUT", "/admin/providers/" + forwarder, """
                    {"kind": "forwarder", "legalName": "Down Forwarding Ltd", "licenceNumber": "FWD-1", "channel": "http",
                     "endpointUrl": "%s", "offers": [{"service": "freight-booking", "destination": "DE"}]}"""
                    .formatted(peer.url("/requests"))).statusCode()).isEqualTo(200);
            try {
                TestTenant tenant = newTenant();
                putServices(tenant, services("{\"destination\": \"DE\", \"maxOrders\": 1, \"windowMs\": 600000}")
                        .replace("sandbox-forwarder", forwarder));
                String order = send(tenant, "30.00");
                JsonNode failed = awaitTransaction(tenant, order, x -> "FAILED".equals(step(x).path("state").asText()));
                assertThat(failed.get("plan").get("state").asText()).isEqualTo("FAILED");
                assertThat(step(failed).get("reason").asText()).contains("consolidated booking", "HTTP 503");
                String consolidation = step(failed).get("consolidationId").asText();
                String transaction = failed.get("id").asText();
                // long past the resend period: the sweeper does not hand a failed booking over again
                clock.advance(java.time.Duration.ofMinutes(20));
                Thread.sleep(1500); // several sweeps
                assertThat(jdbc.queryForObject("select state from consolidation where id = ?", String.class,
                        consolidation)).isEqualTo("FAILED");
                assertThat(jdbc.queryForList("select id from dead_letter where status = 'PARKED' and headers like ?",
                        String.class, "%" + consolidation + "%")).hasSize(1);
                int tries = peer.idempotencyKeys.size();
                assertThat(peer.idempotencyKeys).containsOnly(jdbc.queryForObject("select reference from consolidation"
                        + " where id = ?", String.class, consolidation));

                peer.requestStatus = 202;
                String parked = jdbc.queryForObject("select id from dead_letter where status = 'PARKED' and headers like ?",
                        String.class, "%" + consolidation + "%");
                assertThat(PlanStepFailureTest.post("/admin/dead-letters/" + parked + "/replay", ADMIN_TOKEN)
                        .statusCode()).isEqualTo(202);
                JsonNode sent = awaitTransaction(tenant, order, x -> "SENT".equals(step(x).path("state").asText()));
                assertThat(hasEvent(sent, "SERVICE_RESUMED")).isTrue();
                assertThat(jdbc.queryForObject("select state from consolidation where id = ?", String.class,
                        consolidation)).isEqualTo("SENT");
                assertThat(peer.requests).hasSize(1);
                assertThat(peer.idempotencyKeys).hasSize(tries + 1);
                assertThat(transaction).isEqualTo(sent.get("id").asText());
            } finally {
                clock.reset();
                jdbc.update("update provider set active = false where id = ?", forwarder);
            }
        }
    }

    private String send(TestTenant tenant, String price) throws Exception {
        String orderId = orderId();
        byte[] body = LowValueOrders.toGermany(orderId, price);
        assertThat(postShopify(tenant, body, tenant.sign(body), UUID.randomUUID().toString(), null).statusCode())
                .isEqualTo(202);
        return orderId;
    }

    private String bookingOf(String consolidationId) {
        String reference = jdbc.queryForObject("select reference from consolidation where id = ?", String.class,
                consolidationId);
        List<byte[]> docs = jdbc.query("select content from document where kind = 'booking-request' and"
                + " correlation_id = ?", (rs, i) -> rs.getBytes(1), reference);
        assertThat(docs).hasSize(1);
        return new String(docs.get(0), StandardCharsets.UTF_8);
    }

    static JsonNode step(JsonNode transaction) {
        for (JsonNode s : transaction.path("plan").path("steps")) {
            if ("freight-booking".equals(s.get("service").asText())) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static boolean hasEvent(JsonNode transaction, String type) {
        for (JsonNode e : transaction.path("timeline")) {
            if (type.equals(e.get("type").asText())) {
                return true;
            }
        }
        return false;
    }

    static String timelineText(JsonNode transaction) {
        List<String> s = new ArrayList<>();
        transaction.path("timeline").forEach(e -> s.add(e.get("summary").asText()));
        return String.join("\n", s);
    }
}

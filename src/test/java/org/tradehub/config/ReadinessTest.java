package org.tradehub.config;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The readiness probe (/observe/health/ready) is what a load balancer or Kubernetes uses to send traffic: it must not
 * be UP while a supervised route is down, or a webhook is refused (503) while the hub says it is ready. Camel's own
 * route checks, part of that probe, see to it; these tests pin it, and that no route needs the retry in the first
 * place.
 */
class ReadinessTest extends HubTestSupport {

    static final String HOLDER = "test-readiness-holder";
    static final String WAITING = "test-readiness-waiting";

    @Autowired
    CamelContext camel;

    @Autowired
    RouteStartFailures startFailures;

    /**
     * Every route starts at its first attempt. A route that failed was retried 2 s later, and meanwhile a webhook
     * route answered 404: routes without a startupOrder are numbered by Camel from 1000 up, and the consolidation
     * sweeper's explicit startupOrder 1000 clashed with the route that got that number (the first one started after
     * the sweeper, which depends on the order the route files are listed in: out-file-drop here, the WooCommerce
     * webhook or enqueue-order elsewhere), at every start of a hub without file partners. Deterministic: the
     * failures are remembered from the start of the hub on, whenever this test runs.
     */
    @Test
    void everyRouteStartedAtItsFirstAttempt() {
        assertThat(startFailures.seen()).filteredOn(f -> !f.startsWith("test-readiness-")).isEmpty();
        assertThat(camel.getRoutes()).filteredOn(r -> r.getStartupOrder() != null)
                .as("routes with an explicit startupOrder of 1000 or more clash with Camel's own numbering")
                .allSatisfy(r -> assertThat(r.getStartupOrder()).isLessThan(1000));
    }

    @Test
    void theHubIsNotReadyWhileASupervisedRouteWaitsToBeRestarted() throws Exception {
        assertThat(readiness()).as("ready before").isEqualTo("UP");
        // a consumer of a direct endpoint, started by the test (a route with autoStartup false is not supervised)
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:test-readiness").routeId(HOLDER).autoStartup(false).log("held");
            }
        });
        camel.getRouteController().startRoute(HOLDER);
        try {
            // a second consumer of that endpoint cannot start while the first holds it, as a route cannot while its
            // peer is unreachable: the supervising route controller takes it and retries it with its back-off
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:test-readiness").routeId(WAITING).log("waiting");
                }
            });
            // the controller supervises a route added after start-up but leaves starting it to its owner
            assertThatThrownBy(() -> camel.getRouteController().startRoute(WAITING))
                    .hasMessageContaining("direct://test-readiness");
            assertThat(camel.getRouteController().supervising().getRestartingRoutes()).extracting(r -> r.getId())
                    .containsExactly(WAITING);
            assertThat(camel.getRouteController().getRouteStatus(WAITING)).isEqualTo(ServiceStatus.Stopped);
            // deterministic: the route cannot start before the test stops its holder, however slow the machine
            assertThat(readiness()).as("ready while a route waits to be restarted").isNotEqualTo("UP");

            camel.getRouteController().stopRoute(HOLDER);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (camel.getRouteController().getRouteStatus(WAITING) != ServiceStatus.Started
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(camel.getRouteController().getRouteStatus(WAITING)).isEqualTo(ServiceStatus.Started);
            assertThat(readiness()).as("ready once the route is restarted").isEqualTo("UP");
        } finally {
            for (String route : new String[] {WAITING, HOLDER}) {
                if (camel.getRoute(route) != null) {
                    camel.getRouteController().stopRoute(route);
                    camel.removeRoute(route);
                }
            }
        }
    }
}

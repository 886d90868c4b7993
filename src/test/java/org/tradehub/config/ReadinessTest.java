package org.tradehub.config;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.support.HubTestSupport;
import org.tradehub.support.RouteThatCannotStart;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readiness probe (/observe/health/ready) is what a load balancer or Kubernetes uses to send traffic: it must not
 * be UP while a supervised route is down, or a webhook is refused (503) while the hub says it is ready. Camel's own
 * route checks, part of that probe, see to it; these tests pin it, and that no route needs the retry in the first
 * place.
 */
class ReadinessTest extends HubTestSupport {

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
        assertThat(startFailures.seen()).filteredOn(f -> !f.startsWith(RouteThatCannotStart.PREFIX)).isEmpty();
        assertThat(camel.getRoutes()).filteredOn(r -> r.getStartupOrder() != null)
                .as("routes with an explicit startupOrder of 1000 or more clash with Camel's own numbering")
                .allSatisfy(r -> assertThat(r.getStartupOrder()).isLessThan(1000));
    }

    @Test
    void theHubIsNotReadyWhileASupervisedRouteWaitsToBeRestarted() throws Exception {
        assertThat(readiness()).as("ready before").isEqualTo("UP");
        try (RouteThatCannotStart waiting = RouteThatCannotStart.add(camel, "readiness", null)) {
            assertThat(camel.getRouteController().supervising().getRestartingRoutes()).extracting(r -> r.getId())
                    .containsExactly(waiting.id());
            assertThat(camel.getRouteController().getRouteStatus(waiting.id())).isEqualTo(ServiceStatus.Stopped);
            // deterministic: the route cannot start before the test releases it, however slow the machine
            assertThat(readiness()).as("ready while a route waits to be restarted").isNotEqualTo("UP");

            waiting.release();
            assertThat(readiness()).as("ready once the route is restarted").isEqualTo("UP");
        }
    }
}

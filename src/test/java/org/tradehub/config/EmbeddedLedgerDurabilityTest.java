package org.tradehub.config;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's own routes, read from the route files at start-up, wait for the embedded database at their end
 * ({@code EmbeddedLedgerSurvivesKillTest} proves the wait on a route added later, in a JVM that then halts).
 */
class EmbeddedLedgerDurabilityTest extends HubTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void everyRouteOfTheHubWaitsForItsCommitsBeforeItsConsumerAcknowledges() {
        assertThat(camel.getRoutes()).as("routes").hasSizeGreaterThan(30)
                .allSatisfy(route -> assertThat(route.getRoutePolicyList()).as(route.getRouteId())
                        .anyMatch(p -> p.getClass().getName().startsWith(EmbeddedLedgerDurability.class.getName())));
    }
}

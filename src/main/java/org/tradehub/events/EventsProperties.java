package org.tradehub.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of event notifications to the firms' own endpoints (prefix {@code hub.events}); see application.yml for
 * what each one means.
 */
@ConfigurationProperties("hub.events")
public record EventsProperties(
        boolean requireHttps,
        boolean allowPrivateAddresses,
        long deliveryIntervalMs,
        int concurrentTenants,
        int lanesPerTenant,
        int batch,
        long connectTimeoutMs,
        long responseTimeoutMs,
        Duration firstRetryDelay,
        Duration maxRetryDelay,
        Duration giveUpAfter) {
}

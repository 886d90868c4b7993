package org.tradehub.services;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the service side (prefix {@code hub.services}); see application.yml for what each one means.
 */
@ConfigurationProperties("hub.services")
public record ServicesProperties(
        long consolidationSweepMs,
        long consolidationResendAfterMs,
        long providerConnectTimeoutMs,
        long providerResponseTimeoutMs,
        int defaultQuoteDeadlineMs,
        int defaultAnswerWithinSeconds,
        int sandboxAnswerDelayMs) {
}

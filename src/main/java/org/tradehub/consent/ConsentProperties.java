package org.tradehub.consent;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of banks' consented access (prefix {@code hub.consent}).
 *
 * @param maxValidity the longest a consent may run from its start (a tenant grants again to extend it)
 * @param maxPageSize the most transactions one page of the bank API returns
 */
@ConfigurationProperties("hub.consent")
public record ConsentProperties(Duration maxValidity, int maxPageSize) {}

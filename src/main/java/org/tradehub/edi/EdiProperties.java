package org.tradehub.edi;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * EDI settings (prefix {@code hub.edi}; see application.yml).
 *
 * @param maxInterchangeBytes  larger payloads are not parsed: kept, rejected and acknowledged as such
 * @param concurrentConsumers  consumers of hub.edi.interchanges.received
 */
@ConfigurationProperties("hub.edi")
public record EdiProperties(long maxInterchangeBytes, int concurrentConsumers) {
}

package org.tradehub.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The hub's own settings (prefix {@code hub}); see application.yml for what each one means. */
@ConfigurationProperties("hub")
public record HubProperties(
        Path dataDir,
        Path mappingsDir,
        String publicUrl,
        String adminToken,
        Limits limits,
        Retry retry,
        SingleWindow singleWindow,
        Sandbox sandbox,
        Broker broker) {

    public record Limits(long webhookBodyBytes, long callbackBodyBytes, long apiBodyBytes) {}

    public record Retry(int maximumRedeliveries, long redeliveryDelayMs, long maximumRedeliveryDelayMs) {}

    public record SingleWindow(GbCds gbCds) {}

    public record GbCds(String url, String bearerToken, String callbackToken, long connectTimeoutMs,
                        long responseTimeoutMs) {}

    public record Sandbox(boolean enabled, long notificationDelayMs) {}

    /**
     * @param embeddedTcpPort     the embedded broker's TCP port (0: in-VM only)
     * @param embeddedMemoryBytes queued messages the embedded broker holds in the heap before paging them to disk
     * @param embeddedJournalType how the embedded broker writes its journal: ASYNCIO (libaio) or NIO
     */
    public record Broker(int embeddedTcpPort, long embeddedMemoryBytes, String embeddedJournalType) {}
}

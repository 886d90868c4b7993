package org.tradehub.config;

import org.apache.activemq.artemis.api.config.ActiveMQDefaultConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default's broker: durable, reachable over TCP, and with the address settings production's broker
 * gets from its broker.xml (see docker/artemis/broker.xml).
 */
@Configuration
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "embedded")
public class EmbeddedBrokerConfig {

    /** The setting as Artemis's journal type, or a start that fails with the setting's name and the values it takes. */
    static JournalType journalType(String setting) {
        try {
            return JournalType.valueOf(setting.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("hub.broker.embedded-journal-type (HUB_BROKER_EMBEDDED_JOURNAL_TYPE) must be"
                    + " ASYNCIO, NIO or MAPPED, not " + setting, e);
        }
    }

    @Bean
    ArtemisConfigurationCustomizer hubBrokerSettings(HubProperties hub) {
        return config -> {
            try {
                // Spring Boot gives the embedded broker only an in-VM acceptor; TCP lets other processes
                // (operators' tools, the benchmark's load generator, a second hub instance) reach it.
                if (hub.broker().embeddedTcpPort() > 0) {
                    config.addAcceptorConfiguration("tcp",
                            "tcp://127.0.0.1:" + hub.broker().embeddedTcpPort() + "?protocols=CORE");
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot configure the embedded broker's TCP acceptor", e);
            }
            // Spring Boot sets NIO for a persistent embedded broker; a production Artemis on Linux writes its journal
            // with libaio (ASYNCIO), which took a fifth to a third less of the broker's CPU per order end to end
            // (bench/reports/2026-12-07-tenth.md). Artemis falls back to NIO where its binding cannot load (README,
            // Running the packaged hub).
            config.setJournalType(journalType(hub.broker().embeddedJournalType()));
            // ...with NIO's wait for more writes before a sync (3.33 ms), not Artemis's AIO default (0.5 ms): the
            // shorter wait synced more often with fewer commits each, and end to end the stages drained a backlog a
            // fifth slower, with webhook answers under a flood at a p99 of 1 s instead of 0.3 s.
            config.setJournalBufferTimeout_AIO(ActiveMQDefaultConfiguration.getDefaultJournalBufferTimeoutNio());
            // Every accepted message is on disk before the sender is answered.
            config.setJournalSyncTransactional(true);
            config.setJournalSyncNonTransactional(true);
            // The embedded broker shares the hub's heap (512 MB in the benchmark): by default it keeps messages in
            // memory up to half of it before paging to disk, and a backlog of a few thousand orders then pushed the
            // hub into OutOfMemoryError (benchmark, end to end offered 500/s). A backlog belongs on disk.
            config.setGlobalMaxSize(hub.broker().embeddedMemoryBytes());
            config.setPersistIDCache(true);
            config.setIDCacheSize(100_000);
            config.setSecurityEnabled(false);
            addHubAddressSettings(config);
        };
    }

    /**
     * The hub's address settings, as production's broker.xml has them (docker/artemis/broker.xml); tests that run a
     * broker of their own in production's place take them from here.
     */
    public static void addHubAddressSettings(org.apache.activemq.artemis.core.config.Configuration config) {
        // Broker-side redelivery is only the safety net for a crash mid-route: the routes' own error policy
        // does the retrying with back-off and parks failures on hub.dead-letter with their reason.
        config.addAddressSetting("hub.#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("hub.dead-letter"))
                .setMaxDeliveryAttempts(5)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoCreateDeadLetterResources(false));
        // The shelf itself: its consumer (park-dead-letter) only moves messages into the database, so when that
        // fails (database down) the broker keeps redelivering, with back-off, and never drops or re-parks one.
        config.addAddressSetting("hub.dead-letter", new AddressSettings()
                .setMaxDeliveryAttempts(-1)
                .setRedeliveryDelay(1000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoCreateDeadLetterResources(false));
    }
}

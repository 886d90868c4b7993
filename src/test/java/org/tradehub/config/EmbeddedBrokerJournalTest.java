package org.tradehub.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded broker writes its journal as a production broker does, with libaio (ASYNCIO), where the machine has
 * libaio: Artemis falls back to NIO without a word above INFO when its binding is not on java.library.path, which is
 * how the embedded default ran on NIO until the binding was installed (pom.xml, bin/hub-install).
 */
class EmbeddedBrokerJournalTest extends HubTestSupport {

    @Autowired
    EmbeddedActiveMQ broker;

    @Test
    void theJournalIsWrittenWithLibaioWhereTheMachineHasIt() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")
                && System.getProperty("os.arch").equals("amd64"), "Artemis ships its binding for Linux x86-64 only");
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libaio.so.1")) || Files.exists(Path.of("/lib64/libaio.so.1")),
                "the system's libaio is not installed");
        assertThat(broker.getActiveMQServer().getConfiguration().getJournalType()).isEqualTo(JournalType.ASYNCIO);
    }

    @Test
    void aJournalTypeArtemisDoesNotKnowStopsTheStartWithTheSettingsName() {
        assertThat(EmbeddedBrokerConfig.journalType(" nio ")).isEqualTo(JournalType.NIO);
        assertThatThrownBy(() -> EmbeddedBrokerConfig.journalType("AIO"))
                .hasMessageContaining("HUB_BROKER_EMBEDDED_JOURNAL_TYPE").hasMessageContaining("not AIO");
    }
}

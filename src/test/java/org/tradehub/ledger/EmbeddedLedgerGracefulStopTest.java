package org.tradehub.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.support.HubInstance;

/**
 * A hub on its embedded default that is asked to stop (SIGTERM: a rolling restart, a container stopped with grace)
 * lets the stages finish the messages they hold, with the database still open, and only then closes it. H2 by
 * default closes its database from its own shutdown hook as soon as the JVM is asked to stop, and every stage still
 * at work failed on it ("Database is already closed") and retried until Camel's shutdown timeout forced it off.
 */
class EmbeddedLedgerGracefulStopTest {

    @Test
    void aStageAtWorkWhenTheHubIsAskedToStopStillCommits() throws Exception {
        HubInstance.ChildJvm child = HubInstance.startChildJvm(StopsWhileWriting.class, "stop");
        Process process = child.process();
        Path log = child.log();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.readString(log).contains("IN FLIGHT")) {
                assertThat(process.isAlive()).as("the child hub runs (%s)", log).isTrue();
                assertThat(System.nanoTime()).as("the child hub starts its exchange in time").isLessThan(deadline);
                Thread.sleep(100);
            }
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child hub stops").isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(Files.readString(log)).as("the child hub's output (%s)", log)
                .doesNotContain("Database is already closed");

        try (HubInstance again = HubInstance.start(child.dataDir(), Map.of())) {
            Integer rows = again.bean(JdbcTemplate.class).queryForObject(
                    "select count(*) from dedupe_key where tenant_id = ? and dedupe_key = ?", Integer.class,
                    StopsWhileWriting.TENANT, StopsWhileWriting.KEY);
            assertThat(rows).as("the row the stage committed while the hub stopped").isEqualTo(1);
        }
    }
}

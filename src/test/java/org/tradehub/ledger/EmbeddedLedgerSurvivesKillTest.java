package org.tradehub.ledger;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.support.HubInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub on its embedded default that dies outright (kill -9, the kernel's OOM killer, a container stopped without
 * grace) keeps every commit a route made before it was done. The stages commit to the ledger and only then let the
 * broker forget a message, or answer a single window's notification, so a commit that lived only in the database's
 * memory is an order or an answer lost for good. H2 by default writes commits to its file up to 500 ms later
 * ({@code EmbeddedLedgerDurability} makes a route that wrote wait for them).
 * <p>
 * The hub runs in a child JVM ({@link CommitsThenHalts}) on this test's class path and settings, commits rows through
 * a route and halts; a hub started again on the same data folder must find every row.
 */
class EmbeddedLedgerSurvivesKillTest {

    @Test
    void everyCommitMadeBeforeTheJvmDiesIsThereAfterTheRestart() throws Exception {
        HubInstance.ChildJvm child = HubInstance.startChildJvm(CommitsThenHalts.class, "halt");
        assertThat(child.process().waitFor(180, TimeUnit.SECONDS)).as("the child hub halts after its commits").isTrue();
        assertThat(Files.readString(child.log())).as("the child hub's output (%s)", child.log())
                .contains("COMMITTED " + CommitsThenHalts.COMMITS);

        try (HubInstance again = HubInstance.start(child.dataDir(), Map.of())) {
            Integer rows = again.bean(JdbcTemplate.class).queryForObject(
                    "select count(*) from dedupe_key where tenant_id = ?", Integer.class, CommitsThenHalts.TENANT);
            assertThat(rows).as("commits found after the JVM died").isEqualTo(CommitsThenHalts.COMMITS);
        }
    }
}

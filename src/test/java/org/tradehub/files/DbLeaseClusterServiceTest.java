package org.tradehub.files;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.support.PostgresSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease on PostgreSQL when the leader dies without a word (a crash, not a stop: nothing releases the lease): the
 * other instance cannot take it while it runs, takes it once it has run out, and the old leader, back, cannot renew.
 * FileDropFailoverTest covers the planned stop, which hands the lease over at once.
 */
class DbLeaseClusterServiceTest {

    @RegisterExtension
    static final PostgresSchema PG = new PostgresSchema("hub_lease");
    static JdbcTemplate jdbc;

    @BeforeAll
    static void migrate() {
        PG.migrate();
        jdbc = new JdbcTemplate(PG.dataSource());
    }

    @Test
    void aCrashedLeadersLeaseRunsOutAndPassesToTheOtherInstanceOnly() throws Exception {
        long duration = 1500;
        DbLeaseClusterService a = new DbLeaseClusterService(jdbc, duration, 500);
        DbLeaseClusterService b = new DbLeaseClusterService(jdbc, duration, 500);
        String ns = "files-crash-orders";

        assertThat(a.acquire(ns)).isTrue();
        assertThat(b.acquire(ns)).as("held by A").isFalse();
        assertThat(a.acquire(ns)).as("A renews").isTrue();
        long renewedAt = System.nanoTime();
        // A crashes: no renewal, no release. B keeps trying, as its lease task does.
        while (!b.acquire(ns)) {
            Thread.sleep(50);
        }
        long takenAfterMs = (System.nanoTime() - renewedAt) / 1_000_000;
        assertThat(takenAfterMs).as("taken once A's lease ran out, not before").isBetween(duration - 200, duration + 1000);
        assertThat(a.acquire(ns)).as("A, back, finds it taken").isFalse();
        assertThat(b.holder(ns)).contains(b.owner());
    }
}

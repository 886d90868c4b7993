package org.tradehub.ledger;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.HubApplication;

/**
 * The child JVM of {@link EmbeddedLedgerSurvivesKillTest}: starts the hub with the given arguments, commits
 * {@code COMMITS} rows one by one through the hub's own data source (each its own transaction, as the stages commit),
 * says so on standard output, and halts at once, as a JVM killed by the kernel would: no shutdown hook, no close.
 */
public final class CommitsThenHalts {

    static final int COMMITS = 2000;
    static final String TENANT = "halted";

    public static void main(String[] args) {
        ConfigurableApplicationContext hub = SpringApplication.run(HubApplication.class, args);
        JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
        for (int i = 0; i < COMMITS; i++) {
            jdbc.update("insert into dedupe_key (tenant_id, dedupe_key, created_at) values (?, ?, current_timestamp)",
                    TENANT, "commit-" + i);
        }
        System.out.println("COMMITTED " + COMMITS);
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }
}

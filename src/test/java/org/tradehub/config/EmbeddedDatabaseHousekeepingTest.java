package org.tradehub.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With commits written at once (WRITE_DELAY=0) H2 runs no background writer, so nothing frees the space of old
 * chunks: the housekeeping rounds must, or the embedded database's file grows by every commit. The same workload runs
 * with and without rounds (retention 0 here, so the measure is the rounds' work, not the retention window).
 */
class EmbeddedDatabaseHousekeepingTest {

    private static final int COMMITS = 8000;

    @Test
    void roundsKeepTheFileOfACommitAtATimeDatabaseFromGrowingWithEveryCommit(@TempDir Path dir) throws Exception {
        long without = fileAfterCommits(dir.resolve("without"), false);
        long with = fileAfterCommits(dir.resolve("with"), true);
        assertThat(with).as("file with rounds (%d KB) against without (%d KB)", with >> 10, without >> 10)
                .isLessThan(without / 3);
    }

    private static long fileAfterCommits(Path dir, boolean housekeeping) throws Exception {
        Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir + "/db;WRITE_DELAY=0;RETENTION_TIME=0",
                "sa", "")) {
            MVStore store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                    .getMvStore();
            c.createStatement().execute("create table t (id varchar(64) primary key, state varchar(16), body varchar(2000))");
            c.createStatement().execute("create index t_state on t (state)");
            PreparedStatement insert = c.prepareStatement("insert into t values (?, 'NEW', ?)");
            PreparedStatement update = c.prepareStatement("update t set state = 'DONE' where id = ?");
            String body = "x".repeat(1000);
            for (int i = 0; i < COMMITS; i++) {
                insert.setString(1, "row-" + i);
                insert.setString(2, body);
                insert.executeUpdate();
                update.setString(1, "row-" + i);
                update.executeUpdate();
                if (housekeeping && i % 200 == 0) {
                    EmbeddedDatabaseHousekeeping.round(store);
                }
            }
            return Files.size(dir.resolve("db.mv.db"));
        }
    }
}

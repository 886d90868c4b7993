package org.tradehub.ledger;

import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.tradehub.support.PostgresSchema;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot read sees one committed state across tables and statements, on both databases the hub runs on: a commit
 * that lands between its first and its second statement is not seen by the second.
 */
class SnapshotsTest {

    @RegisterExtension
    static final PostgresSchema PG = new PostgresSchema("snapshots_test");

    @Test
    void onTheEmbeddedDatabase() throws Exception {
        DriverManagerDataSource h2 = new DriverManagerDataSource("jdbc:h2:mem:snapshots-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        aCommitBetweenTwoReadsIsNotSeen(h2);
    }

    @Test
    void onPostgres() throws Exception {
        aCommitBetweenTwoReadsIsNotSeen(PG.dataSource());
    }

    private static void aCommitBetweenTwoReadsIsNotSeen(DataSource dataSource) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table status_row (id int primary key, status varchar(32))");
        jdbc.execute("create table event_row (id int primary key, type varchar(32))");
        jdbc.update("insert into status_row values (1, 'SUBMITTED')");
        jdbc.update("insert into event_row values (1, 'SUBMITTED')");
        Snapshots snapshots = new Snapshots(dataSource, new DataSourceTransactionManager(dataSource));

        String[] seen = snapshots.read(() -> {
            String status = jdbc.queryForObject("select status from status_row where id = 1", String.class);
            // a stage commits both rows on its own connection while the read is between its two statements
            Thread stage = new Thread(() -> {
                JdbcTemplate other = new JdbcTemplate(dataSource);
                new org.springframework.transaction.support.TransactionTemplate(
                        new DataSourceTransactionManager(dataSource)).executeWithoutResult(s -> {
                            other.update("update status_row set status = 'REJECTED' where id = 1");
                            other.update("update event_row set type = 'REJECTED' where id = 1");
                        });
            });
            stage.start();
            try {
                stage.join(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            assertThat(stage.isAlive()).as("the stage's commit waited for the read").isFalse();
            return new String[] {status, jdbc.queryForObject("select type from event_row where id = 1", String.class)};
        });

        assertThat(seen).containsExactly("SUBMITTED", "SUBMITTED");
        assertThat(jdbc.queryForObject("select type from event_row where id = 1", String.class))
                .as("read after the snapshot").isEqualTo("REJECTED");
    }
}

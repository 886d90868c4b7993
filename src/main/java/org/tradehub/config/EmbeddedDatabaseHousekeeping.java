package org.tradehub.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * What H2's own background writer would do, for the embedded database the hub runs with durable commits.
 * <p>
 * The embedded default's URL sets {@code WRITE_DELAY=0}: each commit is in the file before the committing stage
 * acknowledges its message or answers its caller, so a hub that dies outright (kill -9, the OOM killer) loses nothing
 * it said it had. H2's default instead writes commits from a background thread up to 500 ms later. But with a write
 * delay of 0, H2 runs no background thread at all, and that thread is also what frees the space of old chunks and
 * compacts the file: without it the file grows by every commit (about 50 KB each) for ever. And H2 never fsyncs on
 * its own: it relies on {@code RETENTION_TIME} (set to 2 s in the URL) for old chunks to reach the disk before their
 * space is reused, which a power failure would otherwise turn into a corrupt file.
 * <p>
 * So, every half second: fsync the file (so retention's assumption holds, and a power failure loses at most the last
 * half second, never the file), drop the chunks nothing refers to any more, and rewrite a few chunks when less than
 * half the file is live. Nothing happens on PostgreSQL, which commits durably itself.
 */
@Component
public class EmbeddedDatabaseHousekeeping implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseHousekeeping.class);
    static final long PERIOD_MS = 500;
    /** compact when under this share of the file is live data, as H2's background writer does */
    private static final int TARGET_FILL_RATE = 50;
    /** at most this much rewritten per round, so a round never holds the store for long */
    private static final int MAX_REWRITE_BYTES = 4 << 20;

    private final DataSource dataSource;
    private volatile ScheduledExecutorService scheduler;

    public EmbeddedDatabaseHousekeeping(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void start() {
        MVStore store = embeddedStore();
        if (store == null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-db-housekeeping");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> round(store), PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    static void round(MVStore store) {
        try {
            if (store.isClosed()) {
                return;
            }
            store.sync();
            store.getFileStore().dropUnusedChunks();
            store.compact(TARGET_FILL_RATE, MAX_REWRITE_BYTES);
        } catch (RuntimeException e) {
            // the next round tries again; the store is closing or the disk is full, which the stages will report
            LOG.warn("Embedded database housekeeping failed: {}", e.toString());
        }
    }

    /** The file store behind the data source when it is an embedded H2 database, else null. */
    private MVStore embeddedStore() {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)) {
                return null;
            }
            MVStore store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                    .getMvStore();
            return store.getFileStore() == null ? null : store;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open the database", e);
        }
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}

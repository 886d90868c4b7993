package org.tradehub.config;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * On the embedded database, what the hub acknowledges is in the database file first.
 * <p>
 * Every stage commits to the ledger and only then lets the broker forget its message, or answers its caller (a
 * single window's notification, an AS2 partner's MDN, an API call). H2 keeps committed changes in memory and writes
 * them from a background thread up to 500 ms later, so a hub killed outright (kill -9, the kernel's OOM killer, a
 * container stopped without grace) lost commits it had already acknowledged: orders gone for good. H2's own cure,
 * {@code WRITE_DELAY=0}, writes one chunk per commit and stops the background thread that also frees old chunks; the
 * file grew to a gigabyte within minutes of load.
 * <p>
 * Instead, a group commit at the acknowledgement points: a route exchange that wrote to the database (a statement
 * other than a query was prepared on its thread) waits, when it is done and before its consumer acknowledges or
 * answers, until a flusher thread has stored and fsynced everything committed so far. Exchanges that finish together
 * share one store (the next store waits four times as long as the last took, at most 50 ms, see
 * {@link #STORE_SHARE}), and H2's background writer keeps its housekeeping.
 * Exchanges that wrote nothing (webhooks, which only queue) never wait. Nothing happens on PostgreSQL, which commits
 * durably itself.
 */
@Component
public class EmbeddedLedgerDurability implements RoutePolicyFactory, BeanPostProcessor, SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedLedgerDurability.class);
    /**
     * The next store waits this many times as long as the last one took, at most {@link #MOST_SPACING}. Each store
     * writes a chunk with every B-tree page changed since the last: stores far apart write a hot page once for many
     * commits, stores close together answer sooner. Under heavy load a store takes longer and the stores space out by
     * themselves; a few AS2 partners waiting for their MDN get a store as soon as a cheap one is done. (Fixed spacings
     * measured in the end-to-end benchmark: 10 ms cost a quarter of the throughput and grew the file 2.5 times as
     * fast as H2's own 500 ms; 50 ms about a fifth and 1.5 times, but halved AS2's rate with 8 senders; 200 ms left
     * the stages waiting.)
     */
    static final int STORE_SHARE = 4;
    static final Duration MOST_SPACING = Duration.ofMillis(50);
    /** Longest an exchange waits for its commits to be stored before it fails (and its message is redelivered). */
    private static final Duration MOST_WAIT = Duration.ofSeconds(30);

    /** Set when this thread prepared a write on the embedded database since the last route exchange it finished. */
    private static final ThreadLocal<Boolean> WROTE = new ThreadLocal<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition requested = lock.newCondition();
    private final Condition flushed = lock.newCondition();
    private long requests;
    private long stored;
    private RuntimeException failure;

    private final boolean enabled;
    private volatile MVStore store;
    private volatile Thread flusher;
    /** The wrapped data source when the hub runs on the embedded database; null otherwise (then nothing waits). */
    private volatile DataSource dataSource;

    /** @param enabled {@code hub.ledger.embedded-await-stored}: off trades this guarantee for throughput */
    public EmbeddedLedgerDurability(@Value("${hub.ledger.embedded-await-stored:true}") boolean enabled) {
        this.enabled = enabled;
    }

    // ----- marking writes: the data source -----

    /** The embedded database's data source, wrapped so that a write marks the thread that prepared it. */
    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (enabled && bean instanceof DataSource ds && !(bean instanceof WriteMarking) && isEmbeddedH2(ds)) {
            dataSource = new WriteMarking(ds);
            return dataSource;
        }
        return bean;
    }

    private static boolean isEmbeddedH2(DataSource ds) {
        if (ds instanceof com.zaxxer.hikari.HikariDataSource hikari) {
            String url = hikari.getJdbcUrl();
            return url != null && url.startsWith("jdbc:h2:file:");
        }
        return false;
    }

    /** Marks the calling thread when a connection prepares anything but a query. */
    static final class WriteMarking extends DelegatingDataSource {
        WriteMarking(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return marking(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return marking(super.getConnection(username, password));
        }

        private static Connection marking(Connection connection) {
            boolean[] wroteSinceCommit = {false};
            InvocationHandler handler = (proxy, method, args) -> {
                boolean write = switch (method.getName()) {
                    case "prepareStatement", "prepareCall" -> !isQuery((String) args[0]);
                    case "createStatement" -> true; // a plain statement's SQL is not known here: count it as a write
                    default -> false;
                };
                if (write) {
                    wroteSinceCommit[0] = true;
                    WROTE.set(Boolean.TRUE);
                } else if (method.getName().equals("commit") && wroteSinceCommit[0]) {
                    // marked again at the commit: a route called in between (direct:) may have waited and cleared
                    // the mark before this transaction committed
                    WROTE.set(Boolean.TRUE);
                    wroteSinceCommit[0] = false;
                }
                try {
                    return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, handler);
        }

        private static boolean isQuery(String sql) {
            String s = sql.stripLeading().toLowerCase(Locale.ROOT);
            // "select ... for update" locks but writes nothing; a CTE may write, so it counts as a write
            return s.startsWith("select");
        }
    }

    // ----- waiting at the acknowledgement points: every route -----

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (dataSource == null) {
            return null;
        }
        return new RoutePolicySupport() {
            // Runs at the end of the route, before its consumer commits the JMS session or writes the HTTP answer.
            // The mark is not cleared when an exchange begins: a route called from another (direct:) begins in the
            // middle of its caller's work.
            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                if (WROTE.get() == null) {
                    return;
                }
                WROTE.remove();
                try {
                    awaitStored();
                } catch (RuntimeException e) {
                    // not acknowledged: the message is redelivered, the caller gets an error and sends again
                    exchange.setException(e);
                }
            }
        };
    }

    /** Returns once everything committed before the call is in the file and synced. */
    void awaitStored() {
        lock.lock();
        try {
            if (flusher == null) {
                return; // not started (tests that build no store) or stopping: H2's close stores everything
            }
            long ticket = ++requests;
            requested.signal();
            long nanos = MOST_WAIT.toNanos();
            while (stored < ticket) {
                if (failure != null) {
                    throw failure;
                }
                if (nanos <= 0) {
                    throw new IllegalStateException("the embedded database did not store its commits within "
                            + MOST_WAIT.toSeconds() + " s");
                }
                nanos = flushed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the embedded database stored its commits", e);
        } finally {
            lock.unlock();
        }
    }

    private void flushLoop() {
        long lastStore = 0;
        long spacing = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long upTo;
            try {
                lock.lock();
                try {
                    while (requests == stored) {
                        requested.await();
                    }
                } finally {
                    lock.unlock();
                }
                long wait = lastStore + spacing - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // more exchanges join this store
                }
                lock.lock();
                try {
                    upTo = requests; // every ticket taken so far was taken after its commit
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            }
            RuntimeException error = null;
            long began = System.nanoTime();
            try {
                store.commit();
                store.sync();
            } catch (RuntimeException e) {
                LOG.error("The embedded database could not store its commits: {}", e.toString());
                error = e;
            }
            lastStore = System.nanoTime();
            spacing = Math.min(MOST_SPACING.toNanos(), STORE_SHARE * (lastStore - began));
            lock.lock();
            try {
                failure = error;
                if (error == null) {
                    stored = upTo;
                }
                flushed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    // ----- life cycle -----

    @Override
    public void start() {
        if (dataSource == null) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                    .getMvStore();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open the embedded database", e);
        }
        Thread t = new Thread(this::flushLoop, "embedded-ledger-flusher");
        t.setDaemon(true);
        lock.lock();
        try {
            flusher = t;
        } finally {
            lock.unlock();
        }
        t.start();
    }

    @Override
    public void stop() {
        lock.lock();
        Thread t = flusher;
        try {
            flusher = null;
            // whoever still waits is released: closing the database stores everything anyway
            stored = requests;
            flushed.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return flusher != null;
    }

    /** Started before the routes (Camel's context starts in the default phase) and stopped after them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}

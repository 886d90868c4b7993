package org.tradehub.files;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.ledger.Ids;

/**
 * Camel has no cluster service on a plain database, so this is one: leadership of each namespace (one per
 * {@code master:} route) is a row in {@code cluster_lease}. The leader renews its lease every {@code renewMs}; an
 * instance that dies stops renewing, its lease runs out after {@code durationMs}, and another instance takes it.
 * Expiry is compared with the database's clock, so the instances' clocks need not agree. A leader that cannot
 * renew (database unreachable, or the lease taken over) gives up leadership at once, before the lease could pass
 * to anyone else. Stopping an instance releases its leases, so a planned restart hands over without waiting.
 */
public class DbLeaseClusterService extends AbstractCamelClusterService<DbLeaseClusterService.LeaseView> {

    private static final Logger LOG = LoggerFactory.getLogger(DbLeaseClusterService.class);

    private final JdbcTemplate jdbc;
    private final long durationMs;
    private final long renewMs;
    private final String owner = "hub-" + Ids.random();
    private ScheduledExecutorService scheduler;

    public DbLeaseClusterService(JdbcTemplate jdbc, long durationMs, long renewMs) {
        super("db-lease");
        this.jdbc = jdbc;
        this.durationMs = durationMs;
        this.renewMs = renewMs;
    }

    public String owner() {
        return owner;
    }

    @Override
    protected void doStart() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-lease");
            t.setDaemon(true);
            return t;
        });
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        scheduler.shutdownNow();
    }

    @Override
    protected LeaseView createView(String namespace) {
        return new LeaseView(namespace);
    }

    /** Takes or renews the lease; true when this instance holds it afterwards. */
    boolean acquire(String namespace) {
        Timestamp now = jdbc.queryForObject("select current_timestamp", Timestamp.class);
        Timestamp until = new Timestamp(now.getTime() + durationMs);
        int updated = jdbc.update("update cluster_lease set owner = ?, expires_at = ? where namespace = ?"
                + " and (owner = ? or expires_at < ?)", owner, until, namespace, owner, now);
        if (updated == 0) {
            updated = jdbc.update("insert into cluster_lease (namespace, owner, expires_at) values (?, ?, ?)"
                    + " on conflict do nothing", namespace, owner, until);
        }
        return updated == 1;
    }

    void release(String namespace) {
        jdbc.update("update cluster_lease set expires_at = ? where namespace = ? and owner = ?",
                new Timestamp(0), namespace, owner);
    }

    Optional<String> holder(String namespace) {
        List<String> owners = jdbc.queryForList("select owner from cluster_lease where namespace = ?"
                + " and expires_at >= current_timestamp", String.class, namespace);
        return owners.stream().findFirst();
    }

    /** One namespace: leadership as this instance sees it, kept current by the lease task. */
    public final class LeaseView extends AbstractCamelClusterView {
        private final Member local = new Member(owner, true);
        private volatile boolean leader;
        private volatile java.util.concurrent.ScheduledFuture<?> task;

        LeaseView(String namespace) {
            super(DbLeaseClusterService.this, namespace);
        }

        @Override
        protected void doStart() {
            task = scheduler.scheduleWithFixedDelay(this::tick, 0, renewMs, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() {
            if (task != null) {
                task.cancel(false);
            }
            if (leader) {
                leader = false;
                fireLeadershipChangedEvent((CamelClusterMember) null);
                try {
                    release(getNamespace());
                } catch (RuntimeException e) {
                    LOG.warn("Could not release the lease of {}; it expires by itself", getNamespace(), e);
                }
            }
        }

        private void tick() {
            boolean holds;
            try {
                holds = acquire(getNamespace());
            } catch (RuntimeException e) {
                // cannot tell whether we still hold it: stop acting as leader before anyone else could take over
                LOG.warn("Lease of {} could not be renewed: {}", getNamespace(), e.getMessage());
                holds = false;
            }
            if (holds != leader) {
                leader = holds;
                LOG.info("{} leadership of {}", holds ? "Took" : "Lost", getNamespace());
                fireLeadershipChangedEvent(holds ? local : null);
            }
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return leader ? local : new Member(owner, false);
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(getLocalMember());
        }
    }

    private record Member(String getId, boolean isLeader) implements CamelClusterMember {
        @Override
        public boolean isLocal() {
            return true;
        }
    }
}

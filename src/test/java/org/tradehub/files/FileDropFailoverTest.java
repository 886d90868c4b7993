package org.tradehub.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.support.HubInstance;
import org.tradehub.support.HubTestSupport;
import org.tradehub.support.PostgresSchema;
import org.tradehub.support.SftpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tradehub.files.FileDropTest.await;
import static org.tradehub.files.FileDropTest.drop;

/**
 * File drops across hub instances, as production runs them: two hubs on one PostgreSQL schema and one broker poll
 * the same partner directory (only the lease holder polls; the other takes over when it stops), and a hub stopped in
 * the middle of a large file resumes it when started again on the same data. Each file is processed exactly once,
 * each order recorded once.
 */
class FileDropFailoverTest {

    @RegisterExtension
    static final PostgresSchema PG = new PostgresSchema("hub_files");

    static final String TENANT = "failover-gb";
    static final Path BASE = Path.of("target", "test-data", "failover-" + UUID.randomUUID()).toAbsolutePath();
    static SftpPeer sftp;
    static Path knownHosts;

    @BeforeAll
    static void peers() throws Exception {
        sftp = new SftpPeer(BASE.resolve("sftp"), "acme", "sftp-" + UUID.randomUUID());
        knownHosts = sftp.knownHosts(BASE.resolve("keys/known_hosts"));
    }

    @AfterAll
    static void stopPeers() throws Exception {
        sftp.close();
    }

    /**
     * The partner and the tempo of the tests: polls every 200 ms, a lease of 3 s, and batches of one record, so a file
     * is still being queued when the hub is stopped (with 1 s of graceful shutdown), however fast the machine: each
     * batch is a commit that waits for a journal sync, and the embedded broker of the restart test syncs at most every
     * 3.33 ms (its buffer timeout), so its 1,000 records take at least 3.3 s. With batches of 5 a fast machine queued
     * them all within the shutdown's second, and the receipt was DONE before the restart.
     */
    static Map<String, Object> hubArgs(String inbox, Map<String, Object> more) {
        Map<String, Object> args = new HashMap<>(Map.of(
                "hub.files.lease.duration-ms", 3000,
                "hub.files.lease.renew-ms", 500,
                "hub.files.batch-records", 1,
                "camel.main.shutdown-timeout", 1));
        Map<String, Object> partner = Map.of("id", "acme-sftp", "tenant", TENANT, "protocol", "sftp", "host", "127.0.0.1",
                "port", sftp.port(), "username", "acme", "password", sftp.password, "known-hosts-file", knownHosts,
                "inbox", inbox, "poll-interval-ms", 200);
        partner.forEach((k, v) -> args.put("hub.files.partners[0]." + k, v));
        args.put("hub.files.partners[0].read-lock-check-interval-ms", 250);
        args.putAll(more);
        return args;
    }

    static void tenant(JdbcTemplate jdbc) {
        if (jdbc.queryForObject("select count(*) from tenant where id = ?", Integer.class, TENANT) > 0) {
            return;
        }
        jdbc.update("insert into tenant (id, name, api_key_sha256, created_at) values (?, 'Failover Ltd', ?,"
                + " current_timestamp)", TENANT, "f".repeat(64));
        jdbc.update("insert into exporter_profile (tenant_id, legal_name, eori, address_line, city, postcode,"
                + " country_code, updated_at) values (?, 'Failover Ltd', 'GB427168118378', '1 Quay', 'Dover',"
                + " 'CT17 9BU', 'IE', current_timestamp)", TENANT);
        jdbc.update("insert into product (tenant_id, sku, hs_code, origin_country, net_mass_kg, updated_at)"
                + " values (?, 'SKU2006-001', '90041091', 'GB', 1.5, current_timestamp)", TENANT);
    }

    /** A Shopify export of {@code orders} one-line orders numbered from {@code first}. */
    static byte[] export(long first, int orders) {
        StringBuilder csv = new StringBuilder(ShopifyCsv.HEADER).append("\n");
        for (int i = 0; i < orders; i++) {
            long n = first + i;
            csv.append("#").append(n).append(",b@example.com,paid,,GBP,89.99,0,0,89.99,0,Std,2024-03-01 10:15:30 +0000,1,")
                    .append("Sunglasses,89.99,SKU2006-001,0,Buyer,1 Main St,Paris,75001,,FR,Buyer,1 Main St,Paris,")
                    .append("75001,,FR,").append(n).append("\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheLeaseHolderPollsAndTheOtherTakesOverMidFileWithoutDoublesOrLosses() throws Exception {
        EmbeddedActiveMQ broker = broker(BASE.resolve("broker"));
        String inbox = "shared";
        Map<String, Object> args = PG.hubArgs(hubArgs(inbox, Map.of("spring.artemis.mode", "native",
                "spring.artemis.broker-url", "tcp://127.0.0.1:" + brokerPort + "?confirmationWindowSize=1048576")));
        HubInstance a = HubInstance.start(BASE.resolve("hub-a"), args);
        HubInstance b = null;
        try {
            b = HubInstance.start(BASE.resolve("hub-b"), args);
            JdbcTemplate jdbc = a.bean(JdbcTemplate.class);
            tenant(jdbc);
            long first = System.currentTimeMillis() % 1_000_000 * 10_000;
            Path dir = sftp.root.resolve(inbox);
            for (int f = 0; f < 5; f++) {
                drop(dir, "small-" + f + ".csv", export(first + f * 10, 2));
            }
            await("the small files done", () -> done(jdbc, "small-%") == 5, Duration.ofSeconds(60));
            HubInstance instanceA = a;
            HubInstance instanceB = b;
            // a poll is counted once it has processed all the files it took
            await("the polls counted", () -> taken(instanceA) + taken(instanceB) >= 5, Duration.ofSeconds(30));
            long takenByA = taken(a);
            long takenByB = taken(b);
            assertThat(takenByA + takenByB).as("files taken by A and B").isEqualTo(5);
            assertThat(Math.min(takenByA, takenByB)).as("the instance without the lease took nothing").isZero();
            HubInstance leader = takenByA > 0 ? a : b;
            HubInstance other = leader == a ? b : a;

            // the leader stops while it is queueing a large file
            int large = 500;
            drop(dir, "large.csv", export(first + 1000, large));
            await("the large file half queued", () -> queued(jdbc, "large.csv") > 0, Duration.ofSeconds(60));
            int queuedWhenStopped = queued(jdbc, "large.csv");
            String lease = "select owner from cluster_lease where namespace = 'files-acme-sftp-orders'";
            String leaderOwner = jdbc.queryForObject(lease, String.class);
            leader.close();
            long stoppedAt = System.nanoTime();
            if (leader == a) {
                a = null;
            } else {
                b = null;
            }
            JdbcTemplate otherJdbc = other.bean(JdbcTemplate.class);
            await("the other instance holds the lease", () -> !leaderOwner.equals(otherJdbc.queryForObject(lease,
                    String.class)), Duration.ofSeconds(30));
            long takeOverMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            await("the large file done", () -> done(otherJdbc, "large.csv") == 1, Duration.ofSeconds(90));
            long expected = 5 * 2 + large;
            await("every order recorded", () -> transactions(otherJdbc) >= expected, Duration.ofSeconds(180));
            System.out.printf("Failover: leader stopped with %d of %d records queued; the other polled after %d ms%n",
                    queuedWhenStopped, large, takeOverMs);
            assertThat(queuedWhenStopped).as("stopped mid-file").isLessThan(large);
            assertThat(takeOverMs).as("taken over within the lease time").isLessThan(3000 + 2000);
            Thread.sleep(1000);
            assertThat(transactions(otherJdbc)).isEqualTo(expected);
            assertThat(otherJdbc.queryForObject("select count(distinct external_id) from trade_transaction where"
                    + " tenant_id = ?", Long.class, TENANT)).isEqualTo(expected);
            assertThat(otherJdbc.queryForObject("select count(*) from file_receipt where partner_id = 'acme-sftp'",
                    Integer.class)).isEqualTo(6);
            assertThat(otherJdbc.queryForObject("select records from file_receipt where file_name = 'large.csv'",
                    Integer.class)).isEqualTo(large);
            assertThat(FileDropTest.archived(dir, ".done", "large.csv")).isNotNull();
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            broker.stop();
        }
    }

    @Test
    void aHubStoppedInTheMiddleOfALargeFileResumesItOnRestartWithoutDoublesOrLosses() throws Exception {
        // the embedded default: the broker's journal and the database file live in the data directory
        Path data = BASE.resolve("restart");
        String inbox = "restart";
        Map<String, Object> args = hubArgs(inbox, Map.of());
        int large = 1000;
        long first = System.currentTimeMillis() % 1_000_000 * 10_000 + 5000;
        int queuedWhenStopped;
        try (HubInstance hub = HubInstance.start(data, args)) {
            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            tenant(jdbc);
            drop(sftp.root.resolve(inbox), "restart.csv", export(first, large));
            await("the file half queued", () -> queued(jdbc, "restart.csv") > 0, Duration.ofSeconds(60));
            queuedWhenStopped = queued(jdbc, "restart.csv");
        }
        // what the stopped hub left, read from its database file before it starts again
        JdbcTemplate stopped = new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(
                "jdbc:h2:file:" + data.toAbsolutePath() + "/ledger;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", true));
        int queuedAtRestart = queued(stopped, "restart.csv");
        String statusAtRestart = stopped.queryForObject("select status from file_receipt where file_name = 'restart.csv'",
                String.class);
        ((org.springframework.jdbc.datasource.SingleConnectionDataSource) stopped.getDataSource()).destroy();
        try (HubInstance again = HubInstance.start(data, args)) {
            JdbcTemplate jdbc = again.bean(JdbcTemplate.class);
            await("the file done", () -> done(jdbc, "restart.csv") == 1, Duration.ofSeconds(90));
            await("every order recorded", () -> transactions(jdbc) >= large, Duration.ofSeconds(180));
            System.out.printf("Restart: stopped with %d of %d records queued (%d when the hub was down, receipt %s)%n",
                    queuedWhenStopped, large, queuedAtRestart, statusAtRestart);
            assertThat(statusAtRestart).as("the stop came before the file was complete").isEqualTo("RECEIVING");
            assertThat(queuedAtRestart).isLessThan(large);
            Thread.sleep(1000);
            assertThat(transactions(jdbc)).isEqualTo(large);
            assertThat(jdbc.queryForObject("select count(distinct external_id) from trade_transaction where tenant_id = ?",
                    Long.class, TENANT)).isEqualTo(large);
            assertThat(jdbc.queryForObject("select records from file_receipt where file_name = 'restart.csv'",
                    Integer.class)).isEqualTo(large);
            assertThat(FileDropTest.archived(sftp.root.resolve(inbox), ".done", "restart.csv")).isNotNull();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static int brokerPort;

    /** The shared broker of the two instances (production runs a broker of its own), persistent like the real one. */
    static EmbeddedActiveMQ broker(Path dir) throws Exception {
        brokerPort = HubTestSupport.freePort();
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setPersistIDCache(true)
                .setIDCacheSize(100_000)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + brokerPort + "?protocols=CORE");
        // production's settings: without its redelivery delay, a message the stopping leader's listener rejects (five
        // times within 50 ms) ran out of delivery attempts and, with no dead-letter address, was dropped (CI, 12:10)
        org.tradehub.config.EmbeddedBrokerConfig.addHubAddressSettings(config);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        return broker;
    }

    static long taken(HubInstance hub) {
        Object n = hub.bean(FilePollers.class).status("acme-sftp", "orders").get("filesTaken");
        return n == null ? 0 : ((Number) n).longValue();
    }

    static int queued(JdbcTemplate jdbc, String name) {
        return jdbc.queryForList("select queued_records from file_receipt where file_name = ?", Integer.class, name)
                .stream().findFirst().orElse(0);
    }

    static int done(JdbcTemplate jdbc, String namePattern) {
        return jdbc.queryForObject("select count(*) from file_receipt where file_name like ? and status = 'DONE'",
                Integer.class, namePattern);
    }

    static long transactions(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from trade_transaction where tenant_id = ?", Long.class, TENANT);
    }

    static {
        try {
            Files.createDirectories(BASE);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

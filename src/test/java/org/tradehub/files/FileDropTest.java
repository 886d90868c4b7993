package org.tradehub.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.core.config.DivertConfiguration;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.tradehub.ledger.Ledger;
import org.tradehub.support.FtpPeer;
import org.tradehub.support.HubTestSupport;
import org.tradehub.support.SftpPeer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * File drops against real servers started here: an SFTP server (MINA SSHD), an FTP server and an FTPS server
 * (Apache FtpServer, explicit TLS). The hub polls them as configured partners, exactly as in production.
 */
// Its own context (partner configuration), closed after the class: its pollers must not outlive the servers this
// class stops.
@org.springframework.test.annotation.DirtiesContext(classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
class FileDropTest extends HubTestSupport {

    static final String TENANT = "files-gb";
    static final Path BASE = Path.of("target", "test-data", "files-" + UUID.randomUUID()).toAbsolutePath();
    static SftpPeer sftp;
    static FtpPeer ftp;
    static FtpPeer ftps;

    @Autowired
    Ledger ledger;
    @Autowired
    JmsTemplate jms;
    @Autowired
    EmbeddedActiveMQ broker;
    @Autowired
    FilePollers pollers;

    @DynamicPropertySource
    static void partners(DynamicPropertyRegistry registry) throws Exception {
        sftp = new SftpPeer(BASE.resolve("sftp"), "acme", "sftp-" + UUID.randomUUID());
        ftp = new FtpPeer(BASE.resolve("ftp"), "shop", "ftp-secret", null, null);
        Path[] tls = FtpPeer.tlsStores(BASE.resolve("tls"), "tls-secret");
        ftps = new FtpPeer(BASE.resolve("ftps"), "shop", "ftps-secret", tls[0], "tls-secret");
        Path knownHosts = sftp.knownHosts(BASE.resolve("keys/known_hosts"));
        Path wrongHosts = sftp.wrongKnownHosts(BASE.resolve("keys/wrong_known_hosts"));
        Map<String, Object> common = Map.of("tenant", TENANT, "host", "127.0.0.1", "poll-interval-ms", 200,
                "read-lock-check-interval-ms", 300, "backoff-max-ms", 1600, "connect-timeout-ms", 3000);
        partner(registry, 0, common, Map.of("id", "acme-sftp", "protocol", "sftp", "port", sftp.port(),
                "username", "acme", "password", sftp.password, "known-hosts-file", knownHosts, "inbox", "orders",
                "drop-directory", "to-acme", "answers-directory", "from-acme"));
        partner(registry, 1, common, Map.of("id", "shop-ftp", "protocol", "ftp", "port", ftp.port,
                "username", "shop", "password", "ftp-secret", "inbox", "orders"));
        partner(registry, 2, common, Map.of("id", "shop-ftps", "protocol", "ftps", "port", ftps.port,
                "username", "shop", "password", "ftps-secret", "inbox", "orders", "trust-store-file", tls[1],
                "trust-store-password", "tls-secret"));
        partner(registry, 3, common, Map.of("id", "impostor-sftp", "protocol", "sftp", "port", sftp.port(),
                "username", "acme", "password", sftp.password, "known-hosts-file", wrongHosts, "inbox", "impostor"));
        partner(registry, 5, common, Map.of("id", "done-ftp", "protocol", "ftp", "port", ftp.port,
                "username", "shop", "password", "ftp-secret", "inbox", "with-done",
                "done-file-name", "$simple{file:name}.done"));
        partner(registry, 4, common, Map.of("id", "badpass-sftp", "protocol", "sftp", "port", sftp.port(),
                "username", "acme", "password", "wrong", "known-hosts-file", knownHosts, "inbox", "badpass"));
    }

    private static void partner(DynamicPropertyRegistry registry, int i, Map<String, Object> common,
                                Map<String, Object> own) {
        Map<String, Object> all = new HashMap<>(common);
        all.putAll(own);
        all.forEach((k, v) -> registry.add("hub.files.partners[" + i + "]." + k, () -> v.toString()));
    }

    @AfterAll
    static void stopServers() throws Exception {
        sftp.close();
        ftp.close();
        ftps.close();
    }

    @BeforeEach
    void tenantAndTaps() throws Exception {
        if (jdbc.queryForObject("select count(*) from tenant where id = ?", Integer.class, TENANT) == 0) {
            tenants.create(TENANT, "File drop exporter");
            jdbc.update("insert into exporter_profile (tenant_id, legal_name, eori, address_line, city, postcode,"
                            + " country_code, updated_at) values (?, 'Files Ltd', 'GB427168118378', '1 Quay', 'Dover',"
                            + " 'CT17 9BU', 'IE', current_timestamp)", TENANT);
            for (String[] p : new String[][] {{"SKU2006-001", "90041091"}, {"SKU2006-020", "94016100"}}) {
                jdbc.update("insert into product (tenant_id, sku, hs_code, origin_country, net_mass_kg, updated_at)"
                        + " values (?, ?, ?, 'GB', 1.5, current_timestamp)", TENANT, p[0], p[1]);
            }
            // copies of what reaches the EDI and answers queues, whoever consumes those (a non-exclusive divert)
            for (String address : List.of("hub.edi.interchanges.received", "hub.answers.received",
                    "hub.orders.received")) {
                broker.getActiveMQServer().createQueue(new QueueConfiguration("test.copy." + address)
                        .setRoutingType(RoutingType.ANYCAST).setAddress("test.copy." + address).setAutoCreated(false));
                broker.getActiveMQServer().deployDivert(new DivertConfiguration().setName("copy-" + address)
                        .setAddress(address).setForwardingAddress("test.copy." + address).setExclusive(false));
            }
        }
    }

    // ---- formats -------------------------------------------------------------------------------------------------

    @Test
    void csvOrderExportOverSftpBecomesOneTransactionPerOrder() throws Exception {
        ShopifyCsv csv = new ShopifyCsv();
        long a = nextOrder();
        long b = nextOrder();
        csv.order(a, "USD");
        csv.order(b, "USD");
        drop(sftp.root.resolve("orders"), "export-" + a + ".csv", csv.bytes());

        for (long n : new long[] {a, b}) {
            var t = awaitStatusNot(String.valueOf(5_000_000_000L + n), "RECEIVED");
            assertThat(t.status()).isEqualTo("ACCEPTED");
            assertThat(t.channel()).isEqualTo("sftp");
            assertThat(t.partner()).isEqualTo("acme-sftp");
            assertThat(t.externalNumber()).isEqualTo("#" + n);
            String canonical = new String(ledger.documentContent(jdbc.queryForObject(
                    "select canonical_document_id from trade_transaction where id = ?", String.class, t.id())).orElseThrow(),
                    StandardCharsets.UTF_8);
            assertThat(canonical).contains("<Description>Aviator sunglasses, \"classic\"</Description>")
                    .contains("<LineAmount>159.99</LineAmount>").contains("<GrandTotalAmount>259.98</GrandTotalAmount>");
        }
        awaitArchived(sftp.root.resolve("orders"), ".done", "export-" + a + ".csv");
        assertThat(receipt("acme-sftp", "export-" + a + ".csv")).containsEntry("status", "DONE").containsEntry("records", 2);
    }

    @Test
    void ublOrderOverFtpBecomesATransaction() throws Exception {
        String id = "UBL-" + nextOrder();
        byte[] ubl = Files.readString(Path.of("src/test/resources/samples/ubl/UBL-Order-2.1-Example.xml"))
                .replace("<cbc:ID>34</cbc:ID>", "<cbc:ID>" + id + "</cbc:ID>").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(ubl, StandardCharsets.UTF_8)).contains(id);
        drop(ftp.root.resolve("orders"), id + ".xml", ubl);
        var t = awaitStatusNot(id, "RECEIVED");
        assertThat(t.channel()).isEqualTo("ftp");
        assertThat(t.format()).isEqualTo("ubl-order-2.1");
        awaitArchived(ftp.root.resolve("orders"), ".done", id + ".xml");
    }

    @Test
    void ediInterchangeOverFtpsGoesToTheEdiQueue() throws Exception {
        byte[] edi = Files.readAllBytes(Path.of("src/test/resources/edi/fixtures/orders-d96a.edi"));
        String name = "orders-" + nextOrder() + ".edi";
        drop(ftps.root.resolve("orders"), name, edi);
        Message copy = awaitCopy("hub.edi.interchanges.received", name);
        assertThat(copy.getStringProperty("hubTenantId")).isEqualTo(TENANT);
        assertThat(copy.getStringProperty("hubPartnerId")).isEqualTo("shop-ftps");
        assertThat(copy.getStringProperty("hubChannel")).isEqualTo("ftps");
        assertThat(copy.getStringProperty("hubReceiptId")).isNotBlank();
        assertThat(copy.getStringProperty("hubReceivedAt")).isNotBlank();
        assertThat(copy.getStringProperty("_AMQ_DUPL_ID")).contains(Ledger.sha256(edi));
        assertThat(copy.getBody(byte[].class)).isEqualTo(edi);
        // a file is a batch: its interchange, and the orders it holds, yield to orders that come one at a time
        assertThat(copy.getJMSPriority()).isEqualTo(org.tradehub.intake.OrderPriority.BATCH);
        String receipt = copy.getStringProperty("hubReceiptId");
        Message order = awaitCopy("hub.orders.received", "the interchange's order", "hubReceiptId",
                r -> r.startsWith(receipt + "/"));
        assertThat(order.getJMSPriority()).isEqualTo(org.tradehub.intake.OrderPriority.BATCH);
        awaitArchived(ftps.root.resolve("orders"), ".done", name);
    }


    // ---- a file's orders and orders that come one at a time -----------------------------------------------------

    @Test
    void aWebShopsOrderOvertakesAFilesOrdersWaitingInTheQueues() throws Exception {
        // for this test the file's exporter declares to the UK single window, as the web shop's does
        jdbc.update("update exporter_profile set country_code = 'GB', declarant_eori = eori, badge_identifier = 'TEST01',"
                + " exit_office_id = 'GB000040', goods_location_name = 'DVRDOVDVR', procedure_code = '1040',"
                + " border_transport_mode_code = '1' where tenant_id = ?", TENANT);
        try {
            int size = 500;
            ShopifyCsv csv = new ShopifyCsv();
            long first = nextOrder();
            long last = first;
            csv.order(first, "USD");
            for (int i = 1; i < size; i++) {
                last = nextOrder();
                csv.order(last, "USD");
            }
            String name = "batch-" + first + ".csv";
            String from = String.valueOf(5_000_000_000L + first);
            String to = String.valueOf(5_000_000_000L + last);
            java.util.function.Function<String, Long> fileOrders = status -> jdbc.queryForObject("select count(*)"
                    + " from trade_transaction where tenant_id = ? and external_id between ? and ?"
                    + (status == null ? "" : " and status = '" + status + "'"), Long.class, TENANT, from, to);
            drop(sftp.root.resolve("orders"), name, csv.bytes());
            await("the file's records all queued", () -> Integer.valueOf(size).equals(jdbc.queryForList(
                    "select queued_records from file_receipt where file_name = ?", Integer.class, name).stream()
                    .findFirst().orElse(null)));

            // a web shop's order, sent while most of the file's orders wait on the intake queue
            TestTenant shop = newTenant();
            String orderId = String.valueOf(8_100_000_000L + first);
            byte[] body = new String(resource("webhooks/shopify/orders-create-2024-07.json"), StandardCharsets.UTF_8)
                    .replaceFirst("\"id\":\\s*\\d+", "\"id\": " + orderId).getBytes(StandardCharsets.UTF_8);
            assertThat(postShopify(shop, body, shop.sign(body), UUID.randomUUID().toString(), null).statusCode())
                    .isEqualTo(202);
            long waitingAtSend = size - fileOrders.apply(null);
            long waitingWhenRecorded = -1;
            long notDeclaredWhenAccepted = -1;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && notDeclaredWhenAccepted < 0) {
                JsonNode items = transactionsFor(shop, orderId);
                if (items != null && items.size() > 0) {
                    if (waitingWhenRecorded < 0) {
                        waitingWhenRecorded = size - fileOrders.apply(null);
                    }
                    if (items.get(0).get("status").asText().equals("DECLARATION_ACCEPTED")) {
                        notDeclaredWhenAccepted = size - fileOrders.apply("DECLARATION_ACCEPTED");
                    }
                }
                Thread.sleep(20);
            }
            // nothing of the file lost or doubled: every order of it declared, once
            await("every order of the file declared", () -> fileOrders.apply("DECLARATION_ACCEPTED") == size,
                    Duration.ofSeconds(120));
            assertThat(fileOrders.apply(null)).isEqualTo(size);

            String seen = "file orders waiting when the web shop's was sent: " + waitingAtSend + ", not yet recorded when"
                    + " it was recorded: " + waitingWhenRecorded + ", not yet declared when it was accepted: "
                    + notDeclaredWhenAccepted;
            assertThat(waitingAtSend).as("enough of the file waiting to tell; " + seen).isGreaterThan(200);
            // first in, first out, it would have waited for all of them (seen: 0 and 0)
            assertThat(waitingWhenRecorded).as("recorded ahead of the file's waiting orders; " + seen)
                    .isGreaterThan(waitingAtSend - 100);
            assertThat(notDeclaredWhenAccepted).as("declared ahead of the file's waiting orders; " + seen)
                    .isGreaterThan(waitingAtSend - 100);
        } finally {
            jdbc.update("update exporter_profile set country_code = 'IE', declarant_eori = null, badge_identifier = null,"
                    + " exit_office_id = null, goods_location_name = null, procedure_code = null,"
                    + " border_transport_mode_code = null where tenant_id = ?", TENANT);
        }
    }

    // ---- per-record outcome, unreadable files ----------------------------------------------------------------------

    @Test
    void badRowsAreRejectedWithTheirLineAndTheGoodOrdersGoThrough() throws Exception {
        ShopifyCsv csv = new ShopifyCsv();
        long good1 = nextOrder();
        long badCurrency = nextOrder();
        long good2 = nextOrder();
        csv.order(good1, "USD");
        int badLine = csv.order(badCurrency, "XXQ");
        int brokenLine = csv.raw("#broken,only,three");
        csv.order(good2, "EUR");
        String name = "partly-bad-" + good1 + ".csv";
        drop(sftp.root.resolve("orders"), name, csv.bytes());

        assertThat(awaitStatusNot(String.valueOf(5_000_000_000L + good1), "RECEIVED").status()).isEqualTo("ACCEPTED");
        assertThat(awaitStatusNot(String.valueOf(5_000_000_000L + good2), "RECEIVED").status()).isEqualTo("ACCEPTED");
        String receiptId = (String) jdbc.queryForMap("select id from file_receipt where file_name = ?", name).get("id");
        String rejected = awaitRejected(receiptId + ":#" + badCurrency + "@" + badLine);
        assertThat(rejectionOf(rejected)).contains(name + ", lines " + badLine + "-" + (badLine + 1)).contains("XXQ");
        String brokenTx = awaitRejected(receiptId + ":@" + brokenLine);
        assertThat(rejectionOf(brokenTx)).contains("line " + brokenLine).contains("3 fields where the header has");
        awaitArchived(sftp.root.resolve("orders"), ".done", name);
        assertThat(receipt("acme-sftp", name)).containsEntry("records", 4);
    }

    @Test
    void aFileThatCannotBeReadGoesToErrorWithAReasonBesideIt() throws Exception {
        String name = "not-an-export-" + nextOrder() + ".csv";
        drop(ftp.root.resolve("orders"), name, "hello,world\r\n1,2\r\n".getBytes(StandardCharsets.UTF_8));
        Path archived = awaitArchived(ftp.root.resolve("orders"), ".error", name);
        Path reason = archived.resolveSibling(archived.getFileName() + ".reason.txt");
        await("reason file", () -> Files.exists(reason));
        assertThat(Files.readString(reason)).contains(name).contains("line 1 is not the header of a Shopify order export");
        assertThat(receipt("shop-ftp", name)).containsEntry("status", "ERROR");

        String xml = "broken-" + nextOrder() + ".xml";
        drop(sftp.root.resolve("orders"), xml, "<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"><unclosed></Order>"
                .getBytes(StandardCharsets.UTF_8));
        Path bad = awaitArchived(sftp.root.resolve("orders"), ".error", xml);
        await("reason file", () -> Files.exists(bad.resolveSibling(bad.getFileName() + ".reason.txt")));
        assertThat(Files.readString(bad.resolveSibling(bad.getFileName() + ".reason.txt"))).contains("not well-formed XML");
    }

    // The issue's figure: a 10,000-order export with 3 bad rows. Records are queued in JMS transactions of
    // hub.files.batch-records (500), so queueing takes seconds; the rest is the intake stage recording each order.
    @Test
    void tenThousandOrdersWithThreeBadRowsYield9997TransactionsAnd3Rejections() throws Exception {
        long base = nextOrder() * 100_000;
        StringBuilder csv = new StringBuilder(ShopifyCsv.HEADER).append("\n");
        List<Integer> bad = List.of(17, 5000, 9999);
        for (int i = 0; i < 10_000; i++) {
            long n = base + i;
            String currency = bad.contains(i) ? "ZZZ" : "GBP";
            csv.append("#").append(n).append(",b@example.com,paid,,").append(currency)
                    .append(",89.99,0,0,89.99,0,Std,2024-03-01 10:15:30 +0000,1,Sunglasses,89.99,SKU2006-001,0,")
                    .append("Buyer,1 Main St,Paris,75001,,FR,Buyer,1 Main St,Paris,75001,,FR,").append(n).append("\n");
        }
        String name = "big-" + base + ".csv";
        long started = System.nanoTime();
        drop(sftp.root.resolve("orders"), name, csv.toString().getBytes(StandardCharsets.UTF_8));
        awaitArchived(sftp.root.resolve("orders"), ".done", name, Duration.ofSeconds(60));
        long queuedMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("10,000-order file: taken, queued and archived in %d ms%n", queuedMs);
        String receiptId = (String) jdbc.queryForMap("select id from file_receipt where file_name = ?", name).get("id");
        Map<String, Long> byStatus = awaitRecorded(receiptId, 10_000, Duration.ofSeconds(240));
        long allMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("10,000-order file: queued in %d ms, all recorded in %d ms (%.0f orders/s)%n", queuedMs,
                allMs, 10_000 * 1000.0 / allMs);
        assertThat(receipt("acme-sftp", name)).containsEntry("records", 10_000).containsEntry("status", "DONE");
        assertThat(byStatus.getOrDefault("REJECTED", 0L)).isEqualTo(3L);
        assertThat(byStatus.values().stream().mapToLong(Long::longValue).sum() - byStatus.get("REJECTED"))
                .isEqualTo(9_997L);
        List<String> reasons = jdbc.queryForList("select e.summary from transaction_event e join trade_transaction t on"
                + " t.id = e.transaction_id join document d on d.id = t.raw_document_id where d.correlation_id like ?"
                + " and e.type = 'REJECTED' order by e.summary", String.class, receiptId + ":%");
        assertThat(reasons).hasSize(3);
        for (int i : bad) {
            int line = i + 2; // the header is line 1
            assertThat(reasons).anySatisfy(r -> assertThat(r).contains(name + ", line " + line + ":").contains("ZZZ"));
        }
    }

    /**
     * Transactions recorded for the records of a file, by status, once there are as many as expected. They all carry
     * the file's receipt time: counted on an index, so the wait does not slow the hub it waits for.
     */
    Map<String, Long> awaitRecorded(String receiptId, long expected, Duration within) throws Exception {
        String count = "select count(*) from trade_transaction where tenant_id = ? and received_at ="
                + " (select received_at from file_receipt where id = ?)";
        long deadline = System.nanoTime() + within.toNanos();
        long recorded = 0;
        while (System.nanoTime() < deadline && recorded < expected) {
            Thread.sleep(1000);
            recorded = jdbc.queryForObject(count, Long.class, TENANT, receiptId);
        }
        Map<String, Long> byStatus = new HashMap<>();
        for (var row : jdbc.queryForList("select t.status, count(*) as n from trade_transaction t join document d on"
                + " d.id = t.raw_document_id where t.tenant_id = ? and d.correlation_id like ? group by t.status",
                TENANT, receiptId + ":%")) {
            byStatus.put((String) row.get("status"), ((Number) row.get("n")).longValue());
        }
        assertThat(recorded).as("records of the file recorded within " + within + ": " + byStatus).isEqualTo(expected);
        return byStatus;
    }

    // ---- exactly once ---------------------------------------------------------------------------------------------

    @Test
    void aFileStillBeingWrittenIsTakenOnlyWhenComplete() throws Exception {
        long n = nextOrder();
        ShopifyCsv csv = new ShopifyCsv();
        csv.order(n, "USD");
        byte[] all = csv.bytes();
        Path file = Files.createDirectories(sftp.root.resolve("orders")).resolve("slow-" + n + ".csv");
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < all.length; i += 40) {
                out.write(all, i, Math.min(40, all.length - i));
                out.flush();
                Thread.sleep(60); // a slow writer: the size keeps changing for several read-lock checks
            }
        }
        var t = awaitStatusNot(String.valueOf(5_000_000_000L + n), "RECEIVED");
        assertThat(t.status()).isEqualTo("ACCEPTED");
        awaitArchived(sftp.root.resolve("orders"), ".done", "slow-" + n + ".csv");
        assertThat(jdbc.queryForObject("select count(*) from file_receipt where file_name = ?", Integer.class,
                "slow-" + n + ".csv")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select records from file_receipt where file_name = ?", Integer.class,
                "slow-" + n + ".csv")).isEqualTo(1);
    }

    @Test
    void theSameFileDroppedAgainIsNotProcessedTwiceButNewContentUnderTheSameNameIs() throws Exception {
        long n = nextOrder();
        ShopifyCsv first = new ShopifyCsv();
        first.order(n, "USD");
        Path dir = sftp.root.resolve("orders");
        drop(dir, "daily.csv", first.bytes());
        String external = String.valueOf(5_000_000_000L + n);
        var t = awaitStatusNot(external, "RECEIVED");
        await("first archived", () -> !Files.exists(dir.resolve("daily.csv")));
        int events = ledger.timeline(t.id()).size();

        drop(dir, "daily.csv", first.bytes()); // the partner's script ran twice
        await("duplicate archived", () -> !Files.exists(dir.resolve("daily.csv")));
        long m = nextOrder();
        ShopifyCsv second = new ShopifyCsv();
        second.order(m, "USD");
        drop(dir, "daily.csv", second.bytes()); // tomorrow's export, same name
        assertThat(awaitStatusNot(String.valueOf(5_000_000_000L + m), "RECEIVED").status()).isEqualTo("ACCEPTED");
        Thread.sleep(500);
        assertThat(ledger.search(TENANT, null, null, external, null, 5)).hasSize(1);
        assertThat(ledger.timeline(t.id())).hasSize(events);
        assertThat(jdbc.queryForObject("select count(*) from file_receipt where partner_id = 'acme-sftp' and"
                + " file_name = 'daily.csv'", Integer.class)).isEqualTo(2);
    }

    @Test
    void aPickUpInterruptedBeforeCompletionIsResumedWithoutDoubles() throws Exception {
        long n = nextOrder();
        long second = nextOrder();
        ShopifyCsv csv = new ShopifyCsv();
        csv.order(n, "USD");
        csv.order(second, "USD");
        String name = "resumed-" + n + ".csv";
        Path dir = sftp.root.resolve("orders");
        drop(dir, name, csv.bytes());
        var t = awaitStatusNot(String.valueOf(5_000_000_000L + n), "RECEIVED");
        // both orders recorded before counting: the second one may be recorded later than the first (seen under load,
        // the count then grew by the file's own second order, not by a double)
        awaitStatusNot(String.valueOf(5_000_000_000L + second), "RECEIVED");
        awaitArchived(dir, ".done", name);
        int events = ledger.timeline(t.id()).size();
        long transactions = jdbc.queryForObject("select count(*) from trade_transaction where tenant_id = ?", Long.class, TENANT);

        // the state a crash leaves between committing a batch on the broker and counting it: claim open, nothing
        // counted, file in place. The broker refuses the batch (duplicate ids); its records are then sent one by one.
        jdbc.update("update file_receipt set status = 'RECEIVING', completed_at = null, queued_records = 0"
                + " where file_name = ?", name);
        Path archive = archived(dir, ".done", name);
        drop(dir, name, Files.readAllBytes(archive)); // whole at once, as a partner writes it
        Files.delete(archive);
        awaitArchived(dir, ".done", name);
        await("receipt done again", () -> "DONE".equals(receipt("acme-sftp", name).get("status")));
        Thread.sleep(500);
        assertThat(jdbc.queryForObject("select count(*) from trade_transaction where tenant_id = ?", Long.class, TENANT))
                .isEqualTo(transactions);
        assertThat(ledger.timeline(t.id())).hasSize(events);
        assertThat(jdbc.queryForObject("select count(*) from file_receipt where file_name = ?", Integer.class, name)).isEqualTo(1);
    }

    @Test
    void withADoneFileNameAFileIsTakenOnlyOnceItsDoneFileIsThere() throws Exception {
        long n = nextOrder();
        ShopifyCsv csv = new ShopifyCsv();
        csv.order(n, "USD");
        Path dir = Files.createDirectories(ftp.root.resolve("with-done"));
        String name = "signalled-" + n + ".csv";
        drop(dir, name, csv.bytes());
        // complete and unchanged, but the partner has not said so: polls and read-lock checks pass it by
        long polls = number("done-ftp", "polls");
        await("several polls", () -> number("done-ftp", "polls") >= polls + 5);
        assertThat(dir.resolve(name)).exists();
        assertThat(jdbc.queryForObject("select count(*) from file_receipt where file_name = ?", Integer.class, name))
                .isZero();

        drop(dir, name + ".done", new byte[0]);
        assertThat(awaitStatusNot(String.valueOf(5_000_000_000L + n), "RECEIVED").status()).isEqualTo("ACCEPTED");
        awaitArchived(dir, ".done", name);
        await("the done file removed with it", () -> !Files.exists(dir.resolve(name + ".done")));
        assertThat(receipt("done-ftp", name)).containsEntry("status", "DONE").containsEntry("records", 1);
    }

    // ---- safety and health ----------------------------------------------------------------------------------------

    @Test
    void wrongCredentialsAndAnUnknownHostKeyAreReportedAndTouchNothing() throws Exception {
        Files.createDirectories(sftp.root.resolve("impostor"));
        Files.createDirectories(sftp.root.resolve("badpass"));
        drop(sftp.root.resolve("impostor"), "x.csv", new ShopifyCsv().bytes());
        drop(sftp.root.resolve("badpass"), "y.csv", new ShopifyCsv().bytes());
        await("both pollers failing", () -> "failing".equals(pollers.status("impostor-sftp", "orders").get("state"))
                && "failing".equals(pollers.status("badpass-sftp", "orders").get("state")));
        assertThat((String) pollers.status("impostor-sftp", "orders").get("lastError")).containsIgnoringCase("HostKey");
        assertThat((String) pollers.status("badpass-sftp", "orders").get("lastError")).containsIgnoringCase("auth");
        assertThat(sftp.root.resolve("impostor/x.csv")).exists();
        assertThat(sftp.root.resolve("badpass/y.csv")).exists();
        // each failing poller backs off exponentially on its own (poll interval 200 ms, then 400, 800, up to 1600)
        await("back-off grown to its maximum", () -> number("badpass-sftp", "backoffMs") == 1600);
        assertThat(pollers.status("badpass-sftp", "orders").get("nextAttemptAt")).isNotNull();
        long failures = number("badpass-sftp", "failuresInARow");
        long skipped = number("badpass-sftp", "skippedPolls");
        long acmePolls = number("acme-sftp", "polls");
        long ftpPolls = number("shop-ftp", "polls");
        Thread.sleep(3300);
        // meanwhile the good partners were polled at their own pace (every 200 ms), the failing one tried twice or so
        assertThat(number("badpass-sftp", "failuresInARow") - failures).isBetween(1L, 3L);
        assertThat(number("badpass-sftp", "skippedPolls")).isGreaterThan(skipped);
        assertThat(number("acme-sftp", "polls") - acmePolls).isGreaterThanOrEqualTo(5);
        assertThat(number("shop-ftp", "polls") - ftpPolls).isGreaterThanOrEqualTo(5);
        assertThat(pollers.status("acme-sftp", "orders")).containsEntry("state", "ok").containsEntry("backoffMs", 0L);
        // the others keep working and the hub stays up
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        var fileDrops = (org.springframework.boot.actuate.health.Health) health.healthForPath("fileDrops");
        assertThat(fileDrops.getStatus().getCode()).isEqualTo("UP");
        assertThat(fileDrops.getDetails()).containsKey("impostor-sftp/orders");
    }

    // ---- outbound drops and answers ------------------------------------------------------------------------------

    @Test
    void documentsAreDroppedWholeIntoThePartnersInboxAndItsAnswersReachTheTimeline() throws Exception {
        long n = nextOrder();
        ShopifyCsv csv = new ShopifyCsv();
        csv.order(n, "USD");
        drop(sftp.root.resolve("orders"), "for-outbound-" + n + ".csv", csv.bytes());
        var t = awaitStatusNot(String.valueOf(5_000_000_000L + n), "RECEIVED");

        byte[] booking = ("<Booking><Transaction>" + t.id() + "</Transaction></Booking>").getBytes(StandardCharsets.UTF_8);
        jms.send("hub.outbound.file", session -> {
            var m = session.createBytesMessage();
            m.writeBytes(booking);
            m.setStringProperty("hubTenantId", TENANT);
            m.setStringProperty("hubPartnerId", "acme-sftp");
            m.setStringProperty("hubDocumentType", "BOOKING");
            m.setStringProperty("hubTransactionId", t.id());
            m.setStringProperty("hubContentType", "application/xml");
            return m;
        });
        Path written = sftp.root.resolve("to-acme/booking-" + t.id() + ".dat");
        await("document written", () -> Files.exists(written));
        assertThat(Files.readAllBytes(written)).isEqualTo(booking);
        try (Stream<Path> files = Files.list(sftp.root.resolve("to-acme"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(f -> f.startsWith("."));
        }
        await("sent on the timeline", () -> ledger.timeline(t.id()).stream().anyMatch(e -> e.type().equals("DOCUMENT_SENT")));

        // a name that would leave the partner's directory is refused, nothing is written
        jms.send("hub.outbound.file", session -> {
            var m = session.createBytesMessage();
            m.writeBytes(booking);
            m.setStringProperty("hubTenantId", TENANT);
            m.setStringProperty("hubPartnerId", "acme-sftp");
            m.setStringProperty("hubFileName", "../orders/evil.csv");
            return m;
        });

        // the partner answers in its outbox, naming the transaction
        drop(sftp.root.resolve("from-acme"), "confirmation-" + t.id() + ".xml",
                "<Confirmation status=\"booked\"/>".getBytes(StandardCharsets.UTF_8));
        await("answer on the timeline", () -> ledger.timeline(t.id()).stream().anyMatch(e -> e.type().equals("ANSWER_RECEIVED")));
        Message answer = awaitCopy("hub.answers.received", "confirmation-" + t.id() + ".xml");
        assertThat(answer.getStringProperty("hubPartnerId")).isEqualTo("acme-sftp");
        assertThat(answer.getStringProperty("hubChannel")).isEqualTo("sftp");
        awaitArchived(sftp.root.resolve("from-acme"), ".done", "confirmation-" + t.id() + ".xml");
        Thread.sleep(500);
        assertThat(sftp.root.resolve("orders/evil.csv")).doesNotExist();
        assertThat(sftp.root.resolve("evil.csv")).doesNotExist();
    }

    long number(String partner, String key) {
        return ((Number) pollers.status(partner, "orders").get(key)).longValue();
    }

    /** The transaction recorded for one record of a file (its receipt id), once it is REJECTED. */
    String awaitRejected(String recordReceipt) throws Exception {
        await("record " + recordReceipt + " recorded", () -> !jdbc.queryForList("select transaction_id from document"
                + " where correlation_id = ? and transaction_id is not null", String.class, recordReceipt).isEmpty());
        String id = jdbc.queryForList("select transaction_id from document where correlation_id = ? and"
                + " transaction_id is not null", String.class, recordReceipt).get(0);
        await("record " + recordReceipt + " rejected", () -> ledger.find(id).map(t -> "REJECTED".equals(t.status())).orElse(false));
        return id;
    }

    String rejectionOf(String transactionId) {
        return ledger.timeline(transactionId).stream().filter(e -> e.type().equals("REJECTED"))
                .map(Ledger.TimelineEvent::summary).findFirst().orElse("");
    }

    @Autowired
    org.springframework.boot.actuate.health.HealthEndpoint health;

    // ---- helpers -------------------------------------------------------------------------------------------------

    static long counter = System.currentTimeMillis() % 1_000_000 * 1000;

    static synchronized long nextOrder() {
        return ++counter;
    }

    /** Writes the file as a partner would: under a temporary name, then renamed (atomic on the server's disk). */
    static void drop(Path dir, String name, byte[] content) throws Exception {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, dir.resolve(name));
    }

    Ledger.TransactionRecord awaitStatusNot(String externalId, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var found = ledger.search(TENANT, null, null, externalId, null, 5);
            if (!found.isEmpty() && !status.equals(found.get(0).status())) {
                return found.get(0);
            }
            Thread.sleep(100);
        }
        return fail("no transaction " + externalId + " beyond " + status);
    }

    static Path awaitArchived(Path dir, String archive, String name) throws Exception {
        return awaitArchived(dir, archive, name, Duration.ofSeconds(30));
    }

    static Path awaitArchived(Path dir, String archive, String name, Duration within) throws Exception {
        await("file " + name + " archived in " + archive, () -> archived(dir, archive, name) != null
                && !Files.exists(dir.resolve(name)), within);
        return archived(dir, archive, name);
    }

    static Path archived(Path dir, String archive, String name) {
        try (Stream<Path> files = Files.list(dir.resolve(archive))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-" + name)).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static void await(String what, BooleanSupplier condition) throws Exception {
        await(what, condition, Duration.ofSeconds(30));
    }

    static void await(String what, BooleanSupplier condition, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what);
    }

    Map<String, Object> receipt(String partner, String name) {
        return jdbc.queryForMap("select status, records, reason, archived_as from file_receipt where partner_id = ?"
                + " and file_name = ? order by received_at desc limit 1", partner, name);
    }

    Message awaitCopy(String queue, String fileName) throws Exception {
        return awaitCopy(queue, fileName, "hubFileName", fileName::equals);
    }

    /** The copy of the first message that reached the queue whose string property matches. */
    Message awaitCopy(String queue, String what, String property, java.util.function.Predicate<String> matches)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Message found = jms.browse("test.copy." + queue, (jakarta.jms.Session session, QueueBrowser browser) -> {
                Enumeration<?> e = browser.getEnumeration();
                while (e.hasMoreElements()) {
                    Message m = (Message) e.nextElement();
                    String value = m.getStringProperty(property);
                    if (value != null && matches.test(value)) {
                        return m;
                    }
                }
                return null;
            });
            if (found != null) {
                return found;
            }
            Thread.sleep(100);
        }
        return fail("nothing for " + what + " reached " + queue);
    }
}

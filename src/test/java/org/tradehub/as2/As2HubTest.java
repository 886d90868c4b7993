package org.tradehub.as2;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.tradehub.ledger.Ledger;
import org.tradehub.support.HubTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the AS2 test classes share: one hub (the Spring context HubTestSupport caches), one hub key pair for the
 * whole JVM, partner certificates added to the hub's keystore (never replacing what another class put there), and
 * the helpers to onboard a partner profile, make a transaction and wait for its timeline.
 */
abstract class As2HubTest extends HubTestSupport {

    static final String HUB = "TRADEHUB";
    /** The hub's own key pair (alias "hub"), the same for every AS2 test class in this JVM. */
    static final TestPki.Identity HUB_KEY = TestPki.identity("hub", Duration.ofDays(365));

    @Autowired
    As2Properties as2;
    @Autowired
    JmsTemplate jms;
    @Autowired
    Ledger ledger;
    @Autowired
    ProducerTemplate producer;

    /** Adds these partner certificates (and our key as "hub") to the hub's keystore, keeping what is there. */
    synchronized void trust(Map<String, X509Certificate> certificates) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] password = as2.keystorePassword().toCharArray();
        if (java.nio.file.Files.exists(as2.keystore())) {
            try (var in = java.nio.file.Files.newInputStream(as2.keystore())) {
                ks.load(in, password);
            }
        } else {
            ks.load(null, password);
        }
        ks.setKeyEntry("hub", HUB_KEY.keys().getPrivate(), password, new java.security.cert.Certificate[]{HUB_KEY.certificate()});
        for (var e : certificates.entrySet()) {
            ks.setCertificateEntry(e.getKey(), e.getValue());
        }
        var out = new java.io.ByteArrayOutputStream();
        ks.store(out, password);
        TestPki.write(as2.keystore(), out.toByteArray());
    }

    /** A tenant and a partner receiving with as2-lib, made once per test class and closed after it. */
    record Receiving(String tenantId, As2LibReceiver receiver) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            receiver.close();
        }
    }

    Receiving receiving(TestPki.Identity partner, Map<String, X509Certificate> trusted) throws Exception {
        trust(trusted);
        return new Receiving(newTenant().id(), new As2LibReceiver(partner, HUB_KEY.certificate()));
    }

    String url() {
        return "http://localhost:" + as2.port() + as2.path();
    }

    /** PUT /admin/as2/partners/{id}: the profile fields given, the rest defaulted by the hub. */
    void putProfile(String partnerId, Map<String, Object> fields) throws Exception {
        HttpResponse<String> r = admin("PUT", "/admin/as2/partners/" + partnerId, "application/json",
                JSON.writeValueAsString(fields));
        assertEquals(200, r.statusCode(), r.body());
    }

    static HttpResponse<String> admin(String method, String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A profile for sending to a partner: ours is "hub", theirs the given alias; overrides win. */
    static Map<String, Object> outboundProfile(String tenantId, String as2Id, String url, String certAlias,
                                               Map<String, Object> overrides) {
        Map<String, Object> p = new HashMap<>(Map.of("tenantId", tenantId, "as2Id", as2Id, "ourAs2Id", HUB,
                "url", url, "partnerCertificateAlias", certAlias, "ourKeyAlias", "hub", "mdnTimeoutSeconds", 10));
        p.putAll(overrides);
        return p;
    }

    /** A transaction of the tenant, so outbound documents have a timeline to show. */
    String newTransaction(String tenantId) {
        String documentId = ledger.storeDocument(tenantId, null, "TEST", "IN", "text/plain", null, new byte[]{1});
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into trade_transaction (id, tenant_id, source_channel, source_format, external_id, status,"
                + " raw_document_id, received_at, updated_at) values (?, ?, 'as2', 'edifact-orders', ?, 'RECEIVED', ?,"
                + " current_timestamp, current_timestamp)", id, tenantId, id, documentId);
        return id;
    }

    /** Puts a document on hub.outbound.as2 for the partner, on the transaction's timeline. */
    void sendOutbound(String tenantId, String partnerId, String transactionId, String documentType, byte[] document) {
        producer.sendBodyAndHeaders("jms:queue:hub.outbound.as2", document, Map.of("hubPartnerId", partnerId,
                "hubTenantId", tenantId, "hubDocumentType", documentType, "hubTransactionId", transactionId));
    }

    /** Polls until the condition holds (the stages are asynchronous), for at most 30 s. */
    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    List<String> awaitEvent(String transactionId, String type) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> types = ledger.timeline(transactionId).stream().map(e -> e.type()).toList();
            if (types.contains(type)) {
                return types;
            }
            Thread.sleep(50);
        }
        return fail(type + " not on the timeline: " + ledger.timeline(transactionId));
    }

    /** The AS2 status row of the (one) document sent on this transaction. */
    Map<String, Object> outboundRow(String transactionId) {
        return jdbc.queryForMap("select message_id, status, disposition, attempts, mic from as2_message"
                + " where direction = 'OUT' and transaction_id = ?", transactionId);
    }

    /** The dead_letter row (reason, failed_route, origin_queue) of the transaction's parked message. */
    Map<String, Object> awaitParked(String transactionId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> rows = jdbc.queryForList("select reason, failed_route, origin_queue from"
                    + " dead_letter where transaction_id = ?", transactionId);
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
            Thread.sleep(50);
        }
        return fail("nothing of transaction " + transactionId + " was parked");
    }

    int parkedCount(String transactionId) {
        return jdbc.queryForObject("select count(*) from dead_letter where transaction_id = ?", Integer.class, transactionId);
    }
}

package org.tradehub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tradehub.ledger.TransactionStatus;
import org.tradehub.services.PlanSteps;
import org.tradehub.services.Service;
import org.tradehub.support.GbExporter;
import org.tradehub.support.HubInstance;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single window gets one declaration twice: a retry after an answer that never reached the hub, or two messages
 * for the declaration in flight at once. The hub's own sandbox single window answers, as CDS does: the repeat gets a
 * conversation of its own and then DMSREJ CDS12003 (the LRN has already been used). The first submission's answers
 * decide the declaration; the repeat's refusal is a note on the timeline, not a rejection.
 *
 * <p>A relay between the hub and its sandbox can hold a request before passing it on, or pass it on and then hold
 * the answer past the hub's response timeout.
 */
class SingleWindowRepeatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RESPONSE_TIMEOUT_MS = 3000;
    private static final AtomicInteger arrived = new AtomicInteger();
    private static final AtomicInteger forwarded = new AtomicInteger();
    /** When set, the relay passes the next request on and then answers only after the hub stopped waiting. */
    private static final AtomicBoolean answerNextTooLate = new AtomicBoolean();
    /** When set, the relay holds each request until it is opened. */
    private static volatile CountDownLatch held;
    private static ExecutorService relayThreads;
    private static HttpServer relay;
    private static HubInstance hub;
    private static GbExporter exporter;

    @BeforeAll
    static void start() throws Exception {
        relayThreads = Executors.newCachedThreadPool();
        relay = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        relay.setExecutor(relayThreads);
        relay.createContext("/customs/declarations/", SingleWindowRepeatTest::relay);
        relay.start();
        hub = HubInstance.start(Path.of("target", "test-data", "sw-repeat-" + UUID.randomUUID()), Map.of(
                "hub.single-window.gb-cds.url", "http://127.0.0.1:" + relay.getAddress().getPort(),
                "hub.single-window.gb-cds.response-timeout-ms", RESPONSE_TIMEOUT_MS));
        exporter = GbExporter.create(hub, "repeat");
    }

    @AfterAll
    static void stop() {
        hub.close();
        relay.stop(0);
        relayThreads.shutdownNow();
    }

    @BeforeEach
    void reset() {
        arrived.set(0);
        forwarded.set(0);
        answerNextTooLate.set(false);
        held = null;
    }

    /** Passes a submission on to the hub's sandbox single window with the API's headers, and its answer back. */
    private static void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            arrived.incrementAndGet();
            CountDownLatch gate = held;
            if (gate != null) {
                gate.await(20, TimeUnit.SECONDS);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    URI.create(hub.base() + "/sandbox/gb-cds/customs/declarations/"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String name : List.of("Authorization", "Accept", "Content-Type", "X-Badge-Identifier",
                    "X-Submitter-Identifier")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            HttpResponse<byte[]> answer = HubTestSupport.HTTP.send(request.build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            forwarded.incrementAndGet();
            if (answerNextTooLate.getAndSet(false)) {
                Thread.sleep(RESPONSE_TIMEOUT_MS * 2L); // the single window has it; the hub never hears so
            }
            answer.headers().firstValue("X-Conversation-ID")
                    .ifPresent(id -> exchange.getResponseHeaders().add("X-Conversation-ID", id));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException hubGaveUp) {
            // the hub closed the connection after its response timeout
        }
    }

    @Test
    void aSubmissionWhoseAnswerNeverCameIsRetriedAndTheFirstSubmissionDecides() throws Exception {
        answerNextTooLate.set(true);
        String orderId = "44" + System.nanoTime();

        exporter.sendOrder(orderId);

        String id = exporter.transactionId(orderId);
        awaitEvent(id, "DECLARATION_RESUBMISSION_REFUSED");
        assertThat(forwarded.get()).as("sent again after the response timeout").isEqualTo(2);
        assertDecidedByTheFirstSubmission(id);
    }

    @Test
    void twoMessagesForOneDeclarationInFlightAtOnceLeaveItAccepted() throws Exception {
        held = new CountDownLatch(1);
        String orderId = "45" + System.nanoTime();
        String id;
        try {
            exporter.sendOrder(orderId);
            id = exporter.transactionId(orderId);
            // the declaration message a duplicate delivery of the order queues again, while the first is on its way
            exporter.queueDeclaration(id);
            // both consumers map the declaration and send it (the relay holds both, within the response timeout)
            long deadline = System.nanoTime() + Duration.ofMillis(RESPONSE_TIMEOUT_MS / 2).toNanos();
            while (arrived.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(arrived.get()).as("both sent before either was answered").isEqualTo(2);
        } finally {
            held.countDown();
        }

        awaitEvent(id, "DECLARATION_RESUBMISSION_REFUSED");
        assertThat(forwarded.get()).isEqualTo(2);
        assertDecidedByTheFirstSubmission(id);
    }

    /**
     * Accepted, with the accepted submission's MRN, one DECLARATION_SUBMITTED, one refusal of the repeat and no
     * rejection (status, declaration row, plan step and timeline).
     */
    private static void assertDecidedByTheFirstSubmission(String id) throws Exception {
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        Thread.sleep(300); // anything still on its way (nothing should be) lands first
        List<String> types = jdbc.queryForList("select type from transaction_event where transaction_id = ? order by id",
                String.class, id);
        assertThat(types).containsSubsequence("DECLARATION_RECEIVED", "DECLARATION_ACCEPTED")
                .doesNotContain("DECLARATION_REJECTED");
        assertThat(types.stream().filter("DECLARATION_SUBMITTED"::equals).count()).isEqualTo(1);
        assertThat(types.stream().filter("DECLARATION_RESUBMISSION_REFUSED"::equals).count()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select status from trade_transaction where id = ?", String.class, id))
                .isEqualTo(TransactionStatus.DECLARATION_ACCEPTED);
        Map<String, Object> declaration = jdbc.queryForMap("select status, mrn from declaration where transaction_id = ?",
                id);
        String acceptedMrn = JSON.readTree(jdbc.queryForObject("select details from transaction_event where"
                + " transaction_id = ? and type = 'DECLARATION_ACCEPTED'", String.class, id)).get("mrn").asText();
        String refusedMrn = JSON.readTree(jdbc.queryForObject("select details from transaction_event where"
                + " transaction_id = ? and type = 'DECLARATION_RESUBMISSION_REFUSED'", String.class, id))
                .get("mrn").asText();
        assertThat(declaration.get("status")).isEqualTo("ACCEPTED");
        assertThat(declaration.get("mrn")).isEqualTo(acceptedMrn).isNotEqualTo(refusedMrn);
        assertThat(jdbc.queryForObject("select state from plan_step where transaction_id = ? and service = ?",
                String.class, id, Service.EXPORT_DECLARATION.id)).isEqualTo(PlanSteps.ACCEPTED);
    }

    private static void awaitEvent(String transactionId, String type) throws Exception {
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (jdbc.queryForObject("select count(*) from transaction_event where transaction_id = ? and type = ?",
                    Integer.class, transactionId, type) > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + type + " on transaction " + transactionId + ": "
                + jdbc.queryForList("select type from transaction_event where transaction_id = ? order by id",
                String.class, transactionId));
    }
}

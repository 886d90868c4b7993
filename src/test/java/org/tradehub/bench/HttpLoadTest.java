package org.tradehub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's HTTP client against the JDK's HTTP server: what it sends is what a server reads (headers and
 * body, on kept-alive connections), answers of fixed length and chunked are read to their end, and a non-2xx answer
 * counts as a failure with its status and body.
 */
class HttpLoadTest {

    private static HttpServer server;
    private static final Set<String> seenIds = ConcurrentHashMap.newKeySet();
    private static final Set<String> connections = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/fixed", ex -> answer(ex, false));
        server.createContext("/chunked", ex -> answer(ex, true));
        server.createContext("/fail", ex -> {
            ex.getRequestBody().readAllBytes();
            send(ex, 503, "busy".getBytes(StandardCharsets.UTF_8), false);
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** 202 when the body and the id header arrived whole, 400 (a failure for the client) otherwise. */
    private static void answer(HttpExchange ex, boolean chunked) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String id = ex.getRequestHeaders().getFirst("X-Id");
        connections.add(ex.getRemoteAddress().toString());
        boolean whole = id != null && new String(body, StandardCharsets.UTF_8).equals("order " + id);
        if (whole) {
            seenIds.add(id);
        }
        send(ex, whole ? 202 : 400, ("{\"id\":\"" + id + "\"}").repeat(chunked ? 500 : 1).getBytes(StandardCharsets.UTF_8),
                chunked);
    }

    private static void send(HttpExchange ex, int status, byte[] body, boolean chunked) throws IOException {
        ex.sendResponseHeaders(status, chunked ? 0 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static HttpRequest post(String path, long n) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .header("X-Id", Long.toString(n)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("order " + n)).build();
    }

    @Test
    void closedLoopSendsEveryRequestWholeOverKeptAliveConnectionsAndReadsBothAnswerShapes() throws Exception {
        seenIds.clear();
        connections.clear();
        try (HttpLoad load = new HttpLoad()) {
            HttpLoad.Outcome fixed = load.closedLoop(4, Duration.ofMillis(400), n -> post("/fixed", n));
            HttpLoad.Outcome chunked = load.closedLoop(4, Duration.ofMillis(400), n -> post("/chunked", -1 - n));

            assertThat(fixed.failed()).isZero();
            assertThat(chunked.failed()).as(String.valueOf(chunked.firstFailure())).isZero();
            assertThat(fixed.ok()).isGreaterThan(20);
            assertThat(chunked.ok()).isGreaterThan(20);
            assertThat(seenIds).hasSize((int) (fixed.ok() + chunked.ok()));
            // each worker keeps its connection: 4 per run, not one per request
            assertThat(connections).hasSizeLessThanOrEqualTo(8);
            assertThat(fixed.latency().getTotalCount()).isEqualTo(fixed.ok());
        }
    }

    @Test
    void aNonSuccessAnswerIsAFailureWithItsStatusAndBody() throws Exception {
        try (HttpLoad load = new HttpLoad()) {
            HttpLoad.Outcome o = load.closedLoop(2, Duration.ofMillis(200), n -> post("/fail", n));

            assertThat(o.ok()).isZero();
            assertThat(o.failed()).isGreaterThan(0);
            assertThat(o.firstFailure()).isEqualTo("503 busy");
        }
    }

    @Test
    void openLoopSendsAtTheRateAskedAndCountsWhatItSent() throws Exception {
        seenIds.clear();
        AtomicLong sent = new AtomicLong();
        try (HttpLoad load = new HttpLoad()) {
            HttpLoad.Outcome o = load.openLoop(200, 200, Duration.ofSeconds(1), n -> post("/fixed", n), sent);

            assertThat(o.failed()).as(String.valueOf(o.firstFailure())).isZero();
            assertThat(sent.get()).isEqualTo(200);
            assertThat(o.ok()).isEqualTo(200);
            assertThat(seenIds).hasSize(200);
            assertThat(o.seconds()).isBetween(0.9, 5.0);
        }
    }
}

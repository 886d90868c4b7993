package org.tradehub.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A provider on its own HTTP server (JDK), for tests: /quote/{name} answers a configured price after a configured
 * delay (or a status), /requests takes a document with 202 and a provider reference, and keeps what it received.
 */
final class TestProviderPeer implements AutoCloseable {

    record Quote(String price, String currency, long delayMs, int status) {}

    final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The Idempotency-Key of every request that reached the peer, also of those it answered with an error. */
    final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
    /** The Content-Type of every request taken (same order as requests). */
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    /** What /requests answers: 202 (taken), or e.g. 503 while the provider is down. */
    volatile int requestStatus = 202;

    TestProviderPeer(Map<String, Quote> quotes) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/quote/", exchange -> {
            Quote q = quotes.get(exchange.getRequestURI().getPath().substring("/quote/".length()));
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(q.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("{\"price\":\"" + q.price() + "\",\"currency\":\"" + q.currency() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(q.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/requests", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            idempotencyKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            int status = requestStatus;
            if (status != 202) {
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
                return;
            }
            contentTypes.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
            requests.add(new String(body, StandardCharsets.UTF_8));
            exchange.getResponseHeaders().add("X-Provider-Reference", "PEER-" + requests.size());
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

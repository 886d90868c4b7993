package org.tradehub.events;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradehub.support.HubTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A firm's own endpoint receives its transactions' timeline events: signed, in order, retried while it is down, and
 * never another firm's. The endpoint is a real HTTP server (the JDK's) on this machine.
 */
class EventNotificationsTest extends HubTestSupport {

    /** One request as the firm's endpoint received it. */
    record Delivery(Map<String, List<String>> headers, byte[] body, int answered) {
        String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(h -> h.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private HttpServer endpoint;
    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    /** Statuses the endpoint answers with, one per request; 200 once they are used up. */
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    /** How long the endpoint takes to answer 200 (a far-away endpoint); and how many requests it held at once. */
    private volatile long holdMillis;
    private final java.util.concurrent.atomic.AtomicInteger inProgress = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void startEndpoint() throws Exception {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/hooks/trade-hub", exchange -> {
            int now = inProgress.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Integer status = answers.poll();
                int answer = status == null ? 200 : status;
                if (answer == 200 && holdMillis > 0) {
                    Thread.sleep(holdMillis);
                }
                received.add(new Delivery(Map.copyOf(exchange.getRequestHeaders()), body, answer));
                exchange.sendResponseHeaders(answer, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inProgress.decrementAndGet();
                exchange.close();
            }
        });
        // a thread per request, as a real endpoint serves them
        endpoint.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        endpoint.start();
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.stop(0);
    }

    private String endpointUrl() {
        return "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hooks/trade-hub";
    }

    private String subscribe(TestTenant tenant) throws Exception {
        HttpResponse<String> r = call("PUT", "/api/event-subscription", tenant.apiKey(),
                "{\"url\": \"" + endpointUrl() + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String secret = JSON.readTree(r.body()).get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        return secret;
    }

    private static String order(TestTenant tenant, String number) throws Exception {
        String body = new String(resource("manual/order-gb-to-us.json"), StandardCharsets.UTF_8)
                .replace("INV-2026-0042", number);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/api/orders"))
                .header("Authorization", "Bearer " + tenant.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return awaitTransaction(tenant, number, t -> t.get("status").asText().equals("DECLARATION_ACCEPTED"))
                .get("id").asText();
    }

    /** The deliveries the endpoint took (2xx) for one transaction, once the condition holds for them. */
    private List<Delivery> awaitDelivered(String transactionId, Predicate<List<Delivery>> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Delivery> taken = List.of();
        while (System.nanoTime() < deadline) {
            taken = received.stream().filter(d -> d.answered() == 200).filter(d -> d.json().has("transaction"))
                    .filter(d -> d.json().get("transaction").get("id").asText().equals(transactionId)).toList();
            if (condition.test(taken)) {
                return taken;
            }
            Thread.sleep(50);
        }
        return fail("deliveries for " + transactionId + " not as expected; taken: "
                + taken.stream().map(d -> d.json().get("type").asText()).toList());
    }

    private static boolean accepted(List<Delivery> deliveries) {
        return deliveries.stream().anyMatch(d -> d.json().get("type").asText().equals("DECLARATION_ACCEPTED"));
    }

    /** The v1 signatures of the header that match the body under this secret, computed here independently. */
    private static long validSignatures(Delivery d, String secret) throws Exception {
        String header = d.header("X-Hub-Signature");
        assertThat(header).startsWith("t=");
        String t = header.substring(2, header.indexOf(','));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
        String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(d.body()));
        return java.util.Arrays.stream(header.split(",")).filter(expected::equals).count();
    }

    private List<String> timelineTypes(TestTenant tenant, String transactionId) throws Exception {
        List<String> types = new ArrayList<>();
        JSON.readTree(get("/api/transactions/" + transactionId, tenant.apiKey()).body()).get("timeline")
                .forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    @Test
    void theFirmsEndpointGetsEveryEventOfItsOrderSignedAndInOrderAndNothingOfAnotherFirm() throws Exception {
        TestTenant firm = newTenant();
        TestTenant other = newTenant();
        String secret = subscribe(firm);

        String number = "EV-" + UUID.randomUUID().toString().substring(0, 8);
        String id = order(firm, number);
        String othersId = order(other, number);

        List<Delivery> deliveries = awaitDelivered(id, EventNotificationsTest::accepted);
        // every event of the timeline, in the order it was recorded, each once
        List<String> types = deliveries.stream().map(d -> d.json().get("type").asText()).toList();
        assertThat(types).isEqualTo(timelineTypes(firm, id).subList(0, types.size()));
        assertThat(types).startsWith("RECEIVED").contains("VALIDATED", "DECLARATION_SUBMITTED");
        List<Long> ids = deliveries.stream().map(d -> d.json().get("eventId").asLong()).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        for (Delivery d : deliveries) {
            assertThat(validSignatures(d, secret)).as("signed with the firm's secret").isEqualTo(1);
            assertThat(validSignatures(d, "whsec_someone-else")).isZero();
            assertThat(d.header("X-Hub-Event-Id")).isEqualTo(d.json().get("eventId").asText());
            assertThat(d.header("X-Hub-Event-Type")).isEqualTo(d.json().get("type").asText());
            assertThat(d.header("Content-Type")).startsWith("application/json");
            assertThat(d.json().get("tenant").asText()).isEqualTo(firm.id());
            assertThat(d.json().get("transaction").get("externalNumber").asText()).isEqualTo(number);
        }
        Delivery last = deliveries.get(deliveries.size() - 1);
        assertThat(last.json().get("summary").asText()).isNotBlank();

        // the other firm has no endpoint: none of its events went anywhere, and it cannot see this firm's
        assertThat(received).noneMatch(d -> d.json().get("transaction").get("id").asText().equals(othersId));
        assertThat(received).allMatch(d -> d.json().get("tenant").asText().equals(firm.id()));
        assertThat(get("/api/event-subscription", other.apiKey()).statusCode()).isEqualTo(404);

        JsonNode state = JSON.readTree(get("/api/event-subscription", firm.apiKey()).body());
        assertThat(state.get("url").asText()).isEqualTo(endpointUrl());
        assertThat(state.has("secret")).as("the secret is shown once only").isFalse();
        assertThat(state.get("state").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void anEndpointThatFailsGetsTheSameEventsAgainInOrderWithoutHoldingUpAnotherFirm() throws Exception {
        TestTenant firm = newTenant();
        subscribe(firm);
        TestTenant healthy = newTenant();
        HttpServer second = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> secondGot = new CopyOnWriteArrayList<>();
        second.createContext("/", exchange -> {
            secondGot.add(JSON.readTree(exchange.getRequestBody().readAllBytes()).get("type").asText());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        second.start();
        try {
            assertThat(call("PUT", "/api/event-subscription", healthy.apiKey(),
                    "{\"url\": \"http://127.0.0.1:" + second.getAddress().getPort() + "/\"}").statusCode()).isEqualTo(201);
            answers.addAll(List.of(503, 500, 404));

            String id = order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));
            order(healthy, "EV-" + UUID.randomUUID().toString().substring(0, 8));

            List<Delivery> taken = awaitDelivered(id, EventNotificationsTest::accepted);
            List<Delivery> all = received.stream()
                    .filter(d -> d.json().get("transaction").get("id").asText().equals(id)).toList();
            assertThat(all.subList(0, 4)).as("the first event, refused three times, then taken")
                    .extracting(d -> d.json().get("eventId").asLong()).containsOnly(taken.get(0).json().get("eventId").asLong());
            assertThat(taken).extracting(d -> d.json().get("eventId").asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(taken.get(0).json().get("type").asText()).isEqualTo("RECEIVED");
            assertThat(secondGot).as("the other firm's endpoint was served meanwhile").contains("DECLARATION_ACCEPTED");

            JsonNode state = JSON.readTree(get("/api/event-subscription", firm.apiKey()).body());
            assertThat(state.get("state").asText()).isEqualTo("ACTIVE");
            assertThat(state.get("failures").asInt()).isZero();
            assertThat(state.get("lastError").asText()).contains("404");
        } finally {
            second.stop(0);
        }
    }

    @Test
    void aSlowEndpointGetsSeveralTransactionsAtOnceEachInItsOrder() throws Exception {
        TestTenant firm = newTenant();
        subscribe(firm);
        for (int i = 0; i < 1000; i++) {
            answers.add(503); // down while both orders are declared (well within give-up-after): their events wait together
        }
        String first = order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));
        String second = order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));
        holdMillis = 150;
        answers.clear();

        List<Delivery> one = awaitDelivered(first, EventNotificationsTest::accepted);
        List<Delivery> two = awaitDelivered(second, EventNotificationsTest::accepted);
        assertThat(mostAtOnce.get()).as("the two transactions were sent side by side").isGreaterThanOrEqualTo(2);
        for (List<Delivery> transaction : List.of(one, two)) {
            assertThat(transaction).extracting(d -> d.json().get("eventId").asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(transaction.get(0).json().get("type").asText()).isEqualTo("RECEIVED");
        }
    }

    @Test
    void anEndpointDownForTooLongIsDisabledAndSettingItsUrlAgainSendsWhatWaited() throws Exception {
        TestTenant firm = newTenant();
        subscribe(firm);
        for (int i = 0; i < 1000; i++) {
            answers.add(503);
        }
        String id = order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode state = null;
        while (System.nanoTime() < deadline) {
            state = JSON.readTree(get("/api/event-subscription", firm.apiKey()).body());
            if (state.get("state").asText().equals("DISABLED")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(state.get("state").asText()).as(state.toString()).isEqualTo("DISABLED");
        assertThat(state.get("lastError").asText()).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(state.get("pendingEvents").asLong()).isPositive();
        // the operator sees it too, and only with the admin token
        JsonNode troubled = JSON.readTree(get("/admin/event-subscriptions", ADMIN_TOKEN).body()).get("items");
        assertThat(troubled.findValuesAsText("tenant")).contains(firm.id());
        assertThat(get("/admin/event-subscriptions", firm.apiKey()).statusCode()).isEqualTo(401);
        int attempts = received.size();
        Thread.sleep(600);
        assertThat(received).as("a disabled endpoint is not called").hasSize(attempts);

        answers.clear();
        assertThat(call("PUT", "/api/event-subscription", firm.apiKey(),
                "{\"url\": \"" + endpointUrl() + "\"}").statusCode()).as("enabled again, same secret").isEqualTo(200);
        List<Delivery> taken = awaitDelivered(id, d -> !d.isEmpty()
                && d.get(0).json().get("type").asText().equals("RECEIVED"));
        assertThat(taken).extracting(d -> d.json().get("eventId").asLong()).isSorted();
        long awaitDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < awaitDeadline
                && JSON.readTree(get("/api/event-subscription", firm.apiKey()).body()).get("pendingEvents").asLong() > 0) {
            Thread.sleep(50);
        }
        assertThat(JSON.readTree(get("/api/event-subscription", firm.apiKey()).body()).get("state").asText())
                .isEqualTo("ACTIVE");
        assertThat(JSON.readTree(get("/admin/event-subscriptions", ADMIN_TOKEN).body()).get("items")
                .findValuesAsText("tenant")).doesNotContain(firm.id());
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneAndAnEndedSubscriptionGetsNothing() throws Exception {
        TestTenant firm = newTenant();
        String first = subscribe(firm);
        HttpResponse<String> rotated = call("POST", "/api/event-subscription/secret", firm.apiKey(), null);
        assertThat(rotated.statusCode()).isEqualTo(200);
        String second = JSON.readTree(rotated.body()).get("secret").asText();
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);

        String id = order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));
        for (Delivery d : awaitDelivered(id, EventNotificationsTest::accepted)) {
            assertThat(validSignatures(d, second)).isEqualTo(1);
            assertThat(validSignatures(d, first)).as("the old secret still signs for a day").isEqualTo(1);
        }

        assertThat(call("DELETE", "/api/event-subscription", firm.apiKey(), null).statusCode()).isEqualTo(204);
        assertThat(call("DELETE", "/api/event-subscription", firm.apiKey(), null).statusCode()).isEqualTo(404);
        int before = received.size();
        order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));
        Thread.sleep(500);
        assertThat(received).hasSize(before);
    }

    @Test
    void aFirmThatNamesEventTypesGetsOnlyThoseUntilItAsksForEveryType() throws Exception {
        TestTenant firm = newTenant();
        HttpResponse<String> r = call("PUT", "/api/event-subscription", firm.apiKey(), "{\"url\": \"" + endpointUrl()
                + "\", \"eventTypes\": [\"DECLARATION_*\", \"REJECTED\", \"DECLARATION_ACCEPTED\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(JSON.readTree(r.body()).get("eventTypes")).extracting(JsonNode::asText)
                .containsExactly("DECLARATION_*", "REJECTED", "DECLARATION_ACCEPTED");

        String id = order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));
        List<String> types = awaitDelivered(id, EventNotificationsTest::accepted).stream()
                .map(d -> d.json().get("type").asText()).toList();
        List<String> wanted = timelineTypes(firm, id).stream()
                .filter(t -> t.startsWith("DECLARATION_") || t.equals("REJECTED")).toList();
        assertThat(types).as("nothing but the types named").allMatch(t -> t.startsWith("DECLARATION_") || t.equals("REJECTED"));
        assertThat(types).as("the declaration's events, each once").isEqualTo(wanted.subList(0,
                types.size())).contains("DECLARATION_SUBMITTED", "DECLARATION_ACCEPTED");
        assertThat(timelineTypes(firm, id)).as("the timeline itself keeps every event").contains("RECEIVED", "VALIDATED");
        assertThat(JSON.readTree(get("/api/event-subscription", firm.apiKey()).body()).get("eventTypes"))
                .extracting(JsonNode::asText).containsExactlyInAnyOrder("DECLARATION_*", "DECLARATION_ACCEPTED", "REJECTED");

        // a PUT sets the whole subscription: without eventTypes, every type again
        HttpResponse<String> widened = call("PUT", "/api/event-subscription", firm.apiKey(),
                "{\"url\": \"" + endpointUrl() + "\"}");
        assertThat(widened.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(get("/api/event-subscription", firm.apiKey()).body()).get("eventTypes").isNull()).isTrue();
        String next = order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(awaitDelivered(next, EventNotificationsTest::accepted).get(0).json().get("type").asText())
                .isEqualTo("RECEIVED");

        // the list a filter chooses from, with what each type means
        JsonNode catalogue = JSON.readTree(get("/api/event-types", firm.apiKey()).body()).get("items");
        assertThat(catalogue.findValuesAsText("type")).contains("RECEIVED", "DECLARATION_ACCEPTED", "GOODS_EXITED")
                .containsAll(timelineTypes(firm, id));
        assertThat(catalogue.get(0).get("meaning").asText()).isNotBlank();
        assertThat(get("/api/event-types", "wrong-key").statusCode()).isEqualTo(401);
    }

    @Test
    void aFilterThatNamesNoEventTypeIsRefusedAndTheSubscriptionStaysAsItWas() throws Exception {
        TestTenant firm = newTenant();
        subscribe(firm);
        String url = endpointUrl();
        Map<String, String> refused = Map.of(
                "[]", "name at least one",
                "[\"DECLARATION_ACEPTED\"]", "'DECLARATION_ACEPTED' names no event type",
                "[\"NOTHING_LIKE_THIS*\"]", "'NOTHING_LIKE_THIS*' names no event type",
                "[\"declaration_accepted\"]", "is not an event type",
                "[\"DECLARATION_%\"]", "is not an event type",
                "[1]", "as strings",
                "\"DECLARATION_ACCEPTED\"", "must be a list",
                "[" + String.join(",", java.util.Collections.nCopies(65, "\"RECEIVED\"")) + "]", "more than 64");
        for (Map.Entry<String, String> filter : refused.entrySet()) {
            HttpResponse<String> r = call("PUT", "/api/event-subscription", firm.apiKey(),
                    "{\"url\": \"" + url + "\", \"eventTypes\": " + filter.getKey() + "}");
            assertThat(r.statusCode()).as(filter.getKey()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(r.body()).get("detail").asText()).as(filter.getKey()).contains(filter.getValue());
        }
        assertThat(JSON.readTree(get("/api/event-subscription", firm.apiKey()).body()).get("eventTypes").isNull())
                .as("unchanged: every type").isTrue();
        HttpResponse<String> star = call("PUT", "/api/event-subscription", firm.apiKey(),
                "{\"url\": \"" + url + "\", \"eventTypes\": [\"*\"]}");
        assertThat(JSON.readTree(star.body()).get("eventTypes").isNull()).as("* is every type").isTrue();
    }

    @Test
    void aTestEventTellsTheFirmWhetherItsEndpointTakesSignedEvents() throws Exception {
        TestTenant firm = newTenant();
        assertThat(call("POST", "/api/event-subscription/ping", firm.apiKey(), null).statusCode())
                .as("no endpoint yet").isEqualTo(404);
        String secret = subscribe(firm);

        HttpResponse<String> ok = call("POST", "/api/event-subscription/ping", firm.apiKey(), null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(ok.body());
        assertThat(result.get("delivered").asBoolean()).isTrue();
        assertThat(result.get("status").asInt()).isEqualTo(200);
        assertThat(result.get("error").isNull()).isTrue();
        Delivery ping = received.get(received.size() - 1);
        assertThat(ping.json().get("type").asText()).isEqualTo("PING");
        assertThat(ping.json().get("tenant").asText()).isEqualTo(firm.id());
        assertThat(ping.json().has("transaction")).isFalse();
        assertThat(ping.header("X-Hub-Event-Id")).isEqualTo(ping.json().get("eventId").asText()).startsWith("ping_");
        assertThat(validSignatures(ping, secret)).isEqualTo(1);

        answers.add(500);
        JsonNode failed = JSON.readTree(call("POST", "/api/event-subscription/ping", firm.apiKey(), null).body());
        assertThat(failed.get("delivered").asBoolean()).isFalse();
        assertThat(failed.get("status").asInt()).isEqualTo(500);
        assertThat(failed.get("error").asText()).isEqualTo("HTTP 500 Internal Server Error");
        assertThat(JSON.readTree(get("/api/event-subscription", firm.apiKey()).body()).get("failures").asInt())
                .as("a test event does not count as a failed delivery").isZero();
    }

    @Test
    void aFailingEndpointThatTakesATestEventGetsWhatWaitedAtOnce() throws Exception {
        TestTenant firm = newTenant();
        subscribe(firm);
        // failing, its next attempt an hour away: the order's events wait
        jdbc.update("update event_subscription set failures = 5, failing_since = ?, next_attempt_at = ?,"
                + " last_error = 'HTTP 503' where tenant_id = ?", java.sql.Timestamp.from(clock.instant()),
                java.sql.Timestamp.from(clock.instant().plus(Duration.ofHours(1))), firm.id());
        String id = order(firm, "EV-" + UUID.randomUUID().toString().substring(0, 8));
        Thread.sleep(500);
        assertThat(received).as("nothing before the next attempt").isEmpty();
        assertThat(JSON.readTree(get("/api/event-subscription", firm.apiKey()).body()).get("pendingEvents").asLong())
                .isPositive();

        assertThat(JSON.readTree(call("POST", "/api/event-subscription/ping", firm.apiKey(), null).body())
                .get("delivered").asBoolean()).isTrue();
        awaitDelivered(id, EventNotificationsTest::accepted);
        JsonNode state = JSON.readTree(get("/api/event-subscription", firm.apiKey()).body());
        assertThat(state.get("state").asText()).as("a delivered event ends the failing state").isEqualTo("ACTIVE");
    }

    @Test
    void aUrlThatIsNotAnHttpEndpointIsRefused() throws Exception {
        TestTenant firm = newTenant();
        for (String url : List.of("ftp://example.com/x", "https://user:pw@example.com/x", "not a url",
                "https://example.com/x#frag", "https://no-such-host.invalid/x")) {
            HttpResponse<String> r = call("PUT", "/api/event-subscription", firm.apiKey(), "{\"url\": \"" + url + "\"}");
            assertThat(r.statusCode()).as(url).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        HttpResponse<String> notJson = call("PUT", "/api/event-subscription", firm.apiKey(), "{\"url\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not valid JSON");
        assertThat(call("PUT", "/api/event-subscription", firm.apiKey(), "{}").statusCode()).as("no url").isEqualTo(400);
        assertThat(call("PUT", "/api/event-subscription", "wrong-key", "{\"url\": \"" + endpointUrl() + "\"}")
                .statusCode()).isEqualTo(401);
        assertThat(get("/api/event-subscription", firm.apiKey()).statusCode()).isEqualTo(404);
    }
}

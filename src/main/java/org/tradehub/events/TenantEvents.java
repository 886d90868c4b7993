package org.tradehub.events;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Queue;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.tradehub.intake.WebhookGuard;
import org.tradehub.ledger.Ledger;
import org.tradehub.web.HubProblemException;

/**
 * Event notifications: every timeline event of a subscribed tenant's transactions is POSTed to the firm's own
 * endpoint as JSON, signed with the tenant's secret (README: Event notifications).
 *
 * <p>The ledger writes each event into event_outbox in the transaction that records it ({@code Ledger.addEvent}).
 * {@link #deliverDue()} (route out-tenant-events, on one instance of the cluster at a time) sends each tenant's
 * waiting events, each transaction's in the order they were recorded, and deletes each once the endpoint answered
 * 2xx. An endpoint
 * that fails holds back only its own tenant's events: it is tried again later with a growing delay
 * ({@link EventSubscriptions#failed}) while every other tenant's events go on; after hub.events.give-up-after it is
 * disabled. Why not a queue with the hub's error policy, as every other delivery: that policy retries for about a
 * minute on the consumer's thread, then parks; a firm's endpoint can be down for a day, and a few dead endpoints
 * would hold every consumer and with them every other firm's events.
 *
 * <p>At least once: an event is sent again when the hub stops between the endpoint's 2xx and the delete, or when the
 * endpoint answers after the response timeout. Receivers de-duplicate on {@code eventId} (also X-Hub-Event-Id).
 */
@Component("tenantEvents")
public class TenantEvents {

    private static final Logger LOG = LoggerFactory.getLogger(TenantEvents.class);
    /** What is read of an endpoint's answer; the rest is not waited for (the connection is dropped instead). */
    private static final int ANSWER_BYTES_READ = 65536;
    /** How long one tenant keeps a delivery thread before it is another tenant's turn. */
    private static final java.time.Duration ROUND = java.time.Duration.ofSeconds(2);

    private final JdbcTemplate jdbc;
    private final Ledger ledger;
    private final ObjectMapper json;
    private final EventSubscriptions subscriptions;
    private final EndpointGuard guard;
    private final EventsProperties config;
    private final CloseableHttpClient http;
    private final ExecutorService pool;
    private final ExecutorService lanes;
    private final Counter delivered;
    private final Counter failedAttempts;
    private final Counter disabled;
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public TenantEvents(JdbcTemplate jdbc, Ledger ledger, ObjectMapper json, EventSubscriptions subscriptions,
                        EndpointGuard guard, EventsProperties config, CamelContext camel, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.json = json;
        this.subscriptions = subscriptions;
        this.guard = guard;
        this.config = config;
        this.delivered = meters.counter("hub.events.deliveries", "outcome", "delivered");
        this.failedAttempts = meters.counter("hub.events.deliveries", "outcome", "failed");
        this.disabled = Counter.builder("hub.events.endpoints.disabled")
                .description("Event endpoints disabled after failing for hub.events.give-up-after").register(meters);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        // every connection, redirects and later DNS answers included, is held to the address rule
                        .setDnsResolver(guard.resolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(config.connectTimeoutMs()))
                                .setSocketTimeout(Timeout.ofMilliseconds(config.responseTimeoutMs()))
                                .build())
                        .setMaxConnTotal(config.concurrentTenants() * config.lanesPerTenant())
                        .setMaxConnPerRoute(config.lanesPerTenant())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofMilliseconds(config.responseTimeoutMs())).build())
                // a 3xx is an answer like any other that is not 2xx: the firm fixes its URL
                .disableRedirectHandling()
                // one retry policy only: ours
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("trade-hub-events/1")
                .build();
        this.pool = camel.getExecutorServiceManager().newFixedThreadPool(this, "tenant-events",
                config.concurrentTenants());
        // each tenant's thread runs one lane itself and borrows the others here
        this.lanes = camel.getExecutorServiceManager().newFixedThreadPool(this, "tenant-event-lanes",
                Math.max(1, config.concurrentTenants() * (config.lanesPerTenant() - 1)));
    }

    @PreDestroy
    void close() throws IOException {
        http.close();
    }

    /**
     * Hands every tenant with events due to a delivery thread, unless one is delivering its events already (one
     * round per tenant at a time: no event sent twice at once, none overtaking an earlier one of its transaction).
     * Returns at once: a slow endpoint delays only its own tenant's next round.
     */
    public void deliverDue() {
        for (String tenant : subscriptions.due()) {
            if (!inFlight.add(tenant)) {
                continue;
            }
            try {
                pool.execute(() -> {
                    try {
                        deliver(tenant);
                    } catch (RuntimeException e) {
                        LOG.warn("Delivering the events of tenant {} failed: {}", tenant, e.toString());
                    } finally {
                        inFlight.remove(tenant);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                inFlight.remove(tenant); // stopping
            }
        }
    }

    /**
     * The tenant's waiting events: each transaction's in order, up to hub.events.lanes-per-tenant transactions at
     * once (an endpoint on the other side of the world answers in a few hundred milliseconds; one event at a time
     * would let a day's file drop take hours). The round ends when an event fails (the transactions in progress
     * finish their current event, no other starts), a batch is sent or it has taken {@link #ROUND}: then the thread
     * goes to the next tenant waiting for one, and this tenant's rest follows in a later round.
     */
    void deliver(String tenant) {
        EventSubscriptions.Subscription s = subscriptions.forDelivery(tenant).orElse(null);
        if (s == null || s.disabledAt() != null) {
            return;
        }
        URI url;
        try {
            url = guard.check(s.url());
        } catch (HubProblemException e) {
            failed(s, e.getMessage());
            return;
        }
        Queue<List<Waiting>> transactions = new ConcurrentLinkedQueue<>(waiting(tenant).stream()
                .collect(Collectors.groupingBy(Waiting::transactionId, LinkedHashMap::new, Collectors.toList()))
                .values());
        long until = System.nanoTime() + ROUND.toNanos();
        AtomicReference<String> error = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        Runnable lane = () -> {
            List<Waiting> events;
            while (error.get() == null && System.nanoTime() < until && (events = transactions.poll()) != null) {
                for (Waiting event : events) {
                    if (error.get() != null) {
                        break; // another lane failed: the endpoint is likely down, this transaction's rest waits too
                    }
                    String failure = post(url, s.secrets(), Long.toString(event.id()), event.type(), event.body())
                            .failure();
                    if (failure != null) {
                        LOG.info("Event {} of tenant {} not delivered to {}: {}", event.id(), tenant, url, failure);
                        error.compareAndSet(null, failure);
                        break; // this transaction's later events wait: its order is kept
                    }
                    jdbc.update("delete from event_outbox where event_id = ?", event.id());
                    delivered.increment();
                    sent.incrementAndGet();
                }
            }
        };
        List<Future<?>> running = new ArrayList<>();
        for (int i = 1; i < Math.min(config.lanesPerTenant(), transactions.size()); i++) {
            running.add(lanes.submit(lane));
        }
        lane.run();
        for (Future<?> other : running) {
            try {
                other.get();
            } catch (ExecutionException e) {
                error.compareAndSet(null, e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (error.get() != null) {
            failed(s, error.get());
        } else if (s.failures() > 0 && sent.get() > 0) {
            subscriptions.succeeded(tenant);
        }
    }

    private void failed(EventSubscriptions.Subscription s, String error) {
        failedAttempts.increment();
        if (subscriptions.failed(s, error)) {
            disabled.increment();
            LOG.warn("The event endpoint of tenant {} ({}) failed for {} and is disabled until its URL is set again;"
                    + " last error: {}", s.tenantId(), s.url(), config.giveUpAfter(), error);
        }
    }

    /** An event waiting for its tenant's endpoint, as the endpoint receives it. */
    private record Waiting(long id, String transactionId, String type, byte[] body) {}

    /** The tenant's next events, oldest first, each with its transaction as it stands now. */
    private List<Waiting> waiting(String tenant) {
        return jdbc.query("select o.event_id, e.type, e.occurred_at, e.summary, e.details, e.transaction_id,"
                + " t.external_id, t.external_number, t.source_channel, t.status"
                + " from event_outbox o join transaction_event e on e.id = o.event_id"
                + " join trade_transaction t on t.id = e.transaction_id"
                + " where o.tenant_id = ? order by o.event_id limit ?", (rs, i) -> {
                    long eventId = rs.getLong(1);
                    Map<String, Object> transaction = new LinkedHashMap<>();
                    transaction.put("id", rs.getString(6));
                    transaction.put("externalId", rs.getString(7));
                    transaction.put("externalNumber", rs.getString(8));
                    transaction.put("channel", rs.getString(9));
                    transaction.put("status", rs.getString(10));
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("eventId", eventId);
                    event.put("type", rs.getString(2));
                    event.put("occurredAt", rs.getTimestamp(3).toInstant().toString());
                    event.put("summary", rs.getString(4));
                    String details = rs.getString(5);
                    try {
                        event.put("details", details == null ? null : json.readTree(details));
                        event.put("tenant", tenant);
                        event.put("transaction", transaction);
                        return new Waiting(eventId, rs.getString(6), rs.getString(2), json.writeValueAsBytes(event));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("event " + eventId + " has details that are not JSON", e);
                    }
                }, tenant, config.batch());
    }

    /**
     * What became of a test event ({@code POST /api/event-subscription/ping}): {@code status} the endpoint's HTTP
     * status (null without an answer), {@code error} what went wrong (null when delivered).
     */
    public record Ping(boolean delivered, Integer status, String error, long tookMs) {}

    /**
     * Sends the tenant's endpoint a signed PING at once, on the caller's thread, so that the firm sees whether its
     * endpoint takes and checks the hub's events. It changes nothing of the subscription's retries but this: a failing
     * endpoint that takes the PING gets its waiting events at once instead of after the back-off. Empty: no
     * subscription.
     */
    public Optional<Ping> ping(String tenant) {
        EventSubscriptions.Subscription s = subscriptions.forDelivery(tenant).orElse(null);
        if (s == null) {
            return Optional.empty();
        }
        URI url = guard.check(s.url());
        String id = "ping_" + UUID.randomUUID();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", id);
        event.put("type", "PING");
        event.put("occurredAt", ledger.now().toString());
        event.put("summary", "A test event, sent when asked for (POST /api/event-subscription/ping). It belongs to no"
                + " transaction; answer it with 2xx.");
        event.put("tenant", tenant);
        long start = System.nanoTime();
        Outcome outcome;
        try {
            outcome = post(url, s.secrets(), id, "PING", json.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        if (outcome.failure() == null) {
            subscriptions.tryNow(tenant);
        }
        return Optional.of(new Ping(outcome.failure() == null, outcome.status(), outcome.failure(), tookMs));
    }

    /** An endpoint's answer to one POST: its status (null without one) and, unless 2xx, what went wrong. */
    private record Outcome(Integer status, String failure) {}

    /** POSTs one event; the failure is null when the endpoint took it (2xx). */
    private Outcome post(URI url, List<String> secrets, String eventId, String type, byte[] body) {
        HttpPost post = new HttpPost(url);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        post.setHeader("X-Hub-Event-Id", eventId);
        post.setHeader("X-Hub-Event-Type", type);
        post.setHeader("X-Hub-Signature", signature(secrets, ledger.now().getEpochSecond(), body));
        try (ClassicHttpResponse response = http.executeOpen(null, post, null)) {
            int status = response.getCode();
            if (response.getEntity() != null) {
                try (InputStream answer = response.getEntity().getContent()) {
                    // a short answer is read so the connection can serve the next event; a long one is cut off
                    if (answer.readNBytes(ANSWER_BYTES_READ).length == ANSWER_BYTES_READ) {
                        post.abort();
                    }
                }
            }
            return new Outcome(status, status / 100 == 2 ? null : "HTTP " + status
                    + (response.getReasonPhrase() == null ? "" : " " + response.getReasonPhrase()));
        } catch (IOException e) {
            return new Outcome(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." followed by the body>}, one v1 per secret that signs now
     * (two during a rotation). The time is signed with the body, so a captured delivery cannot be played again later:
     * receivers refuse a t far from their clock.
     */
    static String signature(List<String> secrets, long timestamp, byte[] body) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        StringBuilder header = new StringBuilder("t=").append(timestamp);
        for (String secret : secrets) {
            header.append(",v1=").append(HexFormat.of().formatHex(
                    WebhookGuard.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), signed)));
        }
        return header.toString();
    }

}

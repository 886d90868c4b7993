package org.tradehub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import org.tradehub.intake.WebhookGuard;

/**
 * What a scenario works with: the mode (smoke for CI, full for the real figures), the hub process, its broker,
 * the HTTP load generator, the output folder, and the Shopify webhook a shop would send.
 */
public final class Bench {

    /** The Shopify sample order (API 2024-07); each request gets its own order id and webhook id. */
    private static final String SAMPLE_ORDER = "src/test/resources/webhooks/shopify/orders-create-2024-07.json";
    private static final String SAMPLE_ORDER_ID = "820982911946154508";

    private final boolean smoke;
    private final Path repo;
    private final Path out;
    private final HubProcess hub;
    private final BrokerAdmin broker;
    private final HttpLoad load;
    private final String orderTemplate;
    private final byte[] shopifySecret;
    private volatile double peakHeapBytes;

    Bench(boolean smoke, Path repo, Path out, HubProcess hub, BrokerAdmin broker, HttpLoad load) throws IOException {
        this.smoke = smoke;
        this.repo = repo;
        this.out = out;
        this.hub = hub;
        this.broker = broker;
        this.load = load;
        this.orderTemplate = Files.readString(repo.resolve(SAMPLE_ORDER), StandardCharsets.UTF_8);
        this.shopifySecret = hub.sandboxCredentials().getProperty("SHOPIFY_WEBHOOK_SECRET")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Smoke: seconds per scenario, for the CI regression guard. Full: the targets' durations. */
    public boolean smoke() {
        return smoke;
    }

    /** Measured duration: the smoke duration in smoke mode, else the full one (override: -Dbench.seconds=N). */
    public Duration seconds(int smokeSeconds, int fullSeconds) {
        Integer forced = Integer.getInteger("bench.seconds");
        return Duration.ofSeconds(forced != null && !smoke ? forced : smoke ? smokeSeconds : fullSeconds);
    }

    public Path repo() {
        return repo;
    }

    public Path out() {
        return out;
    }

    public HubProcess hub() {
        return hub;
    }

    public BrokerAdmin broker() {
        return broker;
    }

    public HttpLoad load() {
        return load;
    }

    public CpuMeter cpu() {
        return new CpuMeter(hub.pid());
    }

    /** The Shopify order body with order id {@code orderId} (a distinct source order per id). */
    public byte[] shopifyOrder(long orderId) {
        return orderTemplate.replace(SAMPLE_ORDER_ID, Long.toString(orderId)).getBytes(StandardCharsets.UTF_8);
    }

    /** A signed orders/create webhook for the sandbox tenant, with a fresh webhook id. */
    public HttpRequest shopifyWebhook(byte[] body, String signature) {
        return HttpRequest.newBuilder(URI.create(hub.base() + "/webhooks/shopify/demo"))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", "orders/create")
                .header("X-Shopify-Shop-Domain", "bench.myshopify.com")
                .header("X-Shopify-API-Version", "2024-07")
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Hmac-Sha256", signature)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    public String sign(byte[] body) {
        return Base64.getEncoder().encodeToString(WebhookGuard.hmacSha256(shopifySecret, body));
    }

    /** Highest heap use of the hub sampled so far (the suite samples every 2 s). */
    public double peakHeapBytes() {
        return peakHeapBytes;
    }

    void sampleHeap() {
        try {
            peakHeapBytes = Math.max(peakHeapBytes, hub.memory().get("heapUsedBytes"));
        } catch (Exception e) {
            // a missed sample
        }
    }

    /** Writes a raw data file (time series, histogram) next to the report. */
    public Path writeRaw(String name, String content) throws IOException {
        Path file = out.resolve("raw").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}

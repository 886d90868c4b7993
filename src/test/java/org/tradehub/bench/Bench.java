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
    /** The benchmark's own tenant (see {@link #onboardTenant()}). */
    public static final String TENANT = "bench";

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
        this.shopifySecret = ("bench-shopify-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        onboardTenant();
    }

    /**
     * Onboards the benchmark's tenant as an operator and a firm would, through the admin and tenant APIs: a GB
     * exporter with the sample order's products in its catalogue and no services beyond the export declaration, so
     * the end-to-end scenario runs exactly webhook -> canonical -> ledger -> declaration -> single window -> accepted.
     * (The sandbox's demo tenant also subscribes to five provider services: ten more HTTP exchanges per order.)
     */
    private void onboardTenant() throws IOException {
        String admin = "Bearer " + HubProcess.ADMIN_TOKEN;
        String created = call("POST", "/admin/tenants", admin,
                "{\"id\":\"" + TENANT + "\",\"name\":\"Benchmark Exports Ltd\"}");
        String apiKey = "Bearer " + new com.fasterxml.jackson.databind.ObjectMapper().readTree(created).get("apiKey").asText();
        call("PUT", "/admin/tenants/" + TENANT + "/webhook-secrets/shopify", admin,
                "{\"secret\":\"" + new String(shopifySecret, StandardCharsets.UTF_8) + "\"}");
        call("PUT", "/api/profile", apiKey, """
                {"legalName":"Benchmark Exports Ltd","eori":"GB427168118378","addressLine":"1 Harbour Road",
                 "city":"Dover","postcode":"CT17 9BU","countryCode":"GB","declarantEori":"GB427168118378",
                 "badgeIdentifier":"BENCH1","exitOfficeId":"GB000040","goodsLocationName":"DVRDOVDVR",
                 "procedureCode":"1040","borderTransportModeCode":"1"}""");
        for (String[] p : new String[][] {{"SKU2006-001", "90041091", "IT", "0.1"},
                {"SKU2006-020", "94016100", "GB", "1.0"}, {"SKU2006-035", "94036010", "GB", "0.5"}}) {
            call("PUT", "/api/products/" + p[0], apiKey, "{\"hsCode\":\"" + p[1] + "\",\"originCountry\":\"" + p[2]
                    + "\",\"netMassKg\":\"" + p[3] + "\"}");
        }
    }

    private String call(String method, String path, String authorization, String json) throws IOException {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(hub.base() + path)).header("Authorization", authorization)
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The same benchmark on another hub (another database, say), with the benchmark's tenant onboarded there. */
    public Bench on(HubProcess other, BrokerAdmin otherBroker) throws IOException {
        return new Bench(smoke, repo, out, other, otherBroker, load);
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

    /** A signed orders/create webhook for the benchmark's tenant, with a fresh webhook id. */
    public HttpRequest shopifyWebhook(byte[] body, String signature) {
        return HttpRequest.newBuilder(URI.create(hub.base() + "/webhooks/shopify/" + TENANT))
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

package org.tradehub.bench.scenario;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tradehub.bench.Bench;
import org.tradehub.bench.CpuMeter;
import org.tradehub.bench.HttpLoad;
import org.tradehub.bench.Result;
import org.tradehub.bench.Scenario;

/**
 * Webhook intake: signed Shopify orders/create webhooks (HMAC check, delivery de-duplication by Artemis, durable
 * enqueue with the journal synced, 202), closed loop with {@value #CONCURRENCY} requests in flight. Baseline: the
 * bare route bench/routes/bench-baseline-intake.yaml (HTTP in, persistent JMS send, 202) in the same hub process,
 * measured in alternating slices with the intake so both see the same machine.
 *
 * <p>The intake stage's consumer is paused while this runs (the queue is purged between slices): this scenario
 * measures the intake alone; {@link EndToEndScenario} measures the whole pipeline.
 */
public class WebhookIntakeScenario implements Scenario {

    static final String ORDERS_QUEUE = "hub.orders.received";
    private static final String BASELINE_QUEUE = "bench.baseline.intake";
    private static final int CONCURRENCY = 32;

    @Override
    public String id() {
        return "webhook-intake";
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public List<Result> run(Bench bench) throws Exception {
        HttpLoad load = bench.load();
        byte[] body = bench.shopifyOrder(1);
        String signature = bench.sign(body);
        URI baselineUri = URI.create(bench.hub().base() + "/bench/baseline/intake");
        java.util.function.LongFunction<HttpRequest> intake = n -> bench.shopifyWebhook(body, signature);
        java.util.function.LongFunction<HttpRequest> baseline = n -> HttpRequest.newBuilder(baselineUri)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        bench.broker().pause(ORDERS_QUEUE);
        // neither queue is consumed here: keep them short so the broker neither pages nor fills the heap
        AutoCloseable purger = bench.broker().keepEmpty(ORDERS_QUEUE, BASELINE_QUEUE);
        try {
            Duration warm = bench.seconds(1, 10);
            load.closedLoop(CONCURRENCY, warm, baseline);
            load.closedLoop(CONCURRENCY, warm, intake);

            int slices = bench.smoke() ? 2 : 4;
            Duration slice = bench.seconds(3, 60).dividedBy(slices);
            HttpLoad.Outcome base = null;
            HttpLoad.Outcome hub = null;
            CpuMeter.Usage baseCpu = null;
            CpuMeter.Usage hubCpu = null;
            for (int i = 0; i < slices; i++) {
                CpuMeter m = bench.cpu().start();
                HttpLoad.Outcome b = load.closedLoop(CONCURRENCY, slice, baseline);
                baseCpu = m.stop();
                m = bench.cpu().start();
                HttpLoad.Outcome h = load.closedLoop(CONCURRENCY, slice, intake);
                hubCpu = m.stop();
                base = base == null ? b : base.plus(b);
                hub = hub == null ? h : hub.plus(h);
            }
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("concurrency", CONCURRENCY);
            raw.putAll(hub.raw("intake"));
            raw.putAll(base.raw("baseline"));
            raw.putAll(hubCpu.raw());
            StringBuilder hgrm = new StringBuilder("# intake latency (ms)\n");
            hub.latency().outputPercentileDistribution(new java.io.PrintStream(new StringOutputStream(hgrm)), 1000.0);
            hgrm.append("\n# baseline latency (ms)\n");
            base.latency().outputPercentileDistribution(new java.io.PrintStream(new StringOutputStream(hgrm)), 1000.0);
            bench.writeRaw("webhook-intake-latency.hgrm", hgrm.toString());

            boolean met = hub.perSecond() >= 2000 && hub.p(99) < 50 && hub.failed() == 0
                    && hub.perSecond() >= 0.5 * base.perSecond();
            String limit = hubCpu.describe() + (hubCpu.saturated()
                    ? "; CPU-bound" : "; not CPU-bound: waiting on journal fsync (see the JFR notes in the report)")
                    + String.format("; intake p99 %.1f ms vs baseline p99 %.1f ms", hub.p(99), base.p(99));
            if (baseCpu.saturated() != hubCpu.saturated()) {
                limit += "; baseline slices: " + baseCpu.describe();
            }
            Result r = Result.ratio(id(), "Webhook intake (HMAC, de-duplication, durable enqueue, 202), "
                            + CONCURRENCY + " in flight", hub.perSecond(), "orders/s", base.perSecond(),
                    "bare route HTTP -> durable JMS send -> 202", ">= 2000/s for 60 s, p99 < 50 ms, >= 0.5 x baseline",
                    met, 0.25, limit, raw);
            return List.of(hub.failed() > 0 || base.failed() > 0
                    ? r.failing(hub.failed() + base.failed() + " requests failed, first: "
                            + (hub.firstFailure() != null ? hub.firstFailure() : base.firstFailure()))
                    : r);
        } finally {
            purger.close();
            bench.broker().resume(ORDERS_QUEUE);
        }
    }

    /** PrintStream target for HdrHistogram's text output. */
    static final class StringOutputStream extends java.io.OutputStream {
        private final StringBuilder sb;

        StringOutputStream(StringBuilder sb) {
            this.sb = sb;
        }

        @Override
        public void write(int b) {
            sb.append((char) b);
        }
    }
}

package org.tradehub.bench.scenario;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.tradehub.bench.Bench;
import org.tradehub.bench.CpuMeter;
import org.tradehub.bench.HttpLoad;
import org.tradehub.bench.Result;
import org.tradehub.bench.Scenario;
import org.tradehub.bench.StageCpu;

/**
 * End to end: signed Shopify webhooks at a fixed rate (open loop), each a distinct order of the benchmark's tenant
 * (an exporter with no provider services, onboarded through the APIs: see {@link Bench}), through intake ->
 * canonical mapping and validation -> ledger -> DMS export declaration -> the sandbox single window over HTTP ->
 * DMSRCV and DMSACC pushed back -> DECLARATION_ACCEPTED on the timeline. Counted by the hub's own metric
 * hub_declaration_notifications_total{event="DECLARATION_ACCEPTED"}; the backlog (sent minus accepted, and the
 * depths of the stage queues) is sampled every second. The sustained rate is the accepted rate over the last two
 * thirds of the window: equal to the offered rate when the hub keeps up, the pipeline's capacity when it does not
 * (then the backlog grows). Baseline: the bare intake route, measured just before.
 */
public class EndToEndScenario implements Scenario {

    private static final String DECLARATIONS_QUEUE = "hub.declarations.gb-cds";
    /** Orders per second the hub must sustain. */
    private static final double TARGET = 500;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final String ACCEPTED = "hub_declaration_notifications_total";
    /** Orders per second while warming up: about what the pipeline takes on this machine, so little is left to drain. */
    private static final double WARM_RATE = 50;
    /** The warm-up goes on in slices of this while the JIT compiler takes more than {@link #SETTLED_JIT}... */
    private static final Duration WARM_SLICE = Duration.ofSeconds(10);
    /** ... of the machine's CPU (a tenth of a core on two) ... */
    private static final double SETTLED_JIT = 0.05;
    /**
     * ... for at most this many slices (up to 4 minutes of warm-up in all): on a slow machine 120 s was not enough (the
     * JIT compiler still took 35% of the machine in the last slice, 14.6 of the 36.8 ms an order cost), 180 s was (4%).
     */
    private static final int MAX_WARM_SLICES = 21;

    @Override
    public String id() {
        return "end-to-end";
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public List<Result> run(Bench bench) throws Exception {
        double rate = Double.parseDouble(System.getProperty("bench.e2e.rate", bench.smoke() ? "150" : "500"));
        Duration window = bench.seconds(8, 60);
        HttpLoad.Outcome baseline = baseline(bench);

        // Warm the pipeline before counting: templates compiled, connections open, and the JIT done with the stages'
        // code. A hub runs for days; measured with JFR, a 2-second warm-up left the C2 compiler busy with these paths
        // for minutes, taking about 40% of the two cores during the window. The full run warms for 30 s at a rate the
        // pipeline can take, then goes on 10 s at a time while the JIT compiler still takes a tenth of a core or more
        // (after 30 s it took a quarter of the machine: some 35,000 methods, none recompiled), at most 210 s more;
        // then it waits for the pipeline to drain, so the window starts on an idle hub that has compiled its code.
        long idBase = System.currentTimeMillis() * 1000;
        AtomicLong warmIds = new AtomicLong();
        java.util.function.LongFunction<HttpRequest> warmOrder = n -> order(bench, idBase + 900_000_000
                + warmIds.incrementAndGet());
        double warmRate = bench.smoke() ? 20 : Math.min(rate, WARM_RATE);
        double beforeWarm = accepted(bench);
        Duration firstWarm = bench.seconds(2, 30);
        long warmed = bench.load().openLoop(warmRate, 200, firstWarm, warmOrder, new AtomicLong()).ok();
        int warmSlices = 0;
        double warmJit = Double.NaN;
        // The last warm slice also tells what an order costs the hub, stage by stage: each stage's CPU over the
        // slice divided by the orders accepted in it (the pipeline's completions; equal to those sent when it keeps
        // up), on code the JIT has (nearly) done compiling. The window cannot tell it: there the webhooks come faster
        // than the later stages go.
        Map<String, Double> cpuPerOrder = null;
        double[] sliceSentAccepted = null;
        while (!bench.smoke() && warmSlices < MAX_WARM_SLICES && !(warmJit < SETTLED_JIT)) {
            StageCpu stages0 = StageCpu.take(bench.hub().pid());
            double sliceAccepted0 = accepted(bench);
            CpuMeter slice = bench.cpu().start();
            long sliceSent = bench.load().openLoop(warmRate, 200, WARM_SLICE, warmOrder, new AtomicLong()).ok();
            warmJit = slice.stop().hubJit();
            StageCpu stages1 = StageCpu.take(bench.hub().pid());
            // counted after the second dump, so that the orders and the CPU cover the same time
            double sliceAccepted = accepted(bench) - sliceAccepted0;
            cpuPerOrder = stages0 == null || stages1 == null || sliceAccepted == 0 ? null
                    : stages1.since(stages0, sliceAccepted);
            sliceSentAccepted = new double[] {sliceSent, sliceAccepted};
            warmed += sliceSent;
            warmSlices++;
        }
        awaitAccepted(bench, beforeWarm, warmed, Duration.ofSeconds(90));
        long warmSeconds = firstWarm.plus(WARM_SLICE.multipliedBy(warmSlices)).toSeconds();
        HttpFloor floor = httpFloor(bench);

        Window w = measure(bench, rate, window, n -> order(bench, idBase + n), () -> accepted(bench),
                WebhookIntakeScenario.ORDERS_QUEUE, DECLARATIONS_QUEUE);
        HttpLoad.Outcome intake = w.load();
        CpuMeter.Usage usage = w.usage();
        Map<String, Double> windowStages = w.stages();
        double windowSeconds = w.seconds();
        List<double[]> steady = w.steady();
        double sustained = w.sustained();
        double slope = w.slope();
        boolean growing = slope > Math.max(2, 0.05 * rate);
        double acceptedAll = w.acceptedAll();
        double throughput = w.throughput();
        double drainRate = w.drainRate();
        bench.writeRaw("end-to-end-backlog.csv", w.csv());
        // clean up what the window left behind, so later scenarios start on an idle hub
        purge(bench, WebhookIntakeScenario.ORDERS_QUEUE, DECLARATIONS_QUEUE);

        Window pipelineFloor = measuresFloor() ? pipelineFloor(bench, rate, window, idBase) : null;
        if (pipelineFloor != null) {
            bench.writeRaw("end-to-end-floor-backlog.csv", pipelineFloor.csv());
        }

        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("offeredPerSecond", rate);
        raw.put("windowSeconds", windowSeconds);
        raw.put("warmSeconds", warmSeconds);
        raw.put("warmLastSliceCpuHubJit", Double.isNaN(warmJit) ? null : Math.round(warmJit * 1000) / 1000.0);
        raw.put("warmLastSliceHubCpuMillisPerOrder", cpuPerOrder);
        raw.put("warmLastSliceSentAccepted", sliceSentAccepted);
        raw.put("windowHubCpuPercentOfMachineByStage", windowStages);
        raw.put("sustainedAcceptedPerSecond", Math.round(sustained * 10) / 10.0);
        raw.put("backlogSlopePerSecond", Math.round(slope * 10) / 10.0);
        raw.put("acceptedIncludingDrain", (long) acceptedAll);
        raw.put("throughputIncludingDrainPerSecond", Math.round(throughput * 10) / 10.0);
        raw.put("drainPerSecond", Double.isNaN(drainRate) ? null : Math.round(drainRate * 10) / 10.0);
        raw.putAll(intake.raw("webhook"));
        raw.putAll(baseline.raw("baseline"));
        raw.putAll(usage.raw());
        raw.put("bareHttpPerSecond", Math.round(floor.perSecond() * 10) / 10.0);
        raw.put("bareHttpHubCpuMillisPerRequest", Double.isNaN(floor.hubMillis()) ? null
                : Math.round(floor.hubMillis() * 1000) / 1000.0);
        if (pipelineFloor != null) {
            raw.put("floorSustainedPerSecond", Math.round(pipelineFloor.sustained() * 10) / 10.0);
            raw.put("floorDrainPerSecond", Double.isNaN(pipelineFloor.drainRate()) ? null
                    : Math.round(pipelineFloor.drainRate() * 10) / 10.0);
            raw.put("floorBacklogSlopePerSecond", Math.round(pipelineFloor.slope() * 10) / 10.0);
            raw.put("floorAcceptedIncludingDrain", (long) pipelineFloor.acceptedAll());
            raw.put("floorWebhooksFailed", pipelineFloor.load().failed());
            raw.put("floorCpu", pipelineFloor.usage().raw());
            raw.put("floorHubCpuPercentOfMachineByStage", pipelineFloor.stages());
        }
        double[] last = steady.isEmpty() ? new double[5] : steady.get(steady.size() - 1);
        String where = last[3] > last[4] * 2 ? "the backlog waits on hub.orders.received (intake stage: mapping,"
                + " validation, ledger)" : last[4] > 0 ? "the backlog waits on hub.declarations.gb-cds (declaration"
                + " stage: DMS mapping, XSD validation, single window call)" : "no queue backlog: the limit is the"
                + " notification round trip";
        String limit = usage.describe() + (usage.saturated() ? "; CPU-bound" : "; not CPU-bound") + "; "
                + (growing ? "backlog grows " + Math.round(slope) + "/s; " + where : "backlog steady")
                + String.format("; warmed up for %d s at %.0f/s", warmSeconds, warmRate) + (Double.isNaN(warmJit) ? ""
                : String.format(" (the JIT compiler %.0f%% of the machine in its last %d s)", warmJit * 100,
                WARM_SLICE.toSeconds()))
                // the budget: the machine's CPU milliseconds in a second shared by the target's orders; the load
                // generator (and PostgreSQL, when it is the database) take their part of it too
                + (cpuPerOrder == null ? "" : String.format("; hub CPU per accepted order in the last warm slice %s"
                + " (%.0f orders sent, %.0f accepted), where %.0f/s on %d cores leaves at most %.1f ms per order for"
                + " everything", StageCpu.describe(cpuPerOrder, " ms"), sliceSentAccepted[0], sliceSentAccepted[1],
                TARGET, CORES, CORES * 1000 / TARGET))
                + (windowStages == null ? "" : "; in the window the hub's stages took " + StageCpu.describe(windowStages,
                "%") + " of the machine")
                + (Double.isNaN(floor.hubMillis()) ? "" : String.format("; an HTTP request answered by a route that does"
                + " nothing took %.2f ms of the hub's CPU without its JIT compiler (%.0f/s, after the warm-up): the %d"
                + " requests each order brings into the hub (its webhook, the declaration the sandbox single window"
                + " takes, DMSRCV and DMSACC pushed back) take %.1f ms of the %.1f ms before any work is done",
                floor.hubMillis(), floor.perSecond(), HTTP_REQUESTS_PER_ORDER,
                floor.hubMillis() * HTTP_REQUESTS_PER_ORDER, CORES * 1000 / TARGET))
                + (pipelineFloor == null ? "" : String.format("; the pipeline's durable I/O alone (bench-floor-pipeline:"
                + " the same HTTP requests, JMS messages, statements and commits, no mapping or checks) sustained %.1f/s"
                + " at the same offered rate (the pipeline %.2f of it)%s, %s", pipelineFloor.sustained(),
                pipelineFloor.sustained() == 0 ? 0 : sustained / pipelineFloor.sustained(),
                Double.isNaN(pipelineFloor.drainRate()) ? "" : String.format(", drain %.1f/s", pipelineFloor.drainRate()),
                pipelineFloor.usage().describe()));
        boolean met = sustained >= TARGET && !growing && intake.failed() == 0;
        double guard = 0.005;
        Result r = new Result(id(), "End to end on " + database() + ": webhook -> canonical -> ledger -> DMS declaration -> sandbox single"
                        + " window -> DECLARATION_ACCEPTED, offered " + (long) rate + "/s",
                sustained, "orders/s", baseline.perSecond(), "bare intake route (HTTP -> durable JMS send -> 202)",
                ">= 500/s sustained for 60 s, no growing backlog", met, guard,
                throughput / baseline.perSecond() >= guard, limit + String.format("; throughput over window and drain"
                + " %.1f/s (the smoke guard's ratio)", throughput) + (Double.isNaN(drainRate) ? "" : String.format(
                "; after the window, with no webhooks arriving, the backlog drained at %.1f/s", drainRate)), raw);
        if (intake.failed() > 0) {
            return List.of(r.failing(intake.failed() + " webhooks failed, first: " + intake.firstFailure()));
        }
        // a floor that carried nothing would read as a pipeline far above it: the bench routes are broken
        if (pipelineFloor != null && (pipelineFloor.load().failed() > 0 || pipelineFloor.acceptedAll() == 0)) {
            return List.of(r.failing("the pipeline floor (bench-floor-pipeline) accepted " + (long) pipelineFloor
                    .acceptedAll() + " orders, " + pipelineFloor.load().failed() + " requests failed, first: "
                    + pipelineFloor.load().firstFailure()));
        }
        return List.of(r);
    }

    /**
     * Whether the scenario also measures the pipeline floor ({@link #pipelineFloor}) after its window. The PostgreSQL
     * scenario does not: it divides the database's work over the whole scenario by the orders recorded, which the
     * floor's statements and rows would blend in.
     */
    protected boolean measuresFloor() {
        return true;
    }

    /** The hub's database, in the report's words. */
    protected String database() {
        return "the embedded H2 database";
    }

    /** The queues' messages dropped, so that what a window left behind does not tax what comes next. */
    private static void purge(Bench bench, String... queues) throws Exception {
        for (String q : queues) {
            bench.broker().pause(q);
            bench.broker().purge(q);
            bench.broker().resume(q);
        }
    }

    /**
     * The same load on bench-floor-pipeline (bench/routes): the pipeline's HTTP requests, JMS messages, statements and
     * commits with nothing computed. What it sustains is the most the pipeline could on this machine if its mapping,
     * validation and the rest cost nothing. Warmed briefly first: its HTTP, JMS and database paths are the pipeline's,
     * already compiled; its own routes are not.
     */
    private static Window pipelineFloor(Bench bench, double rate, Duration window, long idBase) throws Exception {
        URI uri = URI.create(bench.hub().base() + "/bench/floor/orders");
        java.util.function.LongFunction<HttpRequest> order = n -> jsonPost(uri,
                bench.shopifyOrder(idBase + 2_000_000_000L + n));
        java.util.concurrent.Callable<Double> accepted = () -> bench.hub().metric(FLOOR_ACCEPTED);
        double before = accepted.call();
        AtomicLong warmIds = new AtomicLong(1_000_000_000L);
        long warmed = bench.load().openLoop(Math.min(rate, WARM_RATE), 200, bench.seconds(2, 10),
                n -> order.apply(warmIds.incrementAndGet()), new AtomicLong()).ok();
        awaitAccepted(accepted, before, warmed, Duration.ofSeconds(60));
        try {
            return measure(bench, rate, window, order, accepted, FLOOR_RECEIVED, FLOOR_DECLARATIONS);
        } finally {
            purge(bench, FLOOR_RECEIVED, FLOOR_DECLARATIONS);
        }
    }

    private static final String FLOOR_ACCEPTED = "bench_floor_accepted_total";
    private static final String FLOOR_RECEIVED = "bench.floor.received";
    private static final String FLOOR_DECLARATIONS = "bench.floor.declarations";

    /**
     * One window of open-loop load and what followed it: each second the orders sent, those accepted and the depths
     * of the two stage queues; the hub's CPU (and by stage) while the load ran; then the drain, for at most a minute.
     */
    private static Window measure(Bench bench, double rate, Duration window,
            java.util.function.LongFunction<HttpRequest> request, java.util.concurrent.Callable<Double> accepted,
            String firstQueue, String secondQueue) throws Exception {
        // before the window's clock starts: a dump comes a moment after jcmd is started
        StageCpu stages0 = StageCpu.take(bench.hub().pid());
        double accepted0 = accepted.call();
        AtomicLong sent = new AtomicLong();
        List<double[]> samples = new ArrayList<>(); // t, sent, accepted, first queue's depth, second's
        long t0 = System.nanoTime();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            try {
                double[] s = {(System.nanoTime() - t0) / 1e9, sent.get(), accepted.call() - accepted0,
                        bench.broker().depth(firstQueue), bench.broker().depth(secondQueue)};
                synchronized (samples) {
                    samples.add(s);
                }
            } catch (Exception e) {
                // a missed sample
            }
        }, 0, 1, TimeUnit.SECONDS);
        CpuMeter cpu = bench.cpu().start();
        HttpLoad.Outcome load;
        CpuMeter.Usage usage;
        Map<String, Double> stages;
        try {
            load = bench.load().openLoop(rate, 4000, window, request, sent);
            usage = cpu.stop();
            StageCpu stages1 = StageCpu.take(bench.hub().pid());
            // in % of the machine: where its CPU goes when the pipeline is behind
            stages = stages0 == null || stages1 == null ? null
                    : stages1.since(stages0, stages1.secondsSince(stages0) * 10 * CORES);
            // drain what is left, but not forever: a hopelessly behind hub is already visible in the figures
            awaitAccepted(accepted, accepted0, load.ok(), bench.seconds(30, 60));
        } finally {
            sampler.shutdown();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }
        return new Window(load, usage, stages, List.copyOf(samples), window.toMillis() / 1000.0,
                accepted.call() - accepted0, List.of(firstQueue, secondQueue));
    }

    /** A measured window (see {@link #measure}); samples are t, sent, accepted, the depths of the two queues. */
    record Window(HttpLoad.Outcome load, CpuMeter.Usage usage, Map<String, Double> stages, List<double[]> samples,
            double seconds, double acceptedAll, List<String> queues) {

        /** The samples of the window's last two thirds: the rate the pipeline keeps once its queues have filled. */
        List<double[]> steady() {
            return samples.stream().filter(s -> s[0] >= seconds / 3 && s[0] <= seconds + 0.5).toList();
        }

        /** Orders accepted per second over {@link #steady}. */
        double sustained() {
            List<double[]> steady = steady();
            return steady.size() < 2 ? 0 : (steady.get(steady.size() - 1)[2] - steady.get(0)[2])
                    / (steady.get(steady.size() - 1)[0] - steady.get(0)[0]);
        }

        /** How fast the backlog (sent - accepted) grew over {@link #steady}, per second. */
        double slope() {
            return EndToEndScenario.slope(steady());
        }

        /**
         * The throughput over window and drain (until the last acceptance seen): what the smoke guard compares, since
         * on a slow machine the first acceptances may come after a short window has ended.
         */
        double throughput() {
            double lastAcceptAt = samples.stream().filter(s -> s[2] >= acceptedAll).mapToDouble(s -> s[0]).findFirst()
                    .orElse(samples.isEmpty() ? 1 : samples.get(samples.size() - 1)[0]);
            return acceptedAll / Math.max(lastAcceptAt, 1);
        }

        /**
         * Once the window ends no webhook arrives any more: the rate at which the backlog then drains is what the
         * stages after intake manage with the whole machine to themselves (intake of the offered rate takes the rest).
         */
        double drainRate() {
            List<double[]> draining = samples.stream().filter(s -> s[0] >= seconds + 2 && s[2] < acceptedAll).toList();
            return draining.size() < 3 ? Double.NaN : (draining.get(draining.size() - 1)[2] - draining.get(0)[2])
                    / (draining.get(draining.size() - 1)[0] - draining.get(0)[0]);
        }

        String csv() {
            StringBuilder csv = new StringBuilder("seconds,sent,accepted,backlog," + String.join(",", queues) + "\n");
            for (double[] s : samples) {
                csv.append(String.format("%.1f,%d,%d,%d,%d,%d%n", s[0], (long) s[1], (long) s[2], (long) (s[1] - s[2]),
                        (long) s[3], (long) s[4]));
            }
            return csv.toString();
        }
    }

    private static HttpLoad.Outcome baseline(Bench bench) throws Exception {
        // purged as it fills: tens of thousands of messages left to page out and clean up would tax the window
        try (AutoCloseable purger = bench.broker().keepEmpty("bench.baseline.intake")) {
            return postOrderBody(bench, "/bench/baseline/intake", bench.seconds(2, 10));
        }
    }

    /** An order's body posted to a bench route for the time given, 32 requests in flight. */
    private static HttpLoad.Outcome postOrderBody(Bench bench, String path, Duration time) throws Exception {
        URI uri = URI.create(bench.hub().base() + path);
        byte[] body = bench.shopifyOrder(1);
        return bench.load().closedLoop(32, time, n -> jsonPost(uri, body));
    }

    /** An order's JSON posted to a bench route (no signature: the bench routes check none). */
    private static HttpRequest jsonPost(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** The HTTP requests into the hub that one order makes: webhook, declaration to the sandbox, DMSRCV, DMSACC. */
    static final int HTTP_REQUESTS_PER_ORDER = 4;

    /** What an HTTP request costs the hub by itself: the bare-HTTP route's rate and its CPU per request (ms). */
    record HttpFloor(double perSecond, double hubMillis) {
    }

    /**
     * The floor under the pipeline's HTTP stage: requests with an order's body to a route that answers them and does
     * nothing else (bench-baseline-http), the hub's CPU (its JIT compiler left out, as in the cost per order) divided
     * by the requests answered. Tomcat, Spring's dispatch and Camel's platform-http consumer are all it measures.
     */
    private static HttpFloor httpFloor(Bench bench) throws Exception {
        CpuMeter m = bench.cpu().start();
        HttpLoad.Outcome o = postOrderBody(bench, "/bench/baseline/http", bench.seconds(1, 5));
        CpuMeter.Usage u = m.stop();
        double hub = (u.hub() - u.hubJit()) * CORES * 1000 / o.perSecond();
        return new HttpFloor(o.perSecond(), o.failed() > 0 || Double.isNaN(hub) ? Double.NaN : hub);
    }

    private static HttpRequest order(Bench bench, long orderId) {
        byte[] body = bench.shopifyOrder(orderId);
        return bench.shopifyWebhook(body, bench.sign(body));
    }

    private static double accepted(Bench bench) throws Exception {
        return bench.hub().metric(ACCEPTED, "event=\"DECLARATION_ACCEPTED\"");
    }

    private static void awaitAccepted(Bench bench, double from, long expected, Duration max) throws Exception {
        awaitAccepted(() -> accepted(bench), from, expected, max);
    }

    private static void awaitAccepted(java.util.concurrent.Callable<Double> accepted, double from, long expected,
            Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        double last = -1;
        long stillSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            double now = accepted.call() - from;
            if (now >= expected) {
                return;
            }
            if (now != last) {
                last = now;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > TimeUnit.SECONDS.toNanos(5)) {
                return; // nothing moves any more
            }
            Thread.sleep(250);
        }
    }

    /** Least-squares slope of the backlog (sent - accepted) over time. */
    public static double slope(List<double[]> s) {
        int n = s.size();
        if (n < 3) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (double[] p : s) {
            mx += p[0];
            my += p[1] - p[2];
        }
        mx /= n;
        my /= n;
        double num = 0;
        double den = 0;
        for (double[] p : s) {
            num += (p[0] - mx) * (p[1] - p[2] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? 0 : num / den;
    }
}

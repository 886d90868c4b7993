package org.tradehub.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The HTTP load generator: Java's HttpClient (HTTP/1.1, kept-alive connections), asynchronous, latencies in an
 * HdrHistogram. Two shapes: closed loop (N requests always in flight: the most the server takes) and open loop
 * (requests at a fixed rate whatever the answers: what a busy shop platform does; latency is measured from the
 * intended send time, so a stalled server is not hidden by coordinated omission).
 */
public final class HttpLoad implements AutoCloseable {

    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "load-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(executor).build();

    /** What one run saw. Latencies in microseconds. */
    public record Outcome(long ok, long failed, double seconds, Histogram latency, String firstFailure) {
        public double perSecond() {
            return ok / seconds;
        }

        public double p(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }

        public Map<String, Object> raw(String prefix) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(prefix + "Ok", ok);
            m.put(prefix + "Failed", failed);
            m.put(prefix + "Seconds", Math.round(seconds * 100) / 100.0);
            m.put(prefix + "PerSecond", Math.round(perSecond() * 10) / 10.0);
            m.put(prefix + "P50Ms", p(50));
            m.put(prefix + "P90Ms", p(90));
            m.put(prefix + "P99Ms", p(99));
            m.put(prefix + "P999Ms", p(99.9));
            m.put(prefix + "MaxMs", latency.getMaxValue() / 1000.0);
            if (firstFailure != null) {
                m.put(prefix + "FirstFailure", firstFailure);
            }
            return m;
        }

        public Outcome plus(Outcome other) {
            Histogram h = latency.copy();
            h.add(other.latency);
            return new Outcome(ok + other.ok, failed + other.failed, seconds + other.seconds, h,
                    firstFailure != null ? firstFailure : other.firstFailure);
        }
    }

    /** Keeps {@code concurrency} requests in flight for the duration; request n is built by {@code request}. */
    public Outcome closedLoop(int concurrency, Duration duration, LongFunction<HttpRequest> request)
            throws InterruptedException {
        Run run = new Run(concurrency);
        long end = run.start + duration.toNanos();
        long n = 0;
        while (System.nanoTime() < end) {
            if (!run.inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            run.send(request.apply(n++), System.nanoTime());
        }
        return run.finish();
    }

    /**
     * Sends at {@code perSecond} for the duration, at most {@code maxInFlight} outstanding (beyond that the server
     * is hopelessly behind and the request counts as failed rather than piling up in this process).
     */
    public Outcome openLoop(double perSecond, int maxInFlight, Duration duration, LongFunction<HttpRequest> request,
                            AtomicLong sentCounter) throws InterruptedException {
        Run run = new Run(maxInFlight);
        long total = (long) (perSecond * duration.toSeconds());
        double interval = 1e9 / perSecond;
        for (long n = 0; n < total; n++) {
            long intended = run.start + (long) (n * interval);
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!run.inFlight.tryAcquire()) {
                run.failed("more than " + maxInFlight + " requests unanswered");
                continue;
            }
            sentCounter.incrementAndGet();
            run.send(request.apply(n), intended);
        }
        return run.finish();
    }

    /** The state of one closed- or open-loop run. */
    private final class Run {
        final int slots;
        final Semaphore inFlight;
        final Recorder recorder = new Recorder(3);
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final long start = System.nanoTime();
        String firstFailure;

        Run(int slots) {
            this.slots = slots;
            this.inFlight = new Semaphore(slots);
        }

        /** Sends; latency counts from {@code since} (the intended send time in an open loop). */
        void send(HttpRequest req, long since) {
            client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                try {
                    recorder.recordValue(Math.max(1, (System.nanoTime() - since) / 1000));
                    if (e == null && r.statusCode() / 100 == 2) {
                        ok.incrementAndGet();
                    } else {
                        failed(e != null ? e.toString() : r.statusCode() + " " + r.body());
                    }
                } finally {
                    inFlight.release();
                }
            });
        }

        synchronized void failed(String why) {
            failed.incrementAndGet();
            if (firstFailure == null) {
                firstFailure = why;
            }
        }

        Outcome finish() throws InterruptedException {
            inFlight.acquire(slots); // the last answers
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronized (this) {
                return new Outcome(ok.get(), failed.get(), seconds, recorder.getIntervalHistogram(), firstFailure);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

package org.tradehub.bench.scenario;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import com.helger.as2lib.crypto.ECryptoAlgorithmCrypt;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;
import org.tradehub.as2.As2Peer;
import org.tradehub.as2.As2Peer.Receipt;
import org.tradehub.as2.As2Peer.Security;
import org.tradehub.as2.TestPki;
import org.tradehub.bench.Bench;
import org.tradehub.bench.CpuMeter;
import org.tradehub.bench.HttpLoad;
import org.tradehub.bench.HubProcess;
import org.tradehub.bench.Result;
import org.tradehub.bench.Scenario;

/**
 * AS2 inbound: {@value #SENDERS} senders (closed loop) post 1 KiB EDIFACT interchanges signed (SHA-256) and encrypted
 * (AES-256-CBC) to the hub's AS2 port and ask for a signed synchronous MDN. The hub decrypts, verifies against the
 * partner's certificate, queues durably and signs the MDN.
 *
 * <p>The messages are built by as2-lib 5.1.7 (the independent implementation: it signs, encrypts, writes the MIME
 * and the AS2 headers) before each measured window, each its own Message-ID and interchange control number (the hub
 * de-duplicates on content). In the window the senders only post those bytes and headers (Java's HttpClient,
 * kept-alive connections) and keep each answer; after the window as2-lib checks every MDN (signature against the
 * hub's certificate, original Message-ID, disposition processed, MIC of what was sent). A missing, negative or
 * unverifiable MDN is a failed message. So the load generator's S/MIME work, done on the same cores, is not taken
 * from the hub while it is measured.
 *
 * <p>Baseline, in alternating slices: the same senders posting as2-lib-built plain messages (no MDN; {@value #SENDERS}
 * times 4 of them in turn, as the bare route keeps nothing) to the bare route (HTTP in, durable JMS send, 202), so
 * the ratio isolates the S/MIME and MDN work. The partner is onboarded
 * through the admin API (certificate upload, profile), as an operator would. The EDI stage's queue is paused and
 * purged: this measures the AS2 station alone.
 */
public class As2InboundScenario implements Scenario {

    private static final int SENDERS = 8;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final String EDI_QUEUE = "hub.edi.interchanges.received";
    private static final String BASELINE_QUEUE = "bench.baseline.intake";
    private static final String HUB_AS2_ID = "TRADEHUB";

    @Override
    public String id() {
        return "as2-inbound";
    }

    @Override
    public int order() {
        return 25;
    }

    @Override
    public List<Result> run(Bench bench) throws Exception {
        HubProcess hub = bench.hub();
        TestPki.Identity hubKey = TestPki.identity("bench-hub", Duration.ofDays(30));
        TestPki.Identity partnerKey = TestPki.identity("bench-partner", Duration.ofDays(30));
        // our key pair: the operator puts it in the keystore (keytool); the partner's certificate goes via the API
        TestPki.write(hub.dataDir.resolve("as2/keystore.p12"), TestPki.keystore(HubProcess.AS2_KEYSTORE_PASSWORD,
                hubKey, "hub", Map.of()));
        String tenant = hub.sandboxCredentials().getProperty("HUB_TENANT");
        admin(hub, "/admin/as2/certificates/bench-partner", "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(partnerKey.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        admin(hub, "/admin/as2/partners/bench-partner", "{\"tenantId\":\"" + tenant + "\",\"as2Id\":\"BENCH-PARTNER\","
                + "\"ourAs2Id\":\"" + HUB_AS2_ID + "\",\"partnerCertificateAlias\":\"bench-partner\",\"ourKeyAlias\":\"hub\","
                + "\"requireSignature\":true,\"requireEncryption\":true}");

        As2Peer peer = new As2Peer("BENCH-PARTNER", partnerKey, hubKey.certificate()).cipher(ECryptoAlgorithmCrypt.CRYPT_AES256_CBC);
        String as2Url = "http://127.0.0.1:" + hub.as2Port + "/as2";
        String baselineUrl = hub.base() + "/bench/baseline/intake";
        AtomicLong interchanges = new AtomicLong();
        // first guesses of the rates, corrected by what each run measures: a window needs its messages built before.
        // AS2 messages are all distinct (the hub de-duplicates); the bare route keeps nothing, so the baseline posts a
        // few plain messages in turn
        Traffic as2 = new Traffic(as2Url, 100, 0, () -> peer.prepare(as2Url, HUB_AS2_ID, payload(interchanges.incrementAndGet()),
                "application/edifact", Security.SIGNED_ENCRYPTED, Receipt.SIGNED),
                (sent, r) -> As2Peer.checkMdn(sent, r.statusCode(), r.headers().map(), r.body(), hubKey.certificate()));
        Traffic baseline = new Traffic(baselineUrl, 400, 4 * SENDERS, () -> peer.prepare(baselineUrl, HUB_AS2_ID,
                payload(interchanges.incrementAndGet()), "application/edifact", Security.PLAIN, Receipt.NONE),
                (sent, r) -> r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode() + " " + new String(r.body(),
                        StandardCharsets.UTF_8));

        // as2-lib logs each message it builds and each MDN it checks at INFO: thousands of lines that say nothing
        if (LoggerFactory.getLogger("com.helger") instanceof ch.qos.logback.classic.Logger as2Lib) {
            as2Lib.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        bench.broker().pause(EDI_QUEUE);
        AutoCloseable purger = bench.broker().keepEmpty(EDI_QUEUE, BASELINE_QUEUE);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try {
            Duration warm = bench.seconds(2, 10);
            baseline.run(http, senders, warm, null);
            as2.run(http, senders, warm, null);
            int slices = bench.smoke() ? 2 : 4;
            Duration slice = bench.seconds(6, 60).dividedBy(slices);
            HttpLoad.Outcome base = null;
            HttpLoad.Outcome hubRun = null;
            CpuMeter.Usage hubCpu = null;
            for (int i = 0; i < slices; i++) {
                HttpLoad.Outcome b = baseline.run(http, senders, slice, null);
                CpuMeter m = bench.cpu();
                HttpLoad.Outcome h = as2.run(http, senders, slice, m);
                hubCpu = hubCpu == null ? as2.cpu : hubCpu.plus(as2.cpu);
                base = base == null ? b : base.plus(b);
                hubRun = hubRun == null ? h : hubRun.plus(h);
            }
            double hubCpuMs = hubCpu.hub() * CORES * hubCpu.seconds() * 1000 / Math.max(1, hubRun.ok() + hubRun.failed());
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("senders", SENDERS);
            raw.put("payloadBytes", payload(1).length);
            raw.putAll(hubRun.raw("as2"));
            raw.putAll(base.raw("baseline"));
            raw.putAll(hubCpu.raw());
            raw.put("hubCpuMsPerMessage", Math.round(hubCpuMs * 100) / 100.0);
            raw.putAll(as2.raw("as2"));
            raw.putAll(baseline.raw("baseline"));
            boolean met = hubRun.perSecond() >= 100 && hubRun.failed() == 0;
            String limit = hubCpu.describe() + String.format("; hub CPU %.1f ms per message", hubCpuMs)
                    + (hubCpu.saturated() ? "; CPU-bound (RSA decrypt + verify + MDN signing, Tomcat, JMS, database"
                    + " in the hub; the senders only post prepared bytes)" : "; not CPU-bound")
                    + String.format("; AS2 p99 %.1f ms vs baseline p99 %.1f ms", hubRun.p(99), base.p(99));
            Result r = Result.ratio(id(), "AS2 inbound, signed + encrypted (AES-256, SHA-256), signed sync MDN, 1 KiB, "
                            + SENDERS + " senders posting as2-lib-built messages, MDNs checked by as2-lib",
                    hubRun.perSecond(), "messages/s", base.perSecond(),
                    "the same senders, as2-lib-built plain messages, no MDN, to the bare route", ">= 100 messages/s", met,
                    0.05, limit, raw);
            return List.of(hubRun.failed() > 0 || base.failed() > 0
                    ? r.failing(hubRun.failed() + base.failed() + " messages failed, first: "
                            + (hubRun.firstFailure() != null ? hubRun.firstFailure() : base.firstFailure()))
                    : r);
        } finally {
            senders.shutdownNow();
            purger.close();
            bench.broker().resume(EDI_QUEUE);
        }
    }

    /**
     * One kind of traffic: how a message is built (before the window), where it goes, how its answer is checked
     * (after the window, on all cores), and how many per second the last window took, to size the next one.
     */
    private static final class Traffic {
        final String url;
        /** 0: every message is built for its window and posted once; n: n messages built once, posted in turn. */
        final int pool;
        List<As2Peer.Prepared> pooled;
        final Supplier<As2Peer.Prepared> prepare;
        final BiFunction<As2Peer.Prepared, HttpResponse<byte[]>, String> check;
        double rate;
        long prepared;
        double prepareCpuSeconds;
        long checked;
        double checkCpuSeconds;
        int ranOut;
        CpuMeter.Usage cpu;

        Traffic(String url, double firstRate, int pool, Supplier<As2Peer.Prepared> prepare,
                BiFunction<As2Peer.Prepared, HttpResponse<byte[]>, String> check) {
            this.url = url;
            this.rate = firstRate;
            this.pool = pool;
            this.prepare = prepare;
            this.check = check;
        }

        /**
         * Builds the window's messages, then {@value #SENDERS} senders post them one after the other for the
         * duration (or until none is left), then every answer is checked. {@code meter}, if any, measures the
         * window alone.
         */
        HttpLoad.Outcome run(HttpClient http, ExecutorService senders, Duration duration, CpuMeter meter)
                throws Exception {
            // room for twice the rate of the last window (3 times when messages are reused: it costs nothing)
            int count = (int) Math.ceil(rate * (pool > 0 ? 3 : 2) * duration.toMillis() / 1000.0) + 2 * SENDERS;
            List<As2Peer.Prepared> messages = pool > 0 ? pooled : null;
            if (messages == null) {
                int build = pool > 0 ? pool : count;
                long cpu0 = processCpuNanos();
                messages = IntStream.range(0, build).parallel().mapToObj(n -> prepare.get()).toList();
                prepareCpuSeconds += (processCpuNanos() - cpu0) / 1e9;
                prepared += build;
                if (pool > 0) {
                    pooled = messages;
                }
            }
            List<HttpRequest> requests = new ArrayList<>(messages.size());
            for (As2Peer.Prepared m : messages) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(m.body()));
                m.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
                requests.add(b.build());
            }
            @SuppressWarnings("unchecked")
            HttpResponse<byte[]>[] answers = new HttpResponse[count];
            String[] errors = new String[count];
            long[] micros = new long[count];
            AtomicInteger next = new AtomicInteger();
            if (meter != null) {
                meter.start();
            }
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                running.add(senders.submit(() -> {
                    int i;
                    while (System.nanoTime() < end && (i = next.getAndIncrement()) < count) {
                        long t0 = System.nanoTime();
                        try {
                            answers[i] = http.send(requests.get(i % requests.size()), HttpResponse.BodyHandlers.ofByteArray());
                        } catch (Exception e) {
                            errors[i] = e.toString();
                        }
                        micros[i] = Math.max(1, (System.nanoTime() - t0) / 1000);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (meter != null) {
                cpu = meter.stop();
            }
            int sent = Math.min(next.get(), count);
            if (next.get() >= count) {
                ranOut++;
            }
            // what this window took (when it ran out of messages too: it measured until the last one was answered)
            rate = sent / seconds;
            Histogram latency = new Histogram(3);
            long ok = 0;
            String firstFailure = null;
            long cpu0 = processCpuNanos();
            List<As2Peer.Prepared> posted = messages;
            String[] failures = IntStream.range(0, sent).parallel().mapToObj(i -> errors[i] != null ? errors[i]
                    : check.apply(posted.get(i % posted.size()), answers[i])).toArray(String[]::new);
            for (int i = 0; i < sent; i++) {
                As2Peer.Prepared message = messages.get(i % messages.size());
                String failure = failures[i];
                if (failure == null) {
                    ok++;
                    latency.recordValue(micros[i]);
                } else if (firstFailure == null) {
                    firstFailure = message.messageId() + ": " + failure;
                }
            }
            checkCpuSeconds += (processCpuNanos() - cpu0) / 1e9;
            checked += sent;
            return new HttpLoad.Outcome(ok, sent - ok, seconds, latency, firstFailure);
        }

        Map<String, Object> raw(String prefix) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(prefix + "Prepared", prepared);
            m.put(prefix + "PrepareCpuMsPerMessage", Math.round(prepareCpuSeconds * 1e5 / Math.max(1, prepared)) / 100.0);
            m.put(prefix + "CheckCpuMsPerMessage", Math.round(checkCpuSeconds * 1e5 / Math.max(1, checked)) / 100.0);
            m.put(prefix + "WindowsOutOfMessages", ranOut);
            return m;
        }
    }

    /** CPU time of this JVM (all threads). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** A 1 KiB EDIFACT ORDERS interchange with control reference {@code n} (the hub de-duplicates on content). */
    static byte[] payload(long n) {
        StringBuilder sb = new StringBuilder("UNA:+.? 'UNB+UNOC:3+BENCHPARTNER:14+TRADEHUB:14+240101:1200+" + n + "'"
                + "UNH+1+ORDERS:D:96A:UN'BGM+220+PO-BENCH-" + n + "+9'DTM+137:20240101:102'");
        int line = 0;
        while (sb.length() < 1024 - 40) {
            line++;
            sb.append("LIN+").append(line).append("++400086214").append(1000 + line).append(":SRS'QTY+21:1:PCE'");
        }
        sb.append("UNT+").append(3 + 2 * line + 1).append("+1'UNZ+1+").append(n).append("'");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void admin(HubProcess hub, String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(hub.base() + path))
                .header("Authorization", "Bearer " + HubProcess.ADMIN_TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}

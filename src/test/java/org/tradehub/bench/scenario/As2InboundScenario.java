package org.tradehub.bench.scenario;

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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.helger.as2lib.crypto.ECryptoAlgorithmCrypt;
import org.HdrHistogram.Histogram;
import org.tradehub.as2.As2Peer;
import org.tradehub.as2.As2Peer.Compression;
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
 * AS2 inbound: {@value #SENDERS} as2-lib 5.1.7 partners (closed loop) post 1 KiB EDIFACT interchanges signed (SHA-256)
 * and encrypted (AES-256-CBC) to the hub's AS2 port and ask for a signed synchronous MDN; each MDN's signature (the
 * hub's certificate), disposition and MIC are checked by as2-lib. The hub decrypts, verifies against the partner's
 * certificate, queues durably and signs the MDN. Baseline, in alternating slices: the same senders posting the same
 * bytes plain, without MDN, to the bare route (HTTP in, durable JMS send, 202), so the ratio isolates the S/MIME and
 * MDN work. The partner is onboarded through the admin API (certificate upload, profile), as an operator would.
 * The EDI stage's queue is paused and purged: this measures the AS2 station alone.
 */
public class As2InboundScenario implements Scenario {

    private static final int SENDERS = 8;
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
        byte[] payload = payload();
        String as2Url = "http://127.0.0.1:" + hub.as2Port + "/as2";
        String baselineUrl = hub.base() + "/bench/baseline/intake";
        Callable<String> as2 = () -> {
            As2Peer.Result r = peer.send(as2Url, HUB_AS2_ID, payload, "application/edifact", Security.SIGNED_ENCRYPTED,
                    Receipt.SIGNED, Compression.NONE, null, true);
            if (r.response().hasException()) {
                return "as2-lib: " + r.response().getException();
            }
            if (r.disposition() == null || !r.disposition().endsWith("processed")) {
                return "disposition " + r.disposition();
            }
            if (!hubKey.certificate().equals(r.response().getMDNVerificationCertificate())) {
                return "the MDN's signature was not verified with the hub's certificate";
            }
            return r.micMismatch() != null ? "MIC mismatch " + r.micMismatch() : null;
        };
        Callable<String> baseline = () -> {
            As2Peer.Result r = peer.send(baselineUrl, HUB_AS2_ID, payload, "application/edifact", Security.PLAIN,
                    Receipt.NONE, Compression.NONE, null, true);
            return r.response().hasException() ? "as2-lib: " + r.response().getException() : null;
        };

        bench.broker().pause(EDI_QUEUE);
        ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor();
        purger.scheduleWithFixedDelay(() -> {
            try {
                bench.broker().purge(EDI_QUEUE);
                bench.broker().purge(BASELINE_QUEUE);
            } catch (Exception e) {
                // the next round tries again
            }
        }, 2, 2, TimeUnit.SECONDS);
        try {
            Duration warm = bench.seconds(2, 10);
            closedLoop(warm, baseline);
            closedLoop(warm, as2);
            int slices = bench.smoke() ? 2 : 4;
            Duration slice = bench.seconds(6, 60).dividedBy(slices);
            HttpLoad.Outcome base = null;
            HttpLoad.Outcome hubRun = null;
            CpuMeter.Usage hubCpu = null;
            for (int i = 0; i < slices; i++) {
                HttpLoad.Outcome b = closedLoop(slice, baseline);
                CpuMeter m = bench.cpu().start();
                HttpLoad.Outcome h = closedLoop(slice, as2);
                hubCpu = m.stop();
                base = base == null ? b : base.plus(b);
                hubRun = hubRun == null ? h : hubRun.plus(h);
            }
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("senders", SENDERS);
            raw.put("payloadBytes", payload.length);
            raw.putAll(hubRun.raw("as2"));
            raw.putAll(base.raw("baseline"));
            raw.putAll(hubCpu.raw());
            boolean met = hubRun.perSecond() >= 100 && hubRun.failed() == 0;
            String limit = hubCpu.describe() + (hubCpu.saturated() ? "; CPU-bound (RSA decrypt + verify + MDN signing"
                    + " in the hub, RSA sign + encrypt + MDN verification in the as2-lib senders on the same cores)"
                    : "; not CPU-bound") + String.format("; AS2 p99 %.1f ms vs baseline p99 %.1f ms", hubRun.p(99), base.p(99));
            Result r = Result.ratio(id(), "AS2 inbound, signed + encrypted (AES-256, SHA-256), signed sync MDN, 1 KiB, "
                            + SENDERS + " as2-lib senders", hubRun.perSecond(), "messages/s", base.perSecond(),
                    "the same as2-lib senders, plain bytes, no MDN, to the bare route", ">= 100 messages/s", met,
                    0.05, limit, raw);
            return List.of(hubRun.failed() > 0 || base.failed() > 0
                    ? r.failing(hubRun.failed() + base.failed() + " messages failed, first: "
                            + (hubRun.firstFailure() != null ? hubRun.firstFailure() : base.firstFailure()))
                    : r);
        } finally {
            purger.shutdownNow();
            purger.awaitTermination(30, TimeUnit.SECONDS);
            bench.broker().purge(EDI_QUEUE);
            bench.broker().purge(BASELINE_QUEUE);
            bench.broker().resume(EDI_QUEUE);
        }
    }

    /** {@value #SENDERS} senders, each sending one message after the other; a non-null answer is a failure. */
    private static HttpLoad.Outcome closedLoop(Duration duration, Callable<String> send) throws Exception {
        Histogram latency = new Histogram(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<?>> senders = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            senders.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    String failure;
                    try {
                        failure = send.call();
                    } catch (Exception e) {
                        failure = e.toString();
                    }
                    if (failure == null) {
                        synchronized (latency) {
                            latency.recordValue((System.nanoTime() - t0) / 1000);
                        }
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, failure);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : senders) {
            f.get();
        }
        pool.shutdown();
        return new HttpLoad.Outcome(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9, latency, firstFailure.get());
    }

    /** A 1 KiB EDIFACT ORDERS interchange. */
    static byte[] payload() {
        StringBuilder sb = new StringBuilder("UNA:+.? 'UNB+UNOC:3+BENCHPARTNER:14+TRADEHUB:14+240101:1200+BENCH1'"
                + "UNH+1+ORDERS:D:96A:UN'BGM+220+PO-BENCH+9'DTM+137:20240101:102'");
        int line = 0;
        while (sb.length() < 1024 - 40) {
            line++;
            sb.append("LIN+").append(line).append("++400086214").append(1000 + line).append(":SRS'QTY+21:1:PCE'");
        }
        sb.append("UNT+").append(3 + 2 * line + 1).append("+1'UNZ+1+BENCH1'");
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

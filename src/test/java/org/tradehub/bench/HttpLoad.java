package org.tradehub.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The HTTP load generator: HTTP/1.1 over kept-alive TCP connections, one blocking connection per request in flight,
 * latencies in an HdrHistogram. Two shapes: closed loop (N requests always in flight: the most the server takes) and
 * open loop (requests at a fixed rate whatever the answers: what a busy shop platform does; latency is measured from
 * the intended send time, so a stalled server is not hidden by coordinated omission).
 *
 * <p>Why not Java's HttpClient: it shares the hub's two cores, and it spent about 0.5 ms of CPU per request (its
 * selector thread, executor hand-offs and CompletableFuture chains), a third of the machine at 1,000 requests/s. A
 * request here is one write and one read of a few hundred bytes; what the hub sees on the wire is the same.
 */
public final class HttpLoad implements AutoCloseable {

    private static final int SOCKET_TIMEOUT_MS = 30_000;
    /** Connections of an open loop: requests beyond them wait (their latency counts from the intended send time). */
    private static final int OPEN_LOOP_CONNECTIONS = 128;

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
        Run run = new Run();
        long end = run.start + duration.toNanos();
        AtomicLong next = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(worker("load-http-" + i, () -> {
                try (Connection c = new Connection()) {
                    while (System.nanoTime() < end) {
                        HttpRequest req = request.apply(next.getAndIncrement());
                        run.exchange(c, req, System.nanoTime());
                    }
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        return run.finish();
    }

    /**
     * Sends at {@code perSecond} for the duration, at most {@code maxInFlight} outstanding (beyond that the server
     * is hopelessly behind and the request counts as failed rather than piling up in this process).
     */
    public Outcome openLoop(double perSecond, int maxInFlight, Duration duration, LongFunction<HttpRequest> request,
                            AtomicLong sentCounter) throws InterruptedException {
        Run run = new Run();
        Semaphore inFlight = new Semaphore(maxInFlight);
        BlockingQueue<Scheduled> queue = new LinkedBlockingQueue<>();
        Scheduled stop = new Scheduled(null, 0);
        int connections = Math.min(maxInFlight, OPEN_LOOP_CONNECTIONS);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            workers.add(worker("load-http-" + i, () -> {
                try (Connection c = new Connection()) {
                    for (Scheduled s = queue.take(); s != stop; s = queue.take()) {
                        try {
                            run.exchange(c, s.request, s.intended);
                        } finally {
                            inFlight.release();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        long total = (long) (perSecond * duration.toSeconds());
        double interval = 1e9 / perSecond;
        for (long n = 0; n < total; n++) {
            long intended = run.start + (long) (n * interval);
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!inFlight.tryAcquire()) {
                run.failed("more than " + maxInFlight + " requests unanswered");
                continue;
            }
            sentCounter.incrementAndGet();
            queue.add(new Scheduled(request.apply(n), intended));
        }
        for (int i = 0; i < connections; i++) {
            queue.add(stop);
        }
        for (Thread t : workers) {
            t.join();
        }
        return run.finish();
    }

    private static Thread worker(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private record Scheduled(HttpRequest request, long intended) {
    }

    /** The tally of one closed- or open-loop run. */
    private static final class Run {
        final Recorder recorder = new Recorder(3);
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final long start = System.nanoTime();
        String firstFailure;

        /** One request and its answer; latency counts from {@code since} (the intended send time in an open loop). */
        void exchange(Connection c, HttpRequest req, long since) {
            String failure;
            try {
                Answer a = c.exchange(req);
                failure = a.status / 100 == 2 ? null : a.status + " " + a.body;
            } catch (IOException | RuntimeException e) {
                c.close();
                failure = e.toString();
            }
            recorder.recordValue(Math.max(1, (System.nanoTime() - since) / 1000));
            if (failure == null) {
                ok.incrementAndGet();
            } else {
                failed(failure);
            }
        }

        synchronized void failed(String why) {
            failed.incrementAndGet();
            if (firstFailure == null) {
                firstFailure = why;
            }
        }

        Outcome finish() {
            double seconds = (System.nanoTime() - start) / 1e9;
            synchronized (this) {
                return new Outcome(ok.get(), failed.get(), seconds, recorder.getIntervalHistogram(), firstFailure);
            }
        }
    }

    private record Answer(int status, String body) {
    }

    /** One kept-alive HTTP/1.1 connection, opened on first use and again after the server closed it. */
    static final class Connection implements AutoCloseable {
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        private String authority;

        Answer exchange(HttpRequest req) throws IOException {
            URI uri = req.uri();
            String to = uri.getHost() + ":" + uri.getPort();
            if (socket == null || !to.equals(authority)) {
                close();
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(SOCKET_TIMEOUT_MS);
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), SOCKET_TIMEOUT_MS);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                authority = to;
            }
            out.write(encode(req, to));
            out.flush();
            return readAnswer();
        }

        private Answer readAnswer() throws IOException {
            String statusLine = line();
            if (statusLine == null) {
                throw new IOException("connection closed before an answer");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    copy(size, body);
                    line();
                }
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used
                }
            } else if (length >= 0) {
                copy(length, body);
            } else {
                in.transferTo(body);
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return new Answer(status, status / 100 == 2 ? "" : body.toString(StandardCharsets.UTF_8));
        }

        private void copy(long n, ByteArrayOutputStream to) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            while (n > 0) {
                int r = in.read(buf, 0, (int) Math.min(n, buf.length));
                if (r < 0) {
                    throw new IOException("connection closed inside an answer");
                }
                to.write(buf, 0, r);
                n -= r;
            }
        }

        /** A CRLF-terminated header line, or null at end of stream. */
        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                sb.append((char) b);
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }

    /** The request as it goes on the wire: request line, Host, its headers, Content-Length, body. */
    static byte[] encode(HttpRequest req, String authority) {
        byte[] body = bodyOf(req);
        URI uri = req.uri();
        StringBuilder head = new StringBuilder(512).append(req.method()).append(' ').append(uri.getRawPath());
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        req.headers().map().forEach((name, values) -> values.forEach(v ->
                head.append(name).append(": ").append(v).append("\r\n")));
        if (body.length > 0 || !req.method().equals("GET")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = new byte[h.length + body.length];
        System.arraycopy(h, 0, wire, 0, h.length);
        System.arraycopy(body, 0, wire, h.length, body.length);
        return wire;
    }

    private static byte[] bodyOf(HttpRequest req) {
        HttpRequest.BodyPublisher publisher = req.bodyPublisher().orElse(null);
        if (publisher == null || publisher.contentLength() == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(publisher.contentLength(), 32));
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.write(bytes, 0, bytes.length);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.join();
        return out.toByteArray();
    }

    @Override
    public void close() {
        // every run closes its own connections
    }
}

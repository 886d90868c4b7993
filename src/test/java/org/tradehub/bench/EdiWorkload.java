package org.tradehub.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamReader;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.tradehub.edi.EdiEnvelope;
import org.tradehub.edi.EdiError;
import org.tradehub.edi.EdiHandler;
import org.tradehub.edi.EdiMessage;
import org.tradehub.edi.EdiReader;
import org.tradehub.edi.EdiSummary;
import org.tradehub.edi.MessageXml;

/**
 * The EDI workload, run by {@code EdiMappingScenario} in a JVM of its own on one thread, so nothing else in the
 * benchmark shares its heap or its core. Prints one line {@code RESULT <json>}.
 *
 * <p>What it runs is what the hub runs for an EDI order: route in-edi-interchange reads the interchange with
 * {@link EdiReader} and forwards each order's message XML; route map-order-to-canonical hands that XML to Saxon
 * through {@link MessageXml#source} and maps it with Camel's xslt-saxon endpoint on the inbound template
 * (edifact-orders.xsl / x12-850.xsl, compiled once per endpoint), with the headers the route has.
 *
 * <ul>
 * <li>{@code throughput <seconds>}: interchanges of 1,000 ORDERS D96A messages and of 1,000 X12 850 (5010)
 * transaction sets, built from the golden-test fixtures, read and mapped to canonical XML. Baseline: a plain
 * StAEDI parse of the same bytes (every event read, nothing built). Alternating passes, after as many seconds of
 * the same passes to warm up; besides the rates, the CPU time of the thread per message.</li>
 * <li>{@code large <file> <megabytes>}: one EDIFACT interchange of that size (written once), read and mapped
 * message by message; the live heap (after a full collection) is sampled 50 times as the input advances.</li>
 * </ul>
 */
public final class EdiWorkload {

    private static final Path FIXTURES = Path.of("src/test/resources/edi/fixtures");
    private static final int MESSAGES = 1000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private EdiWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> result = switch (args[0]) {
            case "throughput" -> throughput(Integer.parseInt(args[1]));
            case "large" -> large(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        };
        System.out.println("RESULT " + new ObjectMapper().writeValueAsString(result));
    }

    // ----- throughput -----

    private static Map<String, Object> throughput(int seconds) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Intake intake = new Intake()) {
            Workload edifact = new Workload(edifact(MESSAGES), "ISO-8859-1");
            Workload x12 = new Workload(x12(MESSAGES), "UTF-8");
            // as long as the measurement itself: on one busy core the JIT needs tens of seconds to compile Saxon's many
            // small evaluation classes, and the hub it stands for runs warm
            long warm = System.nanoTime() + seconds * 1_000_000_000L;
            do {
                for (Workload w : List.of(edifact, x12)) {
                    w.warm(intake);
                }
            } while (System.nanoTime() < warm);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (Workload w : List.of(edifact, x12)) {
                    w.pass(intake);
                }
            }
            out.put("edifact", edifact.figures());
            out.put("x12", x12.figures());
        }
        return out;
    }

    /** One format: its bytes and what the passes measured (wall clock and CPU time of this thread). */
    private static final class Workload {
        final byte[] bytes;
        final String charset;
        long parsedMessages;
        long parseNanos;
        long parseCpuNanos;
        long mappedMessages;
        long mapNanos;
        long mapCpuNanos;
        long mappedBytes;
        long errors;

        Workload(byte[] bytes, String charset) {
            this.bytes = bytes;
            this.charset = charset;
        }

        void warm(Intake intake) throws Exception {
            plainParse(bytes, charset);
            map(new ByteArrayInputStream(bytes), intake, new long[3]);
        }

        void pass(Intake intake) throws Exception {
            long t = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            parsedMessages += plainParse(bytes, charset);
            parseNanos += System.nanoTime() - t;
            parseCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
            long[] counts = new long[3];
            t = System.nanoTime();
            cpu = THREADS.getCurrentThreadCpuTime();
            map(new ByteArrayInputStream(bytes), intake, counts);
            mapNanos += System.nanoTime() - t;
            mapCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
            mappedMessages += counts[0];
            errors += counts[1];
            mappedBytes += counts[2];
        }

        Map<String, Object> figures() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mappedPerSecond", Math.round(mappedMessages / (mapNanos / 1e9)));
            m.put("plainParsePerSecond", Math.round(parsedMessages / (parseNanos / 1e9)));
            m.put("mappedCpuMicrosPerMessage", mappedMessages == 0 ? 0 : Math.round(mapCpuNanos / 1e2 / mappedMessages) / 10.0);
            m.put("plainParseCpuMicrosPerMessage", parsedMessages == 0 ? 0 : Math.round(parseCpuNanos / 1e2 / parsedMessages) / 10.0);
            m.put("mappedMessages", mappedMessages);
            m.put("messageErrors", errors);
            m.put("interchangeBytes", bytes.length);
            m.put("canonicalBytesPerMessage", mappedMessages == 0 ? 0 : mappedBytes / mappedMessages);
            return m;
        }
    }

    /**
     * The mapping step of route map-order-to-canonical: Camel's xslt-saxon endpoint on the order's inbound template,
     * the message XML handed over by {@link MessageXml#source}, the intake contract's headers as template parameters.
     */
    static final class Intake implements AutoCloseable {
        private static final Map<String, String> TEMPLATES = Map.of("ORDERS", "edifact-orders", "850", "x12-850");
        private final CamelContext camel = new DefaultCamelContext();
        private final ProducerTemplate producer;

        Intake() {
            camel.start();
            producer = camel.createProducerTemplate();
        }

        /** @return the canonical XML */
        String map(EdiMessage message) {
            String format = TEMPLATES.get(message.type());
            Exchange exchange = new DefaultExchange(camel);
            Message in = exchange.getMessage();
            in.setHeader("hubTenantId", "bench");
            in.setHeader("hubChannel", "as2");
            in.setHeader("hubPartnerId", "BENCH-PARTNER");
            in.setHeader("hubSourceFormat", format);
            in.setHeader("hubSourceSyntax", "xml");
            in.setHeader("hubReceiptId", "bench/" + message.index());
            in.setBody(MessageXml.source(message.xml()));
            producer.send("xslt-saxon:file:mappings/inbound/" + format + ".xsl?output=string", exchange);
            if (exchange.getException() != null) {
                throw new IllegalStateException("mapping failed for message " + message.index(), exchange.getException());
            }
            return exchange.getMessage().getBody(String.class);
        }

        @Override
        public void close() {
            camel.stop();
        }
    }

    /** The baseline: StAEDI reading every event of the interchange, building nothing. */
    static long plainParse(byte[] bytes, String charset) throws Exception {
        EDIInputFactory factory = EDIInputFactory.newFactory();
        factory.setProperty(EDIInputFactory.EDI_IGNORE_EXTRANEOUS_CHARACTERS, true);
        long messages = 0;
        try (EDIStreamReader r = factory.createEDIStreamReader(new ByteArrayInputStream(bytes), charset)) {
            while (r.hasNext()) {
                if (r.next() == EDIStreamEvent.START_TRANSACTION) {
                    messages++;
                }
            }
        }
        return messages;
    }

    /** EdiReader + the intake's mapping per message; counts[0] mapped, [1] messages with errors, [2] canonical bytes. */
    static void map(InputStream in, Intake intake, long[] counts) throws IOException {
        new EdiReader(Set.of("ORDERS", "850")).read(in, new EdiHandler() {
            @Override
            public void onInterchange(EdiEnvelope envelope) {
            }

            @Override
            public void onMessage(EdiMessage message) {
                if (!message.accepted()) {
                    counts[1]++;
                    return;
                }
                counts[0]++;
                counts[2] += intake.map(message).length();
            }

            @Override
            public void onError(EdiError error) {
            }

            @Override
            public void onEnd(EdiSummary summary) {
            }
        });
    }

    // ----- interchanges built from the fixtures -----

    /** UNA/UNB of the ORDERS D96A fixture, its message repeated n times with distinct references, UNZ. */
    static byte[] edifact(int n) throws IOException {
        String[] parts = edifactParts();
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i <= n; i++) {
            sb.append(edifactMessage(parts[1], i));
        }
        sb.append(parts[2].replace("UNZ+1+", "UNZ+" + n + "+"));
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** [header, message, trailer] of the ORDERS fixture, as Latin-1 text (UNOC). */
    private static String[] edifactParts() throws IOException {
        String text = new String(Files.readAllBytes(FIXTURES.resolve("orders-d96a.edi")), StandardCharsets.ISO_8859_1);
        int unh = text.indexOf("UNH+");
        int unz = text.indexOf("UNZ+");
        return new String[] {text.substring(0, unh), text.substring(unh, unz), text.substring(unz)};
    }

    /** The message with its line items (LIN .. before UNS) written times times, renumbered; UNT and CNT follow. */
    private static String withLines(String message, int times) {
        int lin = message.indexOf("LIN+");
        int uns = message.indexOf("UNS+");
        String lines = message.substring(lin, uns);
        int linesPerCopy = lines.split("LIN\\+", -1).length - 1;
        int segmentsPerCopy = lines.split("(?<!\\?)'", -1).length - 1; // terminators; ?' is a released apostrophe
        StringBuilder all = new StringBuilder();
        for (int copy = 0; copy < times; copy++) {
            String renumbered = lines;
            for (int n = linesPerCopy; n >= 1; n--) {
                renumbered = renumbered.replace("LIN+" + n + "+", "LIN+" + (copy * linesPerCopy + n) + "+");
            }
            all.append(renumbered);
        }
        String out = message.substring(0, lin) + all + message.substring(uns);
        int segments = Integer.parseInt(out.replaceAll("(?s).*UNT\\+(\\d+)\\+.*", "$1"));
        return out.replaceFirst("UNT\\+\\d+\\+", "UNT+" + (segments + (times - 1) * segmentsPerCopy) + "+")
                .replace("CNT+2:" + linesPerCopy + "'", "CNT+2:" + linesPerCopy * times + "'");
    }

    private static String edifactMessage(String template, int i) {
        return template.replace("UNH+M1+", "UNH+M" + i + "+").replace("+M1'", "+M" + i + "'")
                .replace("PO-4711", "PO-" + i);
    }

    /** ISA/GS of the 850 5010 fixture, its transaction set repeated n times with distinct control numbers. */
    static byte[] x12(int n) throws IOException {
        String text = Files.readString(FIXTURES.resolve("x12-850-5010.edi"), StandardCharsets.UTF_8);
        int st = text.indexOf("ST|850|");
        int ge = text.indexOf("GE|");
        String set = text.substring(st, ge);
        StringBuilder sb = new StringBuilder(text.substring(0, st));
        for (int i = 1; i <= n; i++) {
            String ref = String.format("%04d", i);
            sb.append(set.replace("ST|850|0001|", "ST|850|" + ref + "|").replace("|0001\n", "|" + ref + "\n")
                    .replace("PO-5010-1", "PO-5010-" + i));
        }
        sb.append(text.substring(ge).replaceFirst("GE\\|1\\|", "GE|" + n + "|"));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ----- the large interchange -----

    private static Map<String, Object> large(Path file, int megabytes) throws Exception {
        long messages = writeLarge(file, megabytes);
        long size = Files.size(file);
        List<long[]> samples = new ArrayList<>(); // bytes read, live heap
        long[] counts = new long[3];
        long t = System.nanoTime();
        try (InputStream raw = Files.newInputStream(file); Intake intake = new Intake()) {
            CountingStream in = new CountingStream(raw, size / 50, samples);
            map(in, intake, counts);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        long maxHeap = Runtime.getRuntime().maxMemory();
        long early = samples.stream().filter(s -> s[0] <= size / 4).mapToLong(s -> s[1]).max().orElse(0);
        long late = samples.stream().filter(s -> s[0] >= size * 3 / 4).mapToLong(s -> s[1]).max().orElse(0);
        long peak = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("interchangeBytes", size);
        out.put("messagesInInterchange", messages);
        out.put("mappedMessages", counts[0]);
        out.put("messageErrors", counts[1]);
        out.put("seconds", Math.round(seconds * 10) / 10.0);
        out.put("mappedPerSecond", Math.round(counts[0] / seconds));
        out.put("maxHeapBytes", maxHeap);
        out.put("liveHeapFirstQuarterBytes", early);
        out.put("liveHeapLastQuarterBytes", late);
        out.put("liveHeapPeakBytes", peak);
        out.put("heapSamples", samples.size());
        out.put("constantMemory", counts[0] == messages && late <= early + 16L * 1024 * 1024 && peak < maxHeap * 0.8);
        return out;
    }

    /**
     * Writes the interchange (once per size): the ORDERS fixture's message with its two lines written three times
     * (six lines), repeated up to the size. Six lines keep 100 MB under 99,999 messages, the most one interchange
     * may carry in StAEDI's EDIFACT control schema (UNH occurs at most 99,999 times): with the fixture's two lines,
     * every message after the 99,999th was rejected.
     */
    private static long writeLarge(Path file, int megabytes) throws IOException {
        String[] parts = edifactParts();
        parts[1] = withLines(parts[1], 3);
        long target = megabytes * 1024L * 1024L;
        long messages = 0;
        Files.createDirectories(file.getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            long written = 0;
            byte[] head = parts[0].getBytes(StandardCharsets.ISO_8859_1);
            out.write(head);
            written += head.length;
            while (written < target) {
                byte[] m = edifactMessage(parts[1], (int) ++messages).getBytes(StandardCharsets.ISO_8859_1);
                out.write(m);
                written += m.length;
            }
            out.write(parts[2].replace("UNZ+1+", "UNZ+" + messages + "+").getBytes(StandardCharsets.ISO_8859_1));
        }
        return messages;
    }

    /** Counts bytes read and samples the live heap (after a full collection) every {@code every} bytes. */
    private static final class CountingStream extends FilterInputStream {
        private final long every;
        private final List<long[]> samples;
        private long read;
        private long next;

        CountingStream(InputStream in, long every, List<long[]> samples) {
            super(in);
            this.every = Math.max(every, 1);
            this.samples = samples;
            this.next = this.every;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(int n) {
            read += n;
            if (read >= next) {
                next += every;
                // the live heap at this point of the input: collect, then measure (50 samples per run)
                System.gc();
                samples.add(new long[] {read, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()});
            }
        }
    }
}

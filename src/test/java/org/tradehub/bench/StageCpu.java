package org.tradehub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's CPU by stage, told apart by thread name: each stage of the pipeline runs on threads of its own (the
 * intake queue's consumers, the declaration queue's, Tomcat's for every HTTP request, H2's writers, the broker's).
 * /proc cuts thread names to 15 characters ("Camel (camel-1)" for every consumer), so the CPU times come from a thread
 * dump instead: {@code jcmd <pid> Thread.print} lists each thread's CPU time ({@code cpu=12.34ms}, JDK 11 and later).
 * A dump stops the hub at a safepoint for a few milliseconds: take it around a measurement, not during one.
 */
public final class StageCpu {

    private static final Pattern THREAD = Pattern.compile("^\"(.*)\" .*?cpu=([0-9.]+)ms.*?nid=(\\S+)", Pattern.MULTILINE);

    /** Stages in the order they are reported; a thread counts for the first stage whose pattern finds its name. */
    static final Map<String, Pattern> STAGES = stages(
            "intake", "JmsConsumer\\[hub\\.orders\\.received\\]",
            "declarations", "JmsConsumer\\[hub\\.declarations\\.",
            "other consumers", "JmsConsumer\\[",
            // Tomcat's threads serve the webhooks, the sandbox single window and the notifications it pushes back
            "http", "^http-nio-|^HttpClient-",
            "sandbox", "^sandbox-",
            "database", "^H2-|^MVStore|^embedded-ledger-flusher",
            "broker", "activemq",
            "jit", "CompilerThread",
            "gc", "^GC Thread|^G1 |^VM Thread");

    private final Map<String, Double> millisByThread;
    /** System.nanoTime() when jcmd had written the dump (the hub's threads were stopped a moment before). */
    private final long takenAt;

    private StageCpu(Map<String, Double> millisByThread, long takenAt) {
        this.millisByThread = millisByThread;
        this.takenAt = takenAt;
    }

    /** The hub's threads' CPU times now; null when no dump could be taken (no jcmd, the hub gone). */
    public static StageCpu take(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path out = null;
        try {
            // into a file, so that a jcmd that hangs (a hub that does not answer the attach) can be given up on
            out = Files.createTempFile("hub-threads", ".txt");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? parse(Files.readString(out, StandardCharsets.UTF_8), System.nanoTime()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    static StageCpu parse(String dump, long takenAt) {
        Map<String, Double> millis = new HashMap<>();
        Matcher m = THREAD.matcher(dump);
        while (m.find()) {
            // the native id tells apart threads of the same name (a pool's thread replaced by a new one)
            millis.put(m.group(1) + "#" + m.group(3), Double.parseDouble(m.group(2)));
        }
        return millis.isEmpty() ? null : new StageCpu(millis, takenAt);
    }

    /**
     * CPU milliseconds per stage since an earlier snapshot, divided by {@code per} (orders, say), every stage listed
     * (zero when idle), then "other" and "total". A thread that ended in between is not counted.
     */
    public Map<String, Double> since(StageCpu earlier, double per) {
        Map<String, Double> out = new LinkedHashMap<>();
        STAGES.keySet().forEach(s -> out.put(s, 0.0));
        out.put("other", 0.0);
        double total = 0;
        for (Map.Entry<String, Double> t : millisByThread.entrySet()) {
            double ms = t.getValue() - earlier.millisByThread.getOrDefault(t.getKey(), 0.0);
            out.merge(stageOf(t.getKey().substring(0, t.getKey().lastIndexOf('#'))), ms, Double::sum);
            total += ms;
        }
        out.put("total", total);
        out.replaceAll((k, v) -> Math.round(v / per * 100) / 100.0);
        return out;
    }

    /**
     * Seconds between two dumps: what CPU shares are to be taken over (a dump comes some hundred milliseconds after
     * jcmd is started, so the dumps around a measurement are further apart than the measurement).
     */
    public double secondsSince(StageCpu earlier) {
        return (takenAt - earlier.takenAt) / 1e9;
    }

    static String stageOf(String threadName) {
        for (Map.Entry<String, Pattern> s : STAGES.entrySet()) {
            if (s.getValue().matcher(threadName).find()) {
                return s.getKey();
            }
        }
        return "other";
    }

    /** "17.0 ms (intake 3.3, declarations 2.9, ...)": the stages that took any, largest first. */
    public static String describe(Map<String, Double> stages, String unit) {
        StringBuilder b = new StringBuilder(String.format("%.1f%s (", stages.get("total"), unit));
        List<Map.Entry<String, Double>> parts = stages.entrySet().stream().filter(e -> !e.getKey().equals("total"))
                .filter(e -> e.getValue() >= 0.05).sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
        for (int i = 0; i < parts.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(parts.get(i).getKey()).append(String.format(" %.1f", parts.get(i).getValue()));
        }
        return b.append(')').toString();
    }

    /** Names and patterns, in order ("name", "pattern", ...). */
    static Map<String, Pattern> stages(String... nameAndPattern) {
        Map<String, Pattern> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndPattern.length; i += 2) {
            m.put(nameAndPattern[i], Pattern.compile(nameAndPattern[i + 1]));
        }
        return m;
    }
}

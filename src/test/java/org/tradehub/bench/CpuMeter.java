package org.tradehub.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used during a measurement, from /proc (Linux): the whole machine, the hub process, this load generator and
 * everything else (other users of a shared machine). Tells whether a scenario was CPU-bound and by whom, and how much
 * of the hub's share went to its JIT compiler and its garbage collector (by thread name): in the first minutes of a
 * hub both can take a third of it, which is not what an order costs a hub that has run for a day.
 */
public final class CpuMeter {

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private final long hubPid;
    private long[] machine0;
    private long hub0;
    private long[] hubThreads0;
    private long self0;
    private long wall0;

    public CpuMeter(long hubPid) {
        this.hubPid = hubPid;
    }

    public CpuMeter start() {
        machine0 = machine();
        hub0 = processTicks(hubPid);
        hubThreads0 = jitAndGcTicks(hubPid);
        self0 = processTicks(ProcessHandle.current().pid());
        wall0 = System.nanoTime();
        return this;
    }

    /** Shares of the whole machine (1.0 = every core busy) since {@link #start()}. */
    public Usage stop() {
        long[] m = machine();
        double total = m[0] - machine0[0];
        double busy = total - (m[1] - machine0[1]);
        double hub = processTicks(hubPid) - hub0;
        double self = processTicks(ProcessHandle.current().pid()) - self0;
        long[] threads = jitAndGcTicks(hubPid);
        double seconds = (System.nanoTime() - wall0) / 1e9;
        if (total <= 0) {
            return new Usage(Double.NaN, Double.NaN, Double.NaN, seconds, Double.NaN, Double.NaN);
        }
        // total counts ticks of all cores; a thread's ticks are its own, so both are shares of the same whole
        return new Usage(busy / total, hub / total, self / total, seconds, (threads[0] - hubThreads0[0]) / total,
                (threads[1] - hubThreads0[1]) / total);
    }

    /**
     * @param machine busy share of all cores; hub, loadGenerator: their share of all cores
     * @param hubJit, hubGc the part of the hub's share its JIT compiler threads and its garbage collector threads took
     */
    public record Usage(double machine, double hub, double loadGenerator, double seconds, double hubJit, double hubGc) {

        /** Two measurements as one: shares weighted by their durations. */
        public Usage plus(Usage o) {
            double s = seconds + o.seconds;
            return new Usage((machine * seconds + o.machine * o.seconds) / s, (hub * seconds + o.hub * o.seconds) / s,
                    (loadGenerator * seconds + o.loadGenerator * o.seconds) / s, s,
                    (hubJit * seconds + o.hubJit * o.seconds) / s, (hubGc * seconds + o.hubGc * o.seconds) / s);
        }

        public double others() {
            return Math.max(0, machine - hub - loadGenerator);
        }

        public boolean saturated() {
            return machine >= 0.85;
        }

        public String describe() {
            if (Double.isNaN(machine)) {
                return "CPU unknown (no /proc)";
            }
            return String.format("machine CPU %.0f%% busy of %d cores (hub %.0f%%, of it JIT compiler %.0f%% and GC %.0f%%;"
                            + " load generator %.0f%%, others %.0f%%)", machine * 100, CORES, hub * 100, hubJit * 100,
                    hubGc * 100, loadGenerator * 100, others() * 100);
        }

        public Map<String, Object> raw() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpuMachineBusy", round(machine));
            m.put("cpuHub", round(hub));
            m.put("cpuHubJit", round(hubJit));
            m.put("cpuHubGc", round(hubGc));
            m.put("cpuLoadGenerator", round(loadGenerator));
            m.put("cpuOthers", round(others()));
            return m;
        }

        private static double round(double v) {
            return Math.round(v * 1000) / 1000.0;
        }
    }

    /** [total ticks, idle+iowait ticks] over all cores. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /**
     * [JIT compiler, garbage collector] utime + stime of a process's threads, in clock ticks, told apart by HotSpot's
     * thread names ("C2 CompilerThread0", "C1 CompilerThread0"; "GC Thread#0", "G1 Conc#0", "G1 Refine#0",
     * "G1 Main Marker", "G1 Service"; the names are cut to 15 characters in /proc). A thread that ended in between is
     * not counted.
     */
    private static long[] jitAndGcTicks(long pid) {
        long[] ticks = new long[2];
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    int kind = name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") ? 0
                            : name.startsWith("GC Thread") || name.startsWith("G1 ") ? 1 : -1;
                    if (kind >= 0) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks[kind] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException threadEnded) {
                    // not counted
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: zeros
        }
        return ticks;
    }

    /** utime + stime of a process (all threads), in clock ticks. */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

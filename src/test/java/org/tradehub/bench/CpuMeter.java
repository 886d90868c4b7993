package org.tradehub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used during a measurement, from /proc (Linux): the whole machine, the hub process, this load generator and
 * everything else (other users of a shared machine). Tells whether a scenario was CPU-bound and by whom.
 */
public final class CpuMeter {

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private final long hubPid;
    private long[] machine0;
    private long hub0;
    private long self0;
    private long wall0;

    public CpuMeter(long hubPid) {
        this.hubPid = hubPid;
    }

    public CpuMeter start() {
        machine0 = machine();
        hub0 = processTicks(hubPid);
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
        if (total <= 0) {
            return new Usage(Double.NaN, Double.NaN, Double.NaN, (System.nanoTime() - wall0) / 1e9);
        }
        return new Usage(busy / total, hub / total, self / total, (System.nanoTime() - wall0) / 1e9);
    }

    /** @param machine busy share of all cores; hub, loadGenerator: their share of all cores */
    public record Usage(double machine, double hub, double loadGenerator, double seconds) {
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
            return String.format("machine CPU %.0f%% busy of %d cores (hub %.0f%%, load generator %.0f%%, others %.0f%%)",
                    machine * 100, CORES, hub * 100, loadGenerator * 100, others() * 100);
        }

        public Map<String, Object> raw() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpuMachineBusy", round(machine));
            m.put("cpuHub", round(hub));
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

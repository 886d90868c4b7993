package org.tradehub.bench.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tradehub.bench.Bench;
import org.tradehub.bench.HubProcess;
import org.tradehub.bench.Result;
import org.tradehub.bench.Scenario;

/**
 * Memory: the hub ran every scenario above with {@value HubProcess#HEAP} (and -XX:+ExitOnOutOfMemoryError, so an
 * OutOfMemoryError ends the process). Runs last: the hub must still be alive and its garbage collector must not
 * have eaten the run. Baseline: the hub's uptime, so the figure is the share of time spent in GC pauses.
 */
public class MemoryScenario implements Scenario {

    @Override
    public String id() {
        return "memory";
    }

    @Override
    public int order() {
        return 1000;
    }

    @Override
    public List<Result> run(Bench bench) throws Exception {
        boolean alive = bench.hub().alive();
        boolean oom = bench.hub().logText().contains("OutOfMemoryError");
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("hubAlive", alive);
        raw.put("outOfMemoryError", oom);
        double gc = Double.NaN;
        double uptime = Double.NaN;
        if (alive) {
            Map<String, Double> mem = bench.hub().memory();
            raw.putAll(mem);
            raw.put("peakHeapUsedBytes", bench.peakHeapBytes());
            gc = mem.get("gcPauseSeconds");
            uptime = mem.get("uptimeSeconds");
        }
        double share = gc / uptime;
        boolean ok = alive && !oom && share < 0.10;
        return List.of(new Result(id(), "Hub with " + HubProcess.HEAP + " through every scenario: alive, no"
                        + " OutOfMemoryError, GC pause share", gc, "s GC pauses", uptime, "hub uptime (s)",
                "-Xmx512m for all scenarios", ok, Double.NaN, ok,
                String.format("GC pauses %.1f%% of uptime; peak heap used %.0f MB of 512 MB (sampled every 2 s)", share * 100,
                        bench.peakHeapBytes() / (1024 * 1024)), raw));
    }
}

package org.tradehub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark suite (README: Performance). Run by the Maven profile {@code bench} after the jar is packaged:
 * {@code ./mvnw -Pbench verify} (full) or {@code bench/run --smoke} (CI guard). Not a unit test: the default test
 * run does not pick it up.
 *
 * <p>Starts the packaged hub as its own JVM, finds every {@link Scenario} in {@code org.tradehub.bench.scenario},
 * runs them in order, writes target/bench/report.md, results.json, results.csv and raw/. In smoke mode the test
 * fails when a scenario's figure falls below its guard ratio of its in-run baseline (or a scenario crashes); in
 * full mode it fails only when asked to enforce the targets ({@code -Dbench.enforceTargets=true}).
 */
class BenchmarkSuite {

    /** Scenarios of the performance issue whose channel has not landed yet; listed as pending until a class has the id. */
    static final Map<String, String> EXPECTED = Map.of();

    @Test
    void suite() throws Exception {
        String mode = System.getProperty("bench.mode", "full");
        boolean smoke = mode.equals("smoke");
        Path repo = Path.of("").toAbsolutePath();
        Path jar = Path.of(System.getProperty("bench.jar", "target/trade-hub-0.1.0-SNAPSHOT.jar"));
        Path out = Path.of(System.getProperty("bench.out", "target/bench")).toAbsolutePath();
        assertTrue(Files.exists(jar), "the hub jar is built first: " + jar);
        Files.createDirectories(out);
        Path jfr = Boolean.getBoolean("bench.jfr") ? out.resolve("hub.jfr") : null;

        List<Scenario> scenarios = scenarios();
        String loadBefore = Report.loadAverage();
        List<Result> results = new ArrayList<>();
        System.out.println("bench: " + mode + " run of " + scenarios.stream().map(Scenario::id).toList());
        try (HubProcess hub = HubProcess.start(jar.toAbsolutePath(), repo, out, jfr);
             BrokerAdmin broker = new BrokerAdmin(hub.brokerPort);
             HttpLoad load = new HttpLoad()) {
            Bench bench = new Bench(smoke, repo, out, hub, broker, load);
            ScheduledExecutorService heap = Executors.newSingleThreadScheduledExecutor();
            heap.scheduleWithFixedDelay(bench::sampleHeap, 0, 2, TimeUnit.SECONDS);
            try {
                for (Scenario s : scenarios) {
                    long t = System.nanoTime();
                    try {
                        List<Result> rs = s.run(bench);
                        results.addAll(rs);
                        rs.forEach(r -> System.out.printf("bench: %s %.1f %s (baseline %.1f, ratio %.3f) target %s, guard %s%n",
                                r.id(), r.figure(), r.unit(), r.baseline(), r.ratio(), r.targetMet() ? "met" : "missed",
                                r.guardMet() ? "ok" : "FAILED"));
                    } catch (Exception | AssertionError e) {
                        e.printStackTrace();
                        results.add(new Result(s.id(), "scenario crashed", Double.NaN, "", Double.NaN, "", "", false,
                                Double.NaN, false, "crashed: " + e, Map.of()));
                    }
                    System.out.printf("bench: %s took %.0f s%n", s.id(), (System.nanoTime() - t) / 1e9);
                }
            } finally {
                heap.shutdownNow();
            }
        }
        if (jfr != null) {
            // each hub's recording (the first hub's, and the PostgreSQL scenario's hub in its folder) is complete once
            // the hub has exited: summarized by library and stage next to it
            try (var found = Files.find(out, 2, (p, a) -> p.getFileName().toString().equals("hub.jfr"))) {
                for (Path recording : found.toList()) {
                    try {
                        System.out.println("bench: profile in " + JfrProfile.summarize(recording, "Hub profile ("
                                + out.relativize(recording) + ", " + scenarios.stream().map(Scenario::id).toList() + ")"));
                    } catch (IOException unreadable) {
                        // a hub killed before it could write its recording: the report still gets written
                        System.out.println("bench: no profile of " + recording + ": " + unreadable);
                    }
                }
            }
        }
        Set<String> ids = scenarios.stream().map(Scenario::id).collect(Collectors.toSet());
        Map<String, String> pending = new LinkedHashMap<>();
        EXPECTED.forEach((id, what) -> {
            if (!ids.contains(id)) {
                pending.put(id, what);
            }
        });
        String report = Report.write(out, mode, results, pending, Report.machine(loadBefore, Report.loadAverage(), repo));
        System.out.println(report);
        System.out.println("bench: report in " + out.resolve("report.md"));

        if (smoke) {
            List<String> broken = results.stream().filter(r -> !r.guardMet()).map(r -> r.id() + " (" + r.limit() + ")").toList();
            assertTrue(broken.isEmpty(), "performance regression guard failed: " + broken);
        }
        if (Boolean.getBoolean("bench.enforceTargets")) {
            List<String> missed = results.stream().filter(r -> !r.targetMet()).map(Result::id).toList();
            assertTrue(missed.isEmpty() && pending.isEmpty(), "targets missed: " + missed + ", pending: " + pending.keySet());
        }
    }

    /** Every Scenario class in org.tradehub.bench.scenario, in order; -Dbench.only=a,b keeps those ids. */
    static List<Scenario> scenarios() throws Exception {
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(false);
        scan.addIncludeFilter(new AssignableTypeFilter(Scenario.class));
        List<Scenario> found = new ArrayList<>();
        for (BeanDefinition d : scan.findCandidateComponents("org.tradehub.bench.scenario")) {
            found.add((Scenario) Class.forName(d.getBeanClassName()).getDeclaredConstructor().newInstance());
        }
        String only = System.getProperty("bench.only", "");
        Set<String> keep = only.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(only.split(",")));
        return found.stream().filter(s -> keep.isEmpty() || keep.contains(s.id()))
                .sorted(Comparator.comparingInt(Scenario::order)).toList();
    }
}

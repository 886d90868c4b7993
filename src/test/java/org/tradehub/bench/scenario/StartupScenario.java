package org.tradehub.bench.scenario;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tradehub.bench.Bench;
import org.tradehub.bench.Result;
import org.tradehub.bench.Scenario;

/**
 * Start-up to ready: from spawning the hub's JVM (-Xmx512m, embedded default, a fresh data folder, so database
 * migrations, broker journal creation and the sandbox tenant are included) to the readiness probe (/observe/health/ready on the management port) answering UP.
 * The hub is launched as users run it: the jar installed by bin/hub-install (extracted, with its CDS archive); the
 * install is not timed, as it is a build step of the Docker image.
 * Baseline: the JVM's own share, Spring Boot's "Started HubApplication in X seconds (process running for Y)", so
 * the ratio says how much of the wait is the hub's context rather than the JVM and the class path.
 */
public class StartupScenario implements Scenario {

    private static final Pattern STARTED = Pattern.compile(
            "Started HubApplication in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");

    @Override
    public String id() {
        return "startup";
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public List<Result> run(Bench bench) throws Exception {
        double ready = bench.hub().startupMillis / 1000.0;
        Matcher m = STARTED.matcher(bench.hub().logText());
        double context = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        double process = m.find(0) ? Double.parseDouble(m.group(2)) : Double.NaN;
        return List.of(new Result(id(), "Start-up to ready (health UP), first start on a fresh data folder, -Xmx512m",
                ready, "s", process, "process running when Spring Boot reported started", "< 15 s",
                // no smoke guard: start-up has no in-run baseline that moves with the machine's load as the time
                // does (a start that hangs fails the whole run after 180 s instead)
                ready < 15, Double.NaN, true,
                String.format("Spring context %.1f s of %.1f s; the main thread's CPU (Spring's configuration and"
                        + " beans, Camel route creation, Saxon template compilation: Saxon's signed jar stays out of"
                        + " the CDS archive, Flyway), the JIT compilers on the other core", context, ready),
                Map.of("readySeconds", ready, "springContextSeconds", context, "processSeconds", process)));
    }
}

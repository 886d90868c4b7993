package org.tradehub.bench;

import java.util.List;

/**
 * One benchmark scenario. Adding a scenario = adding one class that implements this interface in package
 * {@code org.tradehub.bench.scenario}: the suite finds it on the class path, runs it in {@link #order()} and puts
 * its results in the report (README: Performance, "Adding a scenario").
 *
 * <p>Every scenario measures its own baseline in the same run (same machine, same minute, same hub process where
 * the hub is involved) and reports its figure as a ratio to it: the ratio survives a noisy machine, the absolute
 * figure does not.
 */
public interface Scenario {

    /** Stable id, used in the report, the raw files and {@code -Dbench.only=id1,id2}. */
    String id();

    /** Run position: lower first. Scenarios that need no hub run before it starts is no concern: it idles. */
    default int order() {
        return 100;
    }

    /** Runs the scenario (smoke or full, see {@link Bench#smoke()}) and returns one or more result rows. */
    List<Result> run(Bench bench) throws Exception;
}

package org.tradehub.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the report.
 *
 * @param id          scenario id (plus a variant, e.g. edi-mapping/edifact)
 * @param title       what was measured, in words
 * @param figure      the measured figure (e.g. orders/s), NaN when the scenario has no single figure
 * @param unit        unit of figure and baseline
 * @param baseline    the in-run baseline's figure, NaN when the scenario has none
 * @param baselineWhat what the baseline is
 * @param target      the target in words
 * @param targetMet   whether the absolute target was met on this machine in this run
 * @param guardRatio  smallest acceptable figure/baseline ratio in the CI smoke run (NaN: no ratio guard)
 * @param guardMet    whether the regression guard held (ratio guard, or the scenario's own sanity check)
 * @param limit       what limits the scenario (resource, and how far from it)
 * @param raw         raw numbers (latency percentiles, counts, CPU shares ...), written to the JSON/CSV files
 */
public record Result(String id, String title, double figure, String unit, double baseline, String baselineWhat,
                     String target, boolean targetMet, double guardRatio, boolean guardMet, String limit,
                     Map<String, Object> raw) {

    public double ratio() {
        return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : figure / baseline;
    }

    /** The same row, failed (target and guard) for a reason the figures do not show, e.g. refused requests. */
    public Result failing(String why) {
        return new Result(id, title, figure, unit, baseline, baselineWhat, target, false, guardRatio, false,
                limit + "; FAILED: " + why, raw);
    }

    /** A result with a baseline: the guard holds when figure/baseline stays at or above guardRatio. */
    public static Result ratio(String id, String title, double figure, String unit, double baseline,
                               String baselineWhat, String target, boolean targetMet, double guardRatio,
                               String limit, Map<String, Object> raw) {
        double r = baseline == 0 ? 0 : figure / baseline;
        return new Result(id, title, figure, unit, baseline, baselineWhat, target, targetMet, guardRatio,
                r >= guardRatio, limit, new LinkedHashMap<>(raw));
    }
}

package org.tradehub.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes target/bench/report.md (the table), results.json and results.csv (every raw number). */
final class Report {

    private Report() {
    }

    static String write(Path out, String mode, List<Result> results, Map<String, String> pending,
                        Map<String, Object> machine) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Trade hub benchmark (").append(mode).append(")\n\n");
        md.append("Run ").append(machine.get("finishedAt")).append(" on ").append(machine.get("cores"))
                .append(" cores, load average ").append(machine.get("loadAverageBefore")).append(" before and ")
                .append(machine.get("loadAverageAfter")).append(" after; commit ").append(machine.get("commit"))
                .append(". The hub ran as its own JVM (`").append(HubProcess.HEAP).append("`, JDK_JAVA_OPTIONS `")
                .append(HubProcess.jvmOptions()).append("`, embedded default: Artemis journal persistent with sync on, H2 file database), the load"
                        + " generator in another.\n\n");
        md.append("Absolute figures depend on the machine and on whatever else runs on it; **ratio** is the figure"
                + " divided by a baseline measured in the same run, which is what the CI smoke guard checks.\n\n");
        md.append("| scenario | figure | baseline | ratio | target | target met | smoke guard | limited by |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append("| ").append(r.id()).append(": ").append(r.title())
                    .append(" | ").append(num(r.figure())).append(' ').append(r.unit())
                    .append(" | ").append(Double.isNaN(r.baseline()) ? "n/a" : num(r.baseline()) + " (" + r.baselineWhat() + ")")
                    .append(" | ").append(Double.isNaN(r.ratio()) ? "n/a" : String.format("%.3f", r.ratio()))
                    .append(" | ").append(r.target())
                    .append(" | ").append(r.targetMet() ? "PASS" : "FAIL")
                    .append(" | ").append(Double.isNaN(r.guardRatio()) ? "" : "ratio >= " + r.guardRatio() + ": ")
                    .append(r.guardMet() ? "ok" : "FAIL")
                    .append(" | ").append(r.limit().replace("|", "/")).append(" |\n");
        }
        if (!pending.isEmpty()) {
            md.append("\n## Pending scenarios\n\n");
            pending.forEach((id, what) -> md.append("- **").append(id).append("**: ").append(what).append('\n'));
        }
        md.append("\n## Raw numbers\n\n`results.json`, `results.csv`; latency histograms and time series in `raw/`.\n");
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.md"), md, StandardCharsets.UTF_8);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode);
        json.put("machine", machine);
        json.put("results", results.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("title", r.title());
            m.put("figure", finite(r.figure()));
            m.put("unit", r.unit());
            m.put("baseline", finite(r.baseline()));
            m.put("baselineWhat", r.baselineWhat());
            m.put("ratio", finite(r.ratio()));
            m.put("target", r.target());
            m.put("targetMet", r.targetMet());
            m.put("guardRatio", finite(r.guardRatio()));
            m.put("guardMet", r.guardMet());
            m.put("limit", r.limit());
            m.put("raw", r.raw());
            return m;
        }).toList());
        json.put("pending", pending);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), json);

        StringBuilder csv = new StringBuilder("id,figure,unit,baseline,ratio,targetMet,guardRatio,guardMet\n");
        for (Result r : results) {
            csv.append(String.join(",", r.id(), num(r.figure()), r.unit(), num(r.baseline()),
                    String.format("%.4f", r.ratio()), Boolean.toString(r.targetMet()), num(r.guardRatio()),
                    Boolean.toString(r.guardMet()))).append('\n');
        }
        Files.writeString(out.resolve("results.csv"), csv, StandardCharsets.UTF_8);
        return md.toString();
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v >= 100 ? String.format("%.0f", v) : String.format("%.2f", v);
    }

    static Map<String, Object> machine(String loadBefore, String loadAfter, Path repo) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("finishedAt", Instant.now().toString());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("loadAverageBefore", loadBefore);
        m.put("loadAverageAfter", loadAfter);
        m.put("java", System.getProperty("java.version"));
        m.put("commit", commit(repo));
        return m;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String commit(Path repo) {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(repo.toFile())
                    .redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? s : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}

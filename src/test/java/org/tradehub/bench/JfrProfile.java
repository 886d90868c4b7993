package org.tradehub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the hub's Java code spends its time, by library ("component") and by pipeline stage, from the execution
 * samples of a JFR recording ({@code bench/run --jfr}). Each sample is charged to the library of the topmost frame
 * that is not the JDK's own collections, strings and I/O: a HashMap lookup inside H2 is H2's, inside the hub's code
 * the hub's. The JDK's XML parser and schema validator (Xerces inside the JDK) and HTTP client count as components
 * of their own. Stages are told apart by thread name, as {@link StageCpu} does.
 *
 * <p>What this cannot see: time in the kernel (fsync, socket I/O, futex wake-ups: the broker's cost is mostly there),
 * the JIT compiler and the garbage collector. The shares are of the samples taken in Java code, not of the CPU; the
 * thread CPU times of {@link StageCpu} are the figures of record.
 */
public final class JfrProfile {

    /** Components in the order a frame is tried; the first whose pattern matches the frame's class wins. */
    static final Map<String, Pattern> COMPONENTS = StageCpu.stages(
            "hub's own code", "^org\\.tradehub\\.",
            "H2 database", "^org\\.h2\\.",
            "PostgreSQL driver", "^org\\.postgresql\\.",
            "connection pool (Hikari)", "^com\\.zaxxer\\.hikari\\.",
            "Saxon (XSLT, XPath)", "^net\\.sf\\.saxon\\.",
            "XML parsing and schema validation (JDK)",
            "^(com\\.sun\\.org\\.apache\\.(xerces|xml|xalan)|javax\\.xml\\.|jdk\\.xml\\.|com\\.sun\\.xml\\.)",
            "StAEDI (EDI parser)", "^io\\.xlate\\.",
            "Artemis (broker and JMS client)", "^org\\.apache\\.activemq\\.",
            "Camel", "^org\\.apache\\.camel\\.",
            "Spring (transactions, JDBC, JMS, web)", "^org\\.springframework\\.",
            "Tomcat", "^org\\.apache\\.(catalina|coyote|tomcat)\\.",
            "HTTP clients", "^(org\\.apache\\.hc\\.|jdk\\.internal\\.net\\.http\\.|java\\.net\\.http\\.)",
            "Jackson (JSON)", "^com\\.fasterxml\\.",
            "metrics (Micrometer, Prometheus)", "^(io\\.micrometer|io\\.prometheus)\\.",
            "logging", "^(ch\\.qos\\.logback|org\\.slf4j)\\.",
            "Netty", "^io\\.netty\\.",
            "crypto (JCA, Bouncy Castle)", "^(org\\.bouncycastle|sun\\.security|com\\.sun\\.crypto|javax\\.crypto)\\.");

    /** The JDK's general-purpose classes: charged to whoever called them. */
    private static final Pattern JDK = Pattern.compile("^(java|javax|jdk|sun|com\\.sun)\\.");
    static final String JDK_ONLY = "JDK only (no caller in the stack)";
    static final String OTHER = "other libraries";

    /** Samples per stage, then per component. */
    private final Map<String, Map<String, Integer>> samples = new LinkedHashMap<>();
    /** Samples per top frame (method), for pointers. */
    private final Map<String, Integer> topMethods = new HashMap<>();
    private int total;

    private JfrProfile() {
        StageCpu.STAGES.keySet().forEach(s -> samples.put(s, new HashMap<>()));
        samples.put("other", new HashMap<>());
    }

    /** The execution samples of a recording. */
    public static JfrProfile read(Path recording) throws IOException {
        JfrProfile p = new JfrProfile();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                RecordedThread thread = e.getThread("sampledThread");
                p.add(thread == null || thread.getJavaName() == null ? "" : thread.getJavaName(), classes(e.getStackTrace()),
                        topMethod(e.getStackTrace()));
            }
        }
        return p;
    }

    void add(String threadName, List<String> frameClasses, String topMethod) {
        samples.get(StageCpu.stageOf(threadName)).merge(componentOf(frameClasses), 1, Integer::sum);
        if (topMethod != null) {
            topMethods.merge(topMethod, 1, Integer::sum);
        }
        total++;
    }

    /** The component a sample is charged to: its frames' classes, the topmost (running) first. */
    static String componentOf(List<String> frameClasses) {
        for (String c : frameClasses) {
            for (Map.Entry<String, Pattern> component : COMPONENTS.entrySet()) {
                if (component.getValue().matcher(c).find()) {
                    return component.getKey();
                }
            }
            if (!JDK.matcher(c).find()) {
                return OTHER;
            }
        }
        return JDK_ONLY;
    }

    public int total() {
        return total;
    }

    /** Percent of all samples, per component, for the whole hub or one stage; largest first. */
    public Map<String, Double> shares(String stage) {
        Map<String, Integer> counts = new HashMap<>();
        samples.forEach((s, byComponent) -> {
            if (stage == null || stage.equals(s)) {
                byComponent.forEach((c, n) -> counts.merge(c, n, Integer::sum));
            }
        });
        Map<String, Double> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), total == 0 ? 0 : 100.0 * e.getValue() / total));
        return out;
    }

    /** Markdown: components by stage (percent of the hub's samples), then the busiest methods. */
    public String markdown(String title) {
        List<String> stages = samples.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .toList();
        StringBuilder b = new StringBuilder("# " + title + "\n\n").append(total).append(" execution samples in Java code"
                + " (not kernel time, JIT compiler or garbage collector; see JfrProfile). Percent of all samples; each sample"
                + " charged to the library of its topmost frame outside the JDK's general classes.\n\n| component | hub |");
        stages.forEach(s -> b.append(' ').append(s).append(" |"));
        b.append("\n|---|---|").append("---|".repeat(stages.size())).append('\n');
        Map<String, Map<String, Double>> byStage = new HashMap<>();
        stages.forEach(s -> byStage.put(s, shares(s)));
        shares(null).forEach((component, share) -> {
            b.append("| ").append(component).append(String.format(" | %.1f |", share));
            stages.forEach(s -> b.append(String.format(" %.1f |", byStage.get(s).getOrDefault(component, 0.0))));
            b.append('\n');
        });
        b.append("| all |").append(" 100.0 |");
        stages.forEach(s -> b.append(String.format(" %.1f |", byStage.get(s).values().stream().mapToDouble(d -> d).sum())));
        b.append("\n\nBusiest methods (the running frame, JDK included):\n\n");
        topMethods.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(20)
                .forEach(e -> b.append(String.format("- %.1f%% %s%n", 100.0 * e.getValue() / total, e.getKey())));
        return b.toString();
    }

    /** Writes {@link #markdown} next to the recording, as name.md; returns that file. */
    public static Path summarize(Path recording, String title) throws IOException {
        Path md = recording.resolveSibling(recording.getFileName().toString().replaceFirst("\\.jfr$", "") + "-profile.md");
        Files.writeString(md, read(recording).markdown(title));
        return md;
    }

    private static List<String> classes(RecordedStackTrace stack) {
        List<String> out = new ArrayList<>(stack.getFrames().size());
        for (RecordedFrame f : stack.getFrames()) {
            if (f.getMethod() != null && f.getMethod().getType() != null) {
                out.add(f.getMethod().getType().getName());
            }
        }
        return out;
    }

    private static String topMethod(RecordedStackTrace stack) {
        if (stack.getFrames().isEmpty() || stack.getFrames().get(0).getMethod() == null) {
            return null;
        }
        var m = stack.getFrames().get(0).getMethod();
        return m.getType().getName() + "." + m.getName();
    }
}

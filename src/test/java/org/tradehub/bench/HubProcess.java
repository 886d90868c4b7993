package org.tradehub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub under test: the packaged jar installed by bin/hub-install (extracted, with a CDS archive) and started in its
 * own JVM, on the embedded default exactly as a user runs it (embedded Artemis with a persistent, synced journal;
 * embedded database file; sandbox single window), with -Xmx512m, on free ports and a fresh data folder. Only the
 * benchmark's baseline routes (bench/routes) are added.
 */
public final class HubProcess implements AutoCloseable {

    public static final String HEAP = "-Xmx512m";

    /**
     * The hub's JVM options as the Dockerfile gives them (its ENV JDK_JAVA_OPTIONS, which DockerfileJvmOptionsTest
     * keeps equal to this): set the same way here, for bin/hub-install (its CDS archive is written under the options
     * the hub runs with) and for the hub. -Dbench.hub.jvmOptions= runs without them (for an A/B of an option).
     */
    public static final String JVM_OPTIONS = "-XX:+UseBiasedLocking -XX:+UseParallelGC";

    /** The options this run uses: {@link #JVM_OPTIONS} unless -Dbench.hub.jvmOptions says otherwise. */
    public static String jvmOptions() {
        return System.getProperty("bench.hub.jvmOptions", JVM_OPTIONS);
    }

    /** Gives a JVM started by {@code pb} (through the java launcher) the hub's options, as the Dockerfile does. */
    public static ProcessBuilder withJvmOptions(ProcessBuilder pb) {
        pb.environment().put("JDK_JAVA_OPTIONS", jvmOptions());
        return pb;
    }

    private final Process process;
    public final int port;
    public final int managementPort;
    public final int brokerPort;
    public final Path dataDir;
    public final Path log;
    public final long startupMillis;
    /** The hub's AS2 listener port and the AS2 keystore's password (the keystore is hub-data/as2/keystore.p12). */
    public final int as2Port;
    public static final String AS2_KEYSTORE_PASSWORD = "bench-as2-" + java.util.UUID.randomUUID();
    /** The operator token of this run (the admin API: AS2 onboarding, tenants). */
    public static final String ADMIN_TOKEN = "bench-admin-" + java.util.UUID.randomUUID();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HubProcess(Process process, int port, int managementPort, int brokerPort, int as2Port, Path dataDir,
                       Path log, long startupMillis) {
        this.as2Port = as2Port;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.brokerPort = brokerPort;
        this.dataDir = dataDir;
        this.log = log;
        this.startupMillis = startupMillis;
    }

    /**
     * Starts the jar and waits until the readiness probe answers UP; the time from spawning the JVM to that answer
     * is the start-up time (the first start on a fresh data folder: database migrations and the sandbox tenant
     * included).
     *
     * @param jfr where to write a JFR recording of the whole run, or null for none
     */
    public static HubProcess start(Path jar, Path repo, Path out, Path jfr) throws Exception {
        return start(install(jar, repo, out), repo, out, jfr, Map.of());
    }

    /**
     * Starts another hub from the jar {@link #start(Path, Path, Path, Path)} installed, with its data folder and log in
     * {@code runDir} and more environment (another database, say), and waits until it is ready.
     */
    public static HubProcess startInstalled(Path repo, Path out, Path runDir, Map<String, String> env)
            throws Exception {
        // recorded like the first hub when bench/run --jfr asks for it, into the run's own folder
        return start(out.resolve("hub"), repo, runDir,
                Boolean.getBoolean("bench.jfr") ? runDir.toAbsolutePath().resolve("hub.jfr") : null, env);
    }

    private static HubProcess start(Path installed, Path repo, Path out, Path jfr, Map<String, String> env)
            throws Exception {
        Path dataDir = out.resolve("hub-data");
        deleteTree(dataDir);
        Files.createDirectories(dataDir);
        int port = org.tradehub.support.HubTestSupport.freePort();
        int managementPort = org.tradehub.support.HubTestSupport.freePort();
        int brokerPort = org.tradehub.support.HubTestSupport.freePort();
        int as2Port = org.tradehub.support.HubTestSupport.freePort();
        Path log = out.resolve("hub.log");
        List<String> cmd = new ArrayList<>(List.of(javaBin(), HEAP, "-XX:+ExitOnOutOfMemoryError"));
        if (jfr != null) {
            // -Dbench.jfr.settings=<file.jfc> for other events (exceptions thrown, say); JFR's "profile" by default
            cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings="
                    + System.getProperty("bench.jfr.settings", "profile") + ",dumponexit=true");
        }
        cmd.addAll(List.of("-XX:SharedArchiveFile=" + installed.resolve("hub.jsa"),
                "-Djava.library.path=" + installed.resolve("native"),
                "-jar", installed.resolve("hub.jar").toString(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--hub.data-dir=" + dataDir,
                "--hub.broker.embedded-tcp-port=" + brokerPort,
                "--hub.as2.port=" + as2Port,
                "--hub.as2.keystore-password=" + AS2_KEYSTORE_PASSWORD,
                "--hub.admin-token=" + ADMIN_TOKEN,
                "--camel.main.routes-include-pattern=file:" + repo.resolve("routes") + "/*.yaml,file:"
                        + repo.resolve("routes/sandbox") + "/*.yaml,file:" + repo.resolve("bench/routes") + "/*.yaml"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        withJvmOptions(pb).environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        HubProcess hub = null;
        long deadline = t0 + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the hub exited during start-up (exit " + p.exitValue() + "), see " + log);
            }
            if (healthUp(managementPort)) {
                hub = new HubProcess(p, port, managementPort, brokerPort, as2Port, dataDir, log, (System.nanoTime() - t0) / 1_000_000);
                break;
            }
            Thread.sleep(50);
        }
        if (hub == null) {
            p.destroyForcibly();
            throw new IllegalStateException("the hub did not become ready within 180 s, see " + log);
        }
        return hub;
    }

    /**
     * Installs the jar as users do (bin/hub-install, see the README: the extracted layout and a CDS archive) into
     * {@code out/hub}. Not part of the start-up time, as in the Docker image, where the install is a build step.
     */
    private static Path install(Path jar, Path repo, Path out) throws Exception {
        Path dir = out.resolve("hub");
        Path log = out.resolve("hub-install.log");
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("bin/hub-install").toString(), jar.toString(), dir.toString())
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        withJvmOptions(pb).environment().put("JAVA", javaBin());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("bin/hub-install did not finish within 10 minutes, see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("bin/hub-install failed (exit " + p.exitValue() + "), see " + log);
        }
        return dir;
    }

    private static boolean healthUp(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"UP\"");
        } catch (Exception notYet) {
            return false;
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** The sandbox tenant's credentials, written by the hub on its first start. */
    public Properties sandboxCredentials() throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(dataDir.resolve("sandbox-credentials.env"))) {
            p.load(in);
        }
        return p;
    }

    /** The hub's metrics, from the management server's Prometheus endpoint (camel-observability-services's path). */
    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** One Prometheus sample: the sum of every series of the metric whose labels contain all of labelParts. */
    public double metric(String name, String... labelParts) throws Exception {
        return sum(scrape(), name, labelParts);
    }

    static double sum(String prometheusText, String name, String... labelParts) {
        double sum = 0;
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})?\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(prometheusText);
        outer:
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            for (String part : labelParts) {
                if (!labels.contains(part)) {
                    continue outer;
                }
            }
            sum += Double.parseDouble(m.group(2));
        }
        return sum;
    }

    /** Heap and GC figures from the hub's own metrics. */
    public Map<String, Double> memory() throws Exception {
        String text = scrape();
        return Map.of("heapUsedBytes", sum(text, "jvm_memory_used_bytes", "area=\"heap\""),
                "heapMaxBytes", sum(text, "jvm_memory_max_bytes", "area=\"heap\""),
                "gcPauseSeconds", sum(text, "jvm_gc_pause_seconds_sum"),
                "uptimeSeconds", sum(text, "process_uptime_seconds"));
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: graceful shutdown, JFR dumps on exit
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

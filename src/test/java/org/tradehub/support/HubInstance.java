package org.tradehub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.tradehub.HubApplication;

/**
 * A hub started as its own application (not a cached test context), so a test can choose its database or single
 * window, stop it, and start it again on the same data to prove nothing was lost.
 */
public final class HubInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    public final int port;

    private HubInstance(ConfigurableApplicationContext context, int port) {
        this.context = context;
        this.port = port;
    }

    public static HubInstance start(Path dataDir, Map<String, Object> overrides) {
        Map<String, Object> settings = settings(dataDir, overrides);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(HubApplication.class)
                .run(arguments(settings));
        return new HubInstance(context, (Integer) settings.get("server.port"));
    }

    /**
     * What a test hub runs with: its own free ports and data folder, quick retries, the sandbox's tokens, then the
     * test's overrides.
     */
    public static Map<String, Object> settings(Path dataDir, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", HubTestSupport.freePort());
        props.put("hub.data-dir", dataDir.toAbsolutePath().toString());
        props.put("hub.broker.embedded-tcp-port", HubTestSupport.freePort());
        props.put("management.server.port", HubTestSupport.freePort());
        // the AS2 listener is a second connector: two instances in one JVM must not share its default port
        props.put("hub.as2.port", HubTestSupport.freePort());
        props.put("hub.retry.redelivery-delay-ms", 50);
        props.put("hub.retry.maximum-redeliveries", 3);
        props.put("hub.sandbox.notification-delay-ms", 50);
        props.put("hub.services.consolidation-sweep-ms", 200);
        props.put("hub.services.sandbox-answer-delay-ms", 50);
        props.put("hub.single-window.gb-cds.bearer-token", "sandbox-bearer-token");
        props.put("hub.single-window.gb-cds.callback-token", "sandbox-callback-token");
        props.putAll(overrides);
        return props;
    }

    /** The settings as command-line arguments: they outrank application.yml, as environment variables do in production. */
    public static String[] arguments(Map<String, Object> settings) {
        return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /**
     * Runs {@code main} in a child JVM (-Xmx384m, this test's class path) with the settings of a test hub on a new data
     * folder ({@code target/test-data/<name>-<uuid>}) as its arguments, its output in {@code <name>-hub.log} there:
     * for tests of what happens when a hub's JVM halts or is asked to stop.
     */
    public static ChildJvm startChildJvm(Class<?> main, String name) throws IOException {
        Path dataDir = Path.of("target", "test-data", name + "-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve(name + "-hub.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Djava.library.path=" + System.getProperty("java.library.path"), // the broker's journal as here
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(arguments(settings(dataDir, Map.of()))));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildJvm(process, dataDir, log);
    }

    /** A child JVM started by {@link #startChildJvm}: the process, its data folder (to start a hub on again), its log. */
    public record ChildJvm(Process process, Path dataDir, Path log) {
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public String base() {
        return "http://localhost:" + port;
    }

    @Override
    public void close() {
        context.close();
    }
}

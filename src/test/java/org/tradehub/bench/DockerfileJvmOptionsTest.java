package org.tradehub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The benchmark measures the hub with the JVM options production runs it with: the Dockerfile's JDK_JAVA_OPTIONS, set
 * before its hub-install (so that the CDS archive is written under the options the hub runs with).
 */
class DockerfileJvmOptionsTest {

    @Test
    void benchmarkStartsTheHubWithTheDockerfilesJvmOptions() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        int runtimeStage = lastIndexStartingWith(lines, "FROM ");
        int env = lastIndexStartingWith(lines, "ENV JDK_JAVA_OPTIONS=");
        int install = lastIndexStartingWith(lines, "RUN bin/hub-install");
        assertTrue(env > runtimeStage, "the runtime stage sets JDK_JAVA_OPTIONS");
        assertTrue(install > env, "JDK_JAVA_OPTIONS is set before hub-install writes the CDS archive");
        String value = lines.get(env).substring("ENV JDK_JAVA_OPTIONS=".length()).trim();
        // quoted when it holds several options
        assertEquals(HubProcess.JVM_OPTIONS, value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}

package org.tradehub.launch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Step of {@code bin/hub-install}: puts Artemis's libaio binding ({@code libartemis-native-64.so}, shipped inside the
 * activemq-artemis-native jar) into a folder, so that a hub started with {@code -Djava.library.path=FOLDER} writes its
 * embedded broker's journal with Linux's asynchronous direct I/O (see EmbeddedBrokerConfig).
 * <p>
 * Why a file: Artemis loads the binding with {@code System.loadLibrary} only, which searches {@code java.library.path}
 * and never the class path, and the JVM reads that path once, at start. Where there is no binding for the machine (not
 * Linux on x86-64) nothing is written and the broker uses NIO, as Artemis does wherever the binding cannot load.
 * <p>Usage: {@code java -cp hub.jar org.tradehub.launch.ArtemisNativeLibrary FOLDER}
 */
public final class ArtemisNativeLibrary {

    static final String FILE = "libartemis-native-64.so";
    static final String RESOURCE = "lib/linux-x86_64/" + FILE;

    private ArtemisNativeLibrary() {
    }

    public static void main(String[] args) throws IOException {
        Path written = install(Path.of(args[0]), System.getProperty("os.name"), System.getProperty("os.arch"));
        System.out.println(written == null ? "no Artemis libaio binding for this machine: the embedded broker uses NIO"
                : "Artemis libaio binding: " + written);
    }

    /** @return the file written, or null when the jar has no binding for this operating system and architecture */
    static Path install(Path folder, String osName, String osArch) throws IOException {
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return null;
        }
        try (InputStream in = ArtemisNativeLibrary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the class path (activemq-artemis-native)");
            }
            Files.createDirectories(folder);
            Path file = folder.resolve(FILE);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }
}

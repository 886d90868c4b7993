package org.tradehub.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsClassListTest {

    @TempDir
    Path dir;

    @Test
    void dropsClassesOfSignedJarsAndVersionedClassesWithTheirLambdaProxies() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        jar(lib.resolve("signed.jar"), "META-INF/SIGNER.SF", "net/signed/Engine.class", "net/signed/Factory.class");
        jar(lib.resolve("multi-release.jar"), "io/mr/Base.class", "META-INF/versions/9/io/mr/Java9Only.class");
        jar(dir.resolve("hub.jar"), "org/hub/App.class");
        Path classes = dir.resolve("classes");
        Files.write(classes, List.of(
                "# NOTE: Do not modify this file.",
                "java/lang/Object id: 0",
                "org/hub/App",
                "net/signed/Engine",
                "io/mr/Base",
                "io/mr/Java9Only",
                "@lambda-proxy org/hub/App run ()Ljava/lang/Runnable; ()V REF_invokeStatic org/hub/App lambda$0 ()V ()V",
                "@lambda-proxy net/signed/Engine make ()Ljava/util/function/Supplier; ()Ljava/lang/Object; "
                        + "REF_invokeStatic net/signed/Engine lambda$1 ()Ljava/lang/Object; ()Ljava/lang/Object;",
                "@lambda-proxy org/hub/App create ()Lnet/signed/Factory; ()V REF_invokeStatic org/hub/App lambda$2 ()V ()V"));
        Path out = dir.resolve("classes.cds");

        CdsClassList.main(new String[] {classes.toString(), out.toString(), dir.resolve("hub.jar").toString(), lib.toString()});

        assertThat(Files.readAllLines(out)).containsExactly(
                "# NOTE: Do not modify this file.",
                "java/lang/Object id: 0",
                "org/hub/App",
                "io/mr/Base",
                "@lambda-proxy org/hub/App run ()Ljava/lang/Runnable; ()V REF_invokeStatic org/hub/App lambda$0 ()V ()V");
    }

    private static void jar(Path file, String... entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(os)) {
            for (String entry : entries) {
                jar.putNextEntry(new JarEntry(entry));
                jar.closeEntry();
            }
        }
    }
}

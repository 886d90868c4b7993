package org.tradehub.launch;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ArtemisNativeLibraryTest {

    @Test
    void writesTheBindingForLinuxOnX8664AsTheFileSystemLoadLibraryLooksFor(@TempDir Path dir) throws Exception {
        Path written = ArtemisNativeLibrary.install(dir.resolve("native"), "Linux", "amd64");

        // the name System.loadLibrary("artemis-native-64") maps to, and the ELF shared object itself
        assertThat(written).isEqualTo(dir.resolve("native").resolve(System.mapLibraryName("artemis-native-64")));
        byte[] head = Files.readAllBytes(written);
        assertThat(head.length).isGreaterThan(10_000);
        assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ELF");
    }

    @Test
    void writesNothingWhereArtemisShipsNoBinding(@TempDir Path dir) throws Exception {
        assertThat(ArtemisNativeLibrary.install(dir, "Linux", "aarch64")).isNull();
        assertThat(ArtemisNativeLibrary.install(dir, "Mac OS X", "x86_64")).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}

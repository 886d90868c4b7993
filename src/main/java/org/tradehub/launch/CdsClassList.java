package org.tradehub.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Step of {@code bin/hub-install}: takes out of a class list written by {@code -XX:DumpLoadedClassList} every line
 * that names a class the JDK 17 CDS archive must not hold, before {@code -Xshare:dump} reads it. Two JDK 17 bugs
 * (seen on 17.0.15) make that necessary, both fatal (SIGSEGV):
 * <ul>
 * <li>classes of signed jars (Saxon HE, BouncyCastle) are never archived, and {@code -Xshare:dump} crashes on the
 * lambda proxies of such classes ({@code SystemDictionaryShared::adjust_lambda_proxy_class_dictionary});</li>
 * <li>an archived class that a multi-release jar holds under {@code META-INF/versions/} crashes the hub whenever a
 * JVMTI class-file hook is on (a JFR recording, a Java agent such as OpenTelemetry's): the JVM reads the class
 * file back from the jar by its unversioned name ({@code KlassFactory::check_shared_class_file_load_hook}).</li>
 * </ul>
 * Those classes are then loaded from their jars at every start, as without the archive.
 * <p>Usage: {@code java -cp hub.jar org.tradehub.launch.CdsClassList CLASSLIST OUT JAR_OR_FOLDER...}
 */
public final class CdsClassList {

    private static final Pattern SIGNATURE_FILE = Pattern.compile("META-INF/[^/]+\\.SF");
    private static final Pattern VERSIONED_CLASS = Pattern.compile("META-INF/versions/\\d+/(.+)\\.class");
    /** A class name in a class list line: a plain name (org/x/Y), or in a descriptor with an L before it (Lorg/x/Y;). */
    private static final Pattern CLASS_NAME = Pattern.compile("[\\w$]+(?:/[\\w$]+)+");

    private CdsClassList() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: CdsClassList CLASSLIST OUT JAR_OR_FOLDER...");
        }
        Set<String> excluded = new HashSet<>();
        for (int i = 2; i < args.length; i++) {
            for (Path jar : jars(Path.of(args[i]))) {
                collectExcluded(jar, excluded);
            }
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!namesAny(line, excluded)) {
                kept.add(line);
            }
        }
        Files.write(Path.of(args[1]), kept);
    }

    private static List<Path> jars(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void collectExcluded(Path jar, Set<String> excluded) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            boolean signed = file.stream().anyMatch(e -> SIGNATURE_FILE.matcher(e.getName()).matches());
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                Matcher versioned = VERSIONED_CLASS.matcher(entry.getName());
                if (versioned.matches()) {
                    excluded.add(versioned.group(1));
                } else if (signed && entry.getName().endsWith(".class")) {
                    excluded.add(entry.getName().substring(0, entry.getName().length() - ".class".length()));
                }
            }
        }
    }

    private static boolean namesAny(String line, Set<String> classes) {
        Matcher name = CLASS_NAME.matcher(line);
        while (name.find()) {
            String n = name.group();
            if (classes.contains(n) || n.startsWith("L") && classes.contains(n.substring(1))) {
                return true;
            }
        }
        return false;
    }
}

package io.hallmark.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The installed launcher, bin/hallmark (as the build filled it in), on a layout of its own: which Java it picks,
 * and that it starts the jar as the source tree's ./hallmark does. Fake Java installations print how they were
 * called; where the launcher passes them over for a real Java, a stand-in jar says which. The real jar runs in the
 * integration tests (TarballIT, InstalledPackageIT).
 */
class DistLayoutTest {

    static final Path SOURCE = Path.of(System.getProperty("hallmark.source.root"));
    static final Path LAUNCHER = SOURCE.resolve("hallmark-dist/target/dist/bin/hallmark");
    static final String MIN = System.getProperty("hallmark.java.min");

    @TempDir
    Path dir;

    @Test
    void theBuildFilledInTheOldestJavaAccepted() throws Exception {
        String script = Files.readString(LAUNCHER);
        assertTrue(script.contains("\nmin=" + MIN + "\n"), "min=" + MIN + " in " + LAUNCHER);
        assertFalse(script.contains("@hallmark."), "no placeholder left");
    }

    @Test
    void theJitOptionsAreTheSourceTreeLaunchers() throws Exception {
        Pattern jit = Pattern.compile("\njit=\"([^\"]+)\"");
        Matcher installed = jit.matcher(Files.readString(LAUNCHER));
        Matcher source = jit.matcher(Files.readString(SOURCE.resolve("hallmark")));
        assertTrue(installed.find() && source.find(), "both set jit=...");
        assertEquals(source.group(1), installed.group(1), "measured once (docs/benchmarks.md), used by both");
    }

    @Test
    void theBundledRuntimeComesFirstAndTheArgumentsPassThrough() throws Exception {
        Path home = layout();
        fakeJava(home.resolve("runtime"), "25.0.1");
        Path otherJdk = fakeJava(dir.resolve("jdk"), "25.0.2");
        Run.Result r = Run.in(dir).with("JAVA_HOME", otherJdk.toString()).with("HALLMARK_JAVA_OPTS", "-Xmx64m")
                .run(dir.resolve("usr/bin/hallmark").toString(), "--data", "d d", "-V").ok(); // through the link, as /usr/bin/hallmark
        assertEquals(home.resolve("runtime/bin/java") + "|-XX:FreqInlineSize=100|-XX:InlineSmallCode=1000|-Xmx64m"
                + "|--enable-native-access=ALL-UNNAMED|-Dhallmark.command=" + dir.resolve("usr/bin/hallmark")
                + "|-jar|" + home.resolve("hallmark.jar") + "|--data|d d|-V", r.out().strip());
    }

    @Test
    void withoutARuntimeJavaHomeIsUsedWhenNewEnough() throws Exception {
        Path home = layout();
        Path jdk = fakeJava(dir.resolve("jdk"), MIN + ".0.3");
        Run.Result r = Run.in(dir).with("JAVA_HOME", jdk.toString()).run(home.resolve("bin/hallmark").toString(), "-V").ok();
        assertTrue(r.out().startsWith(jdk.resolve("bin/java") + "|"), r::toString);
    }

    @Test
    void aJavaHomeTooOldIsPassedOver() throws Exception {
        Path home = layout();
        Path old = fakeJava(dir.resolve("jdk8"), "1.8.0_402");
        Run.Result r = Run.in(dir).with("JAVA_HOME", old.toString()).run(home.resolve("bin/hallmark").toString(), "-V");
        // Whatever else this machine has: a newer real Java (under /usr/lib/jvm, or on PATH), or none and the one-line error.
        if (r.exit() == 0) {
            Matcher real = Pattern.compile("java\\.home=(\\S+) release=(\\d+)").matcher(r.out());
            assertTrue(real.find(), r::toString);
            assertNotEquals(old.toString(), real.group(1));
            assertTrue(Integer.parseInt(real.group(2)) >= Integer.parseInt(MIN), r::toString);
        } else {
            assertEquals("hallmark: needs Java " + MIN + " or newer: found none in $JAVA_HOME, under /usr/lib/jvm or on PATH (set JAVA_HOME)",
                    r.err().strip(), r::toString);
        }
    }

    /**
     * HOME/bin/hallmark, reached through a symbolic link as /usr/bin/hallmark reaches it, and a HOME/hallmark.jar that
     * says which Java runs it ({@link PrintJava}).
     */
    private Path layout() throws Exception {
        Path home = Files.createDirectories(dir.resolve("release"));
        Files.createDirectories(home.resolve("bin"));
        Files.copy(LAUNCHER, home.resolve("bin/hallmark"));
        Files.setPosixFilePermissions(home.resolve("bin/hallmark"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintJava.class.getName());
        String entry = PrintJava.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(home.resolve("hallmark.jar")), manifest);
             InputStream in = PrintJava.class.getClassLoader().getResourceAsStream(entry)) {
            jar.putNextEntry(new JarEntry(entry));
            in.transferTo(jar);
        }
        Path link = Files.createDirectories(dir.resolve("usr/bin")).resolve("hallmark");
        Files.createSymbolicLink(link, home.resolve("bin/hallmark"));
        return home;
    }

    /** A Java installation whose bin/java prints its own path and its arguments, separated by '|'. */
    private static Path fakeJava(Path home, String version) throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s' \"$0\"; for a in \"$@\"; do printf '|%s' \"$a\"; done; echo\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}

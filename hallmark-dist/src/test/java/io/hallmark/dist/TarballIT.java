package io.hallmark.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tarball, unpacked anywhere: bin/hallmark runs with nothing but a Java on the machine (the newest under
 * /usr/lib/jvm here, as JAVA_HOME is not set), every jar its manifest names is there, and the units and docs
 * came along.
 */
class TarballIT {

    static final Path TARGET = Path.of(System.getProperty("hallmark.dist.dir"));
    static final String VERSION = System.getProperty("hallmark.version");

    @TempDir
    Path dir;

    @Test
    void unpackedAnywhereItRuns() throws Exception {
        Path tarball = TARGET.resolve("hallmark-" + VERSION + ".tar.gz");
        Run.in(dir).run("tar", "-xzf", tarball.toString()).ok();
        Path home = dir.resolve("hallmark-" + VERSION);
        for (String f : new String[]{"hallmark.jar", "systemd/hallmark.service", "systemd/hallmark-device-renew.service",
                "systemd/hallmark-device-renew.timer", "sysusers.d/hallmark.conf", "etc/hallmark.env", "docs/install.md", "README.md"}) {
            assertTrue(Files.exists(home.resolve(f)), f);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/hallmark")));

        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Run.Result version = Run.in(elsewhere).run(home.resolve("bin/hallmark").toString(), "-V").ok();
        assertTrue(version.out().startsWith("hallmark " + VERSION + "\ncommit "), version::toString);
        try (JarFile jar = new JarFile(home.resolve("hallmark.jar").toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            for (String entry : classPath.split(" ")) {
                assertTrue(Files.isRegularFile(home.resolve(entry)), "the manifest's " + entry + " is in the tarball");
            }
            assertTrue(classPath.contains("lib/hallmark-bench-"), "`hallmark bench` included: " + classPath);
        }
    }
}

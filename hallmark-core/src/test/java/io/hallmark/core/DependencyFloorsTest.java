package io.hallmark.core;

import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

import java.lang.Runtime.Version;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The security libraries Hallmark runs on are at least the releases that fix the vulnerabilities we know
 * of. Reads the versions of the jars actually loaded (not the POM), needs no network, and so cannot fail
 * for any reason but a version below its floor. Finding newer releases is a separate, non-failing command
 * (docs/security.md, "Dependencies"); raise a floor here when an advisory names a fixed version.
 */
class DependencyFloorsTest {

    /** @param loadedFrom a class that lives in that artifact's jar */
    record Floor(String artifact, Class<?> loadedFrom, String minimum, String fixes) {
    }

    static final List<Floor> FLOORS = List.of(
            new Floor("bcprov-jdk18on", BouncyCastleProvider.class, "1.86",
                    "CVE-2026-8763 name-constraints bypass (trailing dot), CVE-2026-58062 stapled OCSP response not bound"
                            + " to the certificate (1.85); CVE-2026-97873 unbounded PBE iteration counts (1.86)"),
            new Floor("bcpkix-jdk18on", X509CertificateHolder.class, "1.86",
                    "CVE-2026-5588 composite-signature verifier accepts an empty signature (1.84); CVE-2026-59647 unbounded"
                            + " CMP/CRMF password-MAC iterations (1.85); CVE-2026-17508 unbounded PBKDF cost from input (1.86)"),
            new Floor("bcutil-jdk18on", CsrAttrs.class, "1.86", "released with bcprov and bcpkix: the three must match"));

    @Test
    void everyFloorIsMet() {
        for (Floor floor : FLOORS) {
            String loaded = versionOf(floor.loadedFrom());
            assertTrue(Version.parse(loaded).compareTo(Version.parse(floor.minimum())) >= 0,
                    () -> floor.artifact() + " " + loaded + " is below " + floor.minimum() + ", which fixes " + floor.fixes());
        }
    }

    @Test
    void theBouncyCastleJarsAreOneRelease() {
        List<String> versions = FLOORS.stream().map(f -> versionOf(f.loadedFrom())).distinct().toList();
        assertEquals(1, versions.size(), () -> "bcprov, bcpkix and bcutil must be the same release, found " + versions);
    }

    /** The OSGi Bundle-Version (BouncyCastle, Jackson and Jetty all write one) of the jar a class was loaded from. */
    static String versionOf(Class<?> type) {
        try {
            Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (JarFile file = new JarFile(jar.toFile())) {
                Attributes main = file.getManifest().getMainAttributes();
                String version = main.getValue("Bundle-Version");
                assertNotNull(version, () -> jar + " has no Bundle-Version in its manifest");
                return version;
            }
        } catch (URISyntaxException | java.io.IOException e) {
            throw new AssertionError("cannot read the manifest of the jar holding " + type.getName(), e);
        }
    }
}

package io.hallmark.store.nodes;

import io.hallmark.testing.Peers;
import io.hallmark.testing.Pkcs11ToolListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OCSP responder keys follow their CA's vault: beside a CA on a SoftHSM2 token, each responder's key is made on the
 * token (sensitive, never extractable, nothing sealed into the database), and a retired one is deleted from the token
 * at the rotation after the one that retired it. {@code pkcs11-tool} reads the token.
 */
class TokenResponderKeysTest {

    private static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
    private static final String PIN = "97531";
    private static final Pattern RESPONDER = Pattern.compile("responder (pkcs11:\\S+) sealed=(true|false) retired=(\\S+)");

    @TempDir
    Path dir;

    @Test
    void responderKeysAreMadeOnTheCasTokenAndRetiredOnesDeletedFromIt() throws Exception {
        Path softhsm = Peers.tool("softhsm2-util");
        Path pkcs11Tool = Peers.tool("pkcs11-tool");
        Path conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + Files.createDirectories(dir.resolve("tokens"))
                + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        run(conf, softhsm.toString(), "--init-token", "--free", "--label", "responders", "--pin", PIN, "--so-pin", "24681357");
        Path pin = dir.resolve("pin");
        Files.writeString(pin, PIN + "\n");

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = run(conf, javaBin, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TokenResponderProbe.class.getName(), Files.createDirectories(dir.resolve("data")).toString(), LIBRARY, "responders", pin.toString(), "3");

        List<String[]> responders = new ArrayList<>();
        Matcher m = RESPONDER.matcher(out);
        while (m.find()) responders.add(new String[]{m.group(1), m.group(2), m.group(3)});
        assertEquals(4, responders.size(), out);
        for (int i = 0; i < responders.size(); i++) {
            assertEquals("false", responders.get(i)[1], "a token responder's key is not sealed into the database: " + out);
            if (i > 0) {
                assertNotEquals(responders.get(i - 1)[0], responders.get(i)[0], "each rotation makes a new key: " + out);
                assertEquals(responders.get(i - 1)[0], responders.get(i)[2], "the replaced key is remembered as retired: " + out);
            }
        }

        String objects = run(conf, pkcs11Tool.toString(), "--module", LIBRARY, "--token-label", "responders", "-O", "--login", "--pin", PIN);
        // SunPKCS11 labels the binding certificate; the private key carries the same CKA_ID (the alias's bytes).
        List<String> responderKeys = Pkcs11ToolListing.blocks(objects, "Private Key Object").stream().filter(b -> b.contains(id("ldevid-ca-ocsp-"))).toList();
        // The current key and the one it replaced stay; the two retired before that were deleted.
        assertEquals(2, responderKeys.size(), objects);
        for (String key : responderKeys) {
            assertTrue(key.contains("never extractable") && key.contains("sensitive"), key);
        }
        for (int gone = 0; gone < 2; gone++) {
            String label = label(responders.get(gone)[0]);
            assertFalse(objects.contains(id(label)), label + " was retired two rotations ago and must be gone from the token: " + objects);
        }
        for (int kept = 2; kept < 4; kept++) {
            assertTrue(objects.contains(id(label(responders.get(kept)[0]))), objects);
        }
    }

    /** How pkcs11-tool prints a CKA_ID: the alias's bytes in hex. */
    private static String id(String alias) {
        return java.util.HexFormat.of().formatHex(alias.getBytes(StandardCharsets.UTF_8));
    }

    private static String label(String uri) {
        Matcher m = Pattern.compile("object=([^;]+)").matcher(uri);
        assertTrue(m.find(), uri);
        return m.group(1);
    }

    private static String run(Path conf, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + out);
        return out;
    }
}

package io.hallmark.cli;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The revocation commands end to end: revoke forms and exit codes, crl generate read back by openssl. */
class RevocationCliTest {

    @TempDir
    Path dir;

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--data";
        all[1] = dir.resolve("data").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Main.run(all);
    }

    private String serialOf(Path pem) throws Exception {
        var cert = io.hallmark.core.crypto.Pem.holder(io.hallmark.core.crypto.Pem.derOf(Files.readAllBytes(pem), "CERTIFICATE"));
        return cert.getSerialNumber().toString(16);
    }

    @Test
    void revokeFormsAndCrlGenerate() throws Exception {
        assertEquals(0, run("init"));
        assertEquals(0, run("publication", "--base-url", "http://127.0.0.1:8080", "--partitions", "ldevid-ca=4"));
        assertEquals(3, run("publication", "--partitions", "ldevid-ca=2"), "partition counts never shrink");
        for (String name : new String[]{"a", "b", "c"}) {
            assertEquals(0, run("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=" + name,
                    "--serial-number", "DEV-" + name, "--out", dir.resolve(name + ".pem").toString()));
        }
        String a = serialOf(dir.resolve("a.pem")), b = serialOf(dir.resolve("b.pem"));

        // SERIAL form still works; a second time is a conflict (exit 5).
        assertEquals(0, run("revoke", a, "--reason", "keyCompromise"));
        assertEquals(5, run("revoke", a, "--reason", "keyCompromise"));
        // A batch with an unknown serial: exit 4, nothing revoked, so b can still be revoked on its own.
        Path batch = Files.writeString(dir.resolve("batch.txt"), "# test\n" + b + "\n0123456789abcdef\n");
        assertEquals(4, run("revoke", "--batch", batch.toString(), "--reason", "superseded"));
        Files.writeString(batch, b + "\n" + a + "\n");
        assertEquals(0, run("revoke", "--batch", batch.toString(), "--reason", "superseded"));
        // By device: its current certificate, and the device is blocked from further issuance (exit 6).
        assertEquals(0, run("revoke", "--device", "DEV-c", "--reason", "cessationOfOperation"));
        assertEquals(6, run("issue", "--ca", "ldevid-ca", "--profile", "ldevid", "--generate-key", "--subject", "CN=c2",
                "--serial-number", "DEV-c", "--out", dir.resolve("c2.pem").toString()));
        assertEquals(2, run("revoke", "--reason", "keyCompromise"), "one of SERIAL, --device, --batch is required");
        assertEquals(3, run("revoke", b, "--reason", "certificateHold"));
        // A real RFC 5280 name, refused for what it is rather than as a typo.
        Cli.Run hold = Cli.run(dir.resolve("data"), "revoke", b, "--reason", "certificateHold");
        assertEquals(ExitCodes.BAD_INPUT, hold.exit(), hold::toString);
        assertTrue(hold.err().startsWith("hallmark: revocation is final: holds (certificateHold) are not supported"), hold::toString);
        assertFalse(hold.err().contains("unknown"), hold::toString);

        Path crl = dir.resolve("ldevid-ca.crl");
        assertEquals(0, run("crl", "generate", "--ca", "ldevid-ca", "--out", crl.toString()));
        assertEquals(0, run("crl", "generate", "--ca", "ldevid-ca", "--delta", "--out", dir.resolve("delta.crl").toString()));
        assertEquals(0, run("crl", "generate", "--ca", "ldevid-ca", "--partition", "1", "--out", dir.resolve("p1.crl").toString()));
        assertEquals(4, run("crl", "generate", "--ca", "no-such-ca"));

        Path openssl = tool("openssl");
        Files.copy(dir.resolve("data/ca/ldevid-ca-chain.pem"), dir.resolve("chain.pem"));
        for (String f : new String[]{"ldevid-ca.crl", "delta.crl", "p1.crl"}) {
            Process p = new ProcessBuilder(openssl.toString(), "crl", "-inform", "DER", "-in", f, "-CAfile", "chain.pem", "-noout", "-text")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("verify OK"), out);
            if (f.equals("ldevid-ca.crl")) {
                Matcher m = Pattern.compile("Serial Number: ").matcher(out);
                int entries = 0;
                while (m.find()) entries++;
                assertEquals(3, entries, out);
            }
        }
    }

    private static Path tool(String name) {
        return io.hallmark.testing.Peers.tool(name);
    }
}

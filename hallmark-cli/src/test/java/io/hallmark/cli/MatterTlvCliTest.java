package io.hallmark.cli;

import io.hallmark.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hallmark matter tlv encode|decode} over the Matter SDK's vectors (hallmark-core's test resources), checked with openssl. */
class MatterTlvCliTest {

    @TempDir
    Path dir;

    private Path vector(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/matter/tlv/" + name)) {
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    @Test
    void decodeGivesTheSignedX509AndEncodeGivesTheTlvBack() throws IOException {
        Path node = vector("Node01_01.chip");
        Path ica = vector("ICA01.chip");
        Path root = vector("Root01.chip");
        for (String name : new String[] {"Node01_01", "ICA01", "Root01"}) {
            Cli.Run r = Cli.raw("matter", "tlv", "decode", "--in", dir.resolve(name + ".chip").toString(), "--out", dir.resolve(name + ".pem").toString());
            assertEquals(0, r.exit(), r.toString());
        }
        Cli.Run der = Cli.raw("matter", "tlv", "decode", "--in", node.toString(), "--out", dir.resolve("node.der").toString(), "--format", "der");
        assertEquals(0, der.exit(), der.toString());
        assertArrayEquals(Files.readAllBytes(vector("Node01_01.der")), Files.readAllBytes(dir.resolve("node.der")));

        // openssl, a real peer, accepts the rebuilt chain: every signature verifies.
        Path openssl = Peers.tool("openssl");
        Peers.Result verify = Peers.run(dir, openssl.toString(), "verify", "-CAfile", "Root01.pem", "-untrusted", "ICA01.pem", "Node01_01.pem");
        assertEquals(0, verify.exit(), verify.all());

        Cli.Run encode = Cli.raw("matter", "tlv", "encode", "--in", dir.resolve("Node01_01.pem").toString(), "--out", dir.resolve("again.chip").toString());
        assertEquals(0, encode.exit(), encode.toString());
        assertTrue(encode.out().contains("Matter TLV, 269 bytes (the DER was 485)"), encode.out());
        assertArrayEquals(Files.readAllBytes(node), Files.readAllBytes(dir.resolve("again.chip")));
        assertTrue(Files.exists(ica) && Files.exists(root));
    }

    @Test
    void badInputIsOneLineAndExitCode3() throws IOException {
        Cli.Run err01 = Cli.raw("matter", "tlv", "decode", "--in", vector("Node01_01_Err01.chip").toString(), "--out", dir.resolve("x.pem").toString());
        assertEquals(ExitCodes.BAD_INPUT, err01.exit(), err01.toString());
        assertEquals(1, err01.err().lines().count(), err01.err());
        assertTrue(err01.err().startsWith("hallmark: Matter TLV certificate: extension with a common-profile tag"), err01.err());
        assertTrue(Files.notExists(dir.resolve("x.pem")), "nothing is written for a refused input");

        Path truncated = dir.resolve("cut.chip");
        byte[] whole = Files.readAllBytes(vector("Root01.chip"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, 100));
        Cli.Run cut = Cli.raw("matter", "tlv", "decode", "--in", truncated.toString(), "--out", dir.resolve("y.pem").toString());
        assertEquals(ExitCodes.BAD_INPUT, cut.exit(), cut.toString());
        assertTrue(cut.err().contains("truncated"), cut.err());

        Cli.Run wrongWay = Cli.raw("matter", "tlv", "encode", "--in", vector("Root01.chip").toString(), "--out", dir.resolve("z").toString());
        assertEquals(ExitCodes.BAD_INPUT, wrongWay.exit(), wrongWay.toString());
        assertTrue(wrongWay.err().contains("already a Matter TLV certificate"), wrongWay.err());

        Path big = dir.resolve("big.pem");
        Files.write(big, new byte[MatterTlvCommand.MAX_INPUT + 1]);
        Cli.Run tooBig = Cli.raw("matter", "tlv", "encode", "--in", big.toString(), "--out", dir.resolve("w").toString());
        assertEquals(ExitCodes.BAD_INPUT, tooBig.exit(), tooBig.toString());
        assertTrue(tooBig.err().contains("is larger than 16 KiB"), tooBig.err());

        Cli.Run missing = Cli.raw("matter", "tlv", "decode", "--in", dir.resolve("nope.chip").toString(), "--out", dir.resolve("v").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }
}

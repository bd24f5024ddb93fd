package io.hallmark.cli;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.store.JdbcStore;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 in the middle of a batch, then run it again: everything acknowledged before the kill is
 * still there with the same certificate, and the store ends with exactly one certificate per device.
 */
class FactoryCrashTest {

    private static final int DEVICES = 8000;

    @TempDir
    Path dir;

    @Test
    void sigkillMidBatchThenRerunLeavesNoGapsAndNoDuplicates() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, Main.run("--data", data.toString(), "init"));
        Path items = dir.resolve("items.ndjson");
        X500Name subject = new X500Name("CN=crash test device");
        List<byte[]> lines = IntStream.range(0, DEVICES).parallel().mapToObj(i -> Ndjson.line(new FactoryItem(String.format("CRASH-%05d", i),
                Base64.getEncoder().encodeToString(Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, subject)),
                null, null, "secure-element"))).toList();
        try (OutputStream out = Files.newOutputStream(items)) {
            for (byte[] l : lines) out.write(l);
        }

        Path out1 = dir.resolve("out1");
        Process child = cli(data, items, out1);
        Path manifest = out1.resolve("manifest.csv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (acknowledged(manifest) < DEVICES / 4) {
            assertTrue(child.isAlive(), "the batch ended before it could be killed; raise DEVICES");
            assertTrue(System.nanoTime() < deadline, "no progress from the child");
            Thread.sleep(20);
        }
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        Map<String, String> beforeKill = rows(manifest);
        assertTrue(beforeKill.size() < DEVICES, "killed midway: " + beforeKill.size() + " acknowledged");
        assertTrue(beforeKill.size() >= DEVICES / 4);

        Path out2 = dir.resolve("out2");
        Process rerun = cli(data, items, out2);
        assertTrue(rerun.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, rerun.exitValue(), Files.readString(dir.resolve("child.log")));
        Map<String, String> after = rows(out2.resolve("manifest.csv"));
        assertEquals(DEVICES, after.size());
        beforeKill.forEach((device, serial) -> assertEquals(serial, after.get(device), "acknowledged before the kill, changed after: " + device));

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(JdbcStore.SQLITE_FILE))) {
            assertEquals(DEVICES, count(c, "SELECT COUNT(*) FROM certificates WHERE profile = 'idevid'"));
            assertEquals(DEVICES, count(c, "SELECT COUNT(DISTINCT device_id) FROM certificates WHERE profile = 'idevid'"));
            assertEquals(DEVICES, count(c, "SELECT COUNT(*) FROM device_identities WHERE profile = 'idevid'"));
            assertEquals(0, count(c, "SELECT COUNT(*) FROM certificates c WHERE profile = 'idevid' AND NOT EXISTS "
                    + "(SELECT 1 FROM device_identities d WHERE d.serial = c.serial)"), "no certificate outside a binding");
        }
        assertEquals(0, Main.run("--data", data.toString(), "audit", "verify"));
    }

    private Process cli(Path data, Path items, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--data", data.toString(), "factory", "run", "--ndjson", items.toString(), "--out", out.toString(),
                "--chunk", "250", "--no-bundles"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    private static long acknowledged(Path manifest) throws Exception {
        if (!Files.exists(manifest)) return 0;
        try (var lines = Files.lines(manifest)) {
            return lines.count() - 1;
        }
    }

    /** deviceSerial -> certificate serial, for complete rows (the last line may be cut by the kill). */
    private static Map<String, String> rows(Path manifest) throws Exception {
        Map<String, String> rows = new HashMap<>();
        for (String line : Files.readAllLines(manifest).subList(1, Files.readAllLines(manifest).size())) {
            String[] c = line.split(",", -1);
            if (c.length == 8 && c[1].equals("issued") || c.length == 8 && c[1].equals("existing")) rows.put(c[0], c[2]);
        }
        return rows;
    }

    private static long count(Connection c, String sql) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

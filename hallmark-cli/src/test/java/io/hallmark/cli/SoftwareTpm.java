package io.hallmark.cli;

import io.hallmark.testing.Peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A TPM 2.0 of the test's own, seen through PKCS#11 as a device would: swtpm (a software TPM) on free loopback ports,
 * tpm2-abrmd as its resource manager on a private D-Bus session bus, and a tpm2-pkcs11 token made with tpm2_ptool in
 * the test's directory. The resource manager is needed because tpm2_ptool runs one TPM command-line tool after the
 * other: talking to swtpm directly, the objects each loads stay loaded and the third fails with "out of memory for
 * object contexts".
 */
final class SoftwareTpm extends TokenShell implements AutoCloseable {

    static final String LIBRARY = "/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so";
    /** Debian installs tpm2_ptool as a module of its own python3 only (no command on the PATH). */
    private static final List<String> PTOOL = List.of("/usr/bin/python3", "-m", "tpm2_pkcs11.tpm2_ptool");

    private final List<Process> processes = new ArrayList<>();
    private Path store;

    SoftwareTpm(Path dir) throws Exception {
        super(dir);
        try {
            start();
        } catch (Exception | AssertionError e) {
            close(); // nothing left running when the set-up fails half-way
            throw e;
        }
    }

    private void start() throws Exception {
        Path swtpm = Peers.tool("swtpm");
        Path abrmd = abrmd();
        Path dbus = Peers.tool("dbus-daemon");
        Peers.tool("pkcs11-tool");
        Peers.file(Path.of(LIBRARY), "libtpm2-pkcs11-1");
        Peers.file(Path.of("/usr/lib/python3/dist-packages/tpm2_pkcs11/tpm2_ptool.py"), "python3-tpm2-pkcs11-tools");
        Peers.file(Path.of("/usr/lib/x86_64-linux-gnu/libtss2-tcti-tabrmd.so.0"), "libtss2-tcti-tabrmd0");
        Path state = Files.createDirectories(dir.resolve("tpm-state"));
        store = Files.createDirectories(dir.resolve("tpm-store"));
        // The swtpm TCTI finds the control channel on the next port: two free neighbours.
        int port = freePortPair();
        launch(List.of(swtpm.toString(), "socket", "--tpm2", "--tpmstate", "dir=" + state, "--server", "type=tcp,bindaddr=127.0.0.1,port=" + port,
                "--ctrl", "type=tcp,bindaddr=127.0.0.1,port=" + (port + 1), "--flags", "not-need-init,startup-clear"));
        Process bus = launch(List.of(dbus.toString(), "--session", "--nofork", "--print-address=1"));
        String address = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertNotNull(address, "dbus-daemon printed no address");
        with("DBUS_SESSION_BUS_ADDRESS", address.strip());
        with("TPM2TOOLS_TCTI", "tabrmd:bus_type=session");
        with("TPM2_PKCS11_TCTI", "tabrmd:bus_type=session");
        with("TPM2_PKCS11_STORE", store.toString());
        waitForPort(port);
        startWithEnvironment(List.of(abrmd.toString(), "--session", "--allow-root", "--tcti=swtpm:host=127.0.0.1,port=" + port));
        // The resource manager owns its bus name once it answers; tpm2_ptool's first command waits for that.
        Result init = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            init = exec(ptool("init", "--path", store.toString()));
            if (init.exit() == 0) break;
            Thread.sleep(200);
        }
        Result last = init;
        assertEquals(0, init.exit(), () -> last + "\n--- tpm2-abrmd\n" + read(dir.resolve("tpm2-abrmd.log")) + "--- swtpm\n" + read(dir.resolve("swtpm.log")));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no " + file.getFileName() + ")\n";
        } catch (IOException e) {
            return e + "\n";
        }
    }

    /** A token on the TPM, in the store's primary object. */
    void addToken(String label, String pin) {
        Result added = exec(ptool("addtoken", "--pid", "1", "--sopin", "87654321", "--userpin", pin, "--label", label, "--path", store.toString()));
        assertEquals(0, added.exit(), added::toString);
    }

    private static List<String> ptool(String... args) {
        List<String> command = new ArrayList<>(PTOOL);
        command.addAll(List.of(args));
        return command;
    }

    String objects(String label, String pin) {
        return objects(LIBRARY, label, pin);
    }

    private static Path abrmd() {
        Path sbin = Path.of("/usr/sbin/tpm2-abrmd");
        return Files.isExecutable(sbin) ? sbin : Peers.tool("tpm2-abrmd");
    }

    private Process launch(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectError(dir.resolve(Path.of(command.getFirst()).getFileName() + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private void startWithEnvironment(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(Path.of(command.getFirst()).getFileName() + ".log").toFile());
        pb.environment().putAll(environment());
        processes.add(pb.start());
    }

    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (var a = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = a.getLocalPort();
                if (port >= 65535) continue;
                try (var b = new java.net.ServerSocket(port + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no two neighbouring free ports");
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("swtpm never listened on " + port);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.reversed()) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }
}

package io.hallmark.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log tells who asked for what and when: its owner's only, as the rest of the data directory. */
class AccessLogModeTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theAccessLogIsOwnerOnlyOnceWritten() throws Exception {
        try (ServerFixture f = ServerFixture.start(dir)) {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.server.httpUri() + "/crl/idevid-ca.crl")).build(),
                    HttpResponse.BodyHandlers.discarding());
            Path log = dir.resolve("logs/access.log");
            for (int i = 0; i < 100 && Files.size(log) == 0; i++) {
                Thread.sleep(20); // written as the exchange completes, just after the client has its answer
            }
            assertTrue(Files.size(log) > 0, "the request was logged");
            assertEquals("rw-------", mode(log));
            assertEquals("rwx------", mode(dir.resolve("logs")));
        }
    }

    @Test
    void anExistingAccessLogIsTightened() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("access.log"), "{}\n");
        Files.setPosixFilePermissions(logs.resolve("access.log"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ServerFixture f = ServerFixture.start(dir)) {
            assertEquals("rw-------", mode(logs.resolve("access.log")));
            assertEquals("rwx------", mode(logs));
            assertTrue(Files.readString(logs.resolve("access.log")).startsWith("{}\n"), "appended to, not replaced");
        }
    }
}

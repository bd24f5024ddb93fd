package io.hallmark.server;

import io.hallmark.testing.Peers;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartCompliance;
import org.eclipse.jetty.io.Content;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * RFC 7030 §4.4 server-side key generation with curl as the device and openssl judging what comes back.
 * The multipart/mixed body is read the way a strict client (libest) reads it: by its CRLF-preceded
 * delimiters (RFC 2046 §5.1.1), with Jetty's parser in its strict mode, any leniency counted as a failure.
 */
class EstServerKeygenTest {

    @TempDir
    static Path dir;
    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        Peers.tool("curl");
        Peers.tool("openssl");
        f = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
    }

    /** One body part: its header fields (names lower-cased) and its content as sent. */
    record Part(Map<String, String> headers, byte[] content) {
        byte[] base64Decoded() {
            return java.util.Base64.getMimeDecoder().decode(content);
        }
    }

    /** What a curl POST to serverkeygen answered. */
    record Reply(String status, String contentType, byte[] body) {
    }

    /**
     * Splits a multipart body at its delimiters, strictly: a delimiter is CRLF "--" boundary (RFC 2046
     * §5.1.1), header lines end in CRLF, and the close delimiter must come. A bare LF before a delimiter
     * leaves it unrecognised, as it does for libest, and anything the strict mode tolerates only as a
     * "violation" fails the parse.
     */
    static List<Part> strictMultipart(String contentType, byte[] body) {
        String boundary = MultiPart.extractBoundary(contentType);
        assertNotNull(boundary, "no boundary in " + contentType);
        List<Part> parts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean[] complete = {false};
        MultiPart.Parser parser = new MultiPart.Parser(boundary, MultiPartCompliance.RFC7578_STRICT, new MultiPart.Parser.Listener() {
            Map<String, String> headers;
            ByteArrayOutputStream content;

            @Override
            public void onPartBegin() {
                headers = new LinkedHashMap<>();
                content = new ByteArrayOutputStream();
            }

            @Override
            public void onPartHeader(String name, String value) {
                headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            }

            @Override
            public void onPartContent(Content.Chunk chunk) {
                ByteBuffer b = chunk.getByteBuffer().slice();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                content.writeBytes(bytes);
                chunk.release();
            }

            @Override
            public void onPartEnd() {
                parts.add(new Part(headers, content.toByteArray()));
            }

            @Override
            public void onComplete() {
                complete[0] = true;
            }

            @Override
            public void onFailure(Throwable failure) {
                problems.add("failure: " + failure);
            }

            @Override
            public void onViolation(MultiPartCompliance.Violation violation) {
                problems.add("violation: " + violation.getName());
            }
        });
        parser.parse(Content.Chunk.from(ByteBuffer.wrap(body), true));
        String shown = new String(body, StandardCharsets.US_ASCII).replace("\r", "\\r").replace("\n", "\\n\n");
        assertEquals(List.of(), problems, () -> "not a strict RFC 2046 multipart body:\n" + shown);
        assertTrue(complete[0], () -> "no close delimiter:\n" + shown);
        return parts;
    }

    private static Reply serverkeygen(Path[] client, Path csr) throws Exception {
        Peers.Result r = Peers.run(dir, List.of("curl", "-sS", "--cacert", f.root.toString(), "-o", "kg.body", "-D", "kg.headers",
                "-w", "%{http_code}", "--cert", client[0].toString(), "--key", client[1].toString(),
                "-H", "Content-Type: application/pkcs10", "--data-binary", "@" + csr, f.est("serverkeygen")));
        String contentType = Files.readAllLines(dir.resolve("kg.headers")).stream()
                .filter(l -> l.regionMatches(true, 0, "content-type:", 0, 13))
                .map(l -> l.substring(13).strip()).findFirst().orElse(null);
        return new Reply(r.out(), contentType, Files.readAllBytes(dir.resolve("kg.body")));
    }

    /** A base64 DER CSR whose key is made by openssl with the given -newkey argument (it names the key type wanted). */
    private static Path csrWithNewKey(String newkey, String name) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-new", "-nodes", "-keyout", name + ".csrkey", "-subj", "/CN=keygen",
                "-outform", "DER", "-out", name + ".der", "-newkey"));
        cmd.addAll(List.of(newkey.split(" ")));
        Peers.Result r = Peers.run(dir, cmd);
        assertEquals(0, r.exit(), r::all);
        Path b64 = dir.resolve(name + ".b64");
        Files.writeString(b64, java.util.Base64.getMimeEncoder().encodeToString(Files.readAllBytes(dir.resolve(name + ".der"))) + "\n");
        return b64;
    }

    private static String openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Peers.Result r = Peers.run(dir, cmd);
        assertEquals(0, r.exit(), r::all);
        return r.out();
    }

    @Test
    void theBodyIsTwoPartsDelimitedAsRfc2046SaysWithTheContentTypesOfRfc7030() throws Exception {
        Path[] dev = f.idevid("KG-MIME");
        Reply reply = serverkeygen(dev, f.csrB64(dev[1], "/CN=keygen", "kg-mime"));
        assertEquals("200", reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
        assertTrue(reply.contentType().startsWith("multipart/mixed; boundary="), reply.contentType());

        List<Part> parts = strictMultipart(reply.contentType(), reply.body());
        assertEquals(2, parts.size(), "the private key and the certificate");
        Part key = parts.get(0);
        Part certs = parts.get(1);
        assertEquals(Map.of("content-type", "application/pkcs8", "content-transfer-encoding", "base64"), key.headers());
        assertEquals(Map.of("content-type", "application/pkcs7-mime; smime-type=certs-only", "content-transfer-encoding", "base64"),
                certs.headers());
        for (Part part : parts) {
            String text = new String(part.content(), StandardCharsets.US_ASCII);
            // RFC 2045 §6.8: base64 in lines of at most 76 characters, every line break a CRLF.
            assertFalse(text.replace("\r\n", "").contains("\n") || text.replace("\r\n", "").contains("\r"), "bare CR or LF in " + text);
            assertTrue(text.lines().allMatch(l -> l.length() <= 76), text);
            assertTrue(text.strip().matches("[A-Za-z0-9+/=\r\n]+"), text);
        }
        Files.write(dir.resolve("kg-mime.key.der"), key.base64Decoded());
        Files.write(dir.resolve("kg-mime.p7.der"), certs.base64Decoded());
        openssl("pkey", "-inform", "DER", "-in", "kg-mime.key.der", "-noout");
        assertTrue(openssl("pkcs7", "-inform", "DER", "-in", "kg-mime.p7.der", "-print_certs", "-noout").contains("serialNumber = KG-MIME"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ec-p256  | ec -pkeyopt ec_paramgen_curve:P-256 | NIST CURVE: P-256
            ec-p384  | ec -pkeyopt ec_paramgen_curve:P-384 | NIST CURVE: P-384
            rsa-3072 | rsa:3072                             | Private-Key: (3072 bit
            """)
    void theGeneratedKeyIsOfTheTypeTheCsrAsksForAndMatchesTheCertificate(String type, String newkey, String opensslSays) throws Exception {
        Path[] dev = f.idevid("KG-" + type);
        Path csr = csrWithNewKey(newkey, "kg-" + type);
        Reply reply = serverkeygen(dev, csr);
        assertEquals("200", reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
        List<Part> parts = strictMultipart(reply.contentType(), reply.body());
        assertEquals(2, parts.size());
        Files.write(dir.resolve("kg-" + type + ".key.der"), parts.get(0).base64Decoded());
        Files.write(dir.resolve("kg-" + type + ".p7.der"), parts.get(1).base64Decoded());
        openssl("pkcs7", "-inform", "DER", "-in", "kg-" + type + ".p7.der", "-print_certs", "-out", "kg-" + type + ".pem");

        String keyText = openssl("pkey", "-inform", "DER", "-in", "kg-" + type + ".key.der", "-noout", "-text");
        assertTrue(keyText.contains(opensslSays), keyText);
        String keyPublic = openssl("pkey", "-inform", "DER", "-in", "kg-" + type + ".key.der", "-pubout");
        String certPublic = openssl("x509", "-in", "kg-" + type + ".pem", "-noout", "-pubkey");
        assertEquals(keyPublic, certPublic, "the private key belongs to the certificate");
        String csrPublic = openssl("pkey", "-in", "kg-" + type + ".csrkey", "-pubout");
        assertNotEquals(csrPublic, certPublic, "RFC 7030 §4.4.1: the CSR's key values are ignored, a new key is made");
    }

    @Test
    void aKeyTypeOutsideThePolicyOrThatCannotBeGeneratedIsRefusedWith400AndNothingIsStored() throws Exception {
        Path[] dev = f.idevid("KG-REFUSE");
        long certs = f.certificates();
        long audit = f.auditEntries();
        record Case(String newkey, String reason) { }
        for (Case c : List.of(
                new Case("ec -pkeyopt ec_paramgen_curve:P-521", "not allowed by this profile"),
                new Case("rsa:2560", "rsa-2560"))) {
            Reply reply = serverkeygen(dev, csrWithNewKey(c.newkey(), "kg-refuse"));
            String text = new String(reply.body(), StandardCharsets.UTF_8);
            assertEquals("400", reply.status(), () -> c + ": " + text);
            assertTrue(text.contains(c.reason()), () -> c + ": " + text);
            assertEquals(1, text.strip().lines().count(), () -> "one line: " + text);
        }
        assertEquals(certs, f.certificates(), "no certificate was issued");
        assertEquals(audit, f.auditEntries(), "nothing was audited");
    }
}

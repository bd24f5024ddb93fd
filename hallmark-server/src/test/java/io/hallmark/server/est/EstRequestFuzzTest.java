package io.hallmark.server.est;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.CheckedCsr;
import io.hallmark.server.http.HttpError;
import io.hallmark.server.http.PathSegments;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hostile EST enrollment requests, read as the server reads them: the path (its label segment), the Content-Type,
 * Content-Transfer-Encoding and Authorization headers, and the body (base64 PKCS#10). The documented refusals are an
 * {@link HttpError} with a 4xx status, a HallmarkException NOT_FOUND for a label and BAD_INPUT for the CSR, each with
 * a short one-line reason; anything else, an OutOfMemoryError or a hang is a finding.
 * <p>
 * An input is a small request: the raw path on the first line, "Name: value" header lines, an empty line, then the
 * body (without the empty line, all of it is the body of a request to the default label). Without JAZZER_FUZZ the
 * seed corpus beside this class replays in the normal build; docs/security.md (Fuzzing) says how to run it long.
 */
class EstRequestFuzzTest {

    private static final List<EnrollmentLabel> CONFIGURED = List.of(
            new EnrollmentLabel("partner", "ldevid-ca", "ldevid", List.of("idevid-ca"), List.of(), true, List.of()),
            new EnrollmentLabel("", "ldevid-ca", "ldevid", List.of("idevid-ca"), List.of(), false, List.of()));

    /** The input being run (the fuzzer runs one at a time), which a reason may quote. */
    private static byte[] sent = new byte[0];

    @FuzzTest(maxDuration = "5m")
    void requests(byte[] input) {
        sent = input;
        Request r = Request.of(input);
        try {
            String[] segments = PathSegments.decode(r.path());
            String label = segments.length == 4 ? segments[2] : null;
            EnrollmentLabel found = EstLabels.find(CONFIGURED, label);
            if (!found.name().equals(label == null ? "" : label)) throw new AssertionError("label " + label + " found as " + found.name());
        } catch (IllegalArgumentException e) {
            reason(e.getMessage()); // the router's 400 for a bad escape
        } catch (HallmarkException e) {
            refused(e, HallmarkException.Kind.NOT_FOUND);
        }
        csr(read(r));
    }

    /**
     * serverkeygen: the same request, then the key type the server would make for the CSR's key, and the framing of
     * the answer, which must give back exactly what it framed to a strict multipart parser (RFC 2046).
     */
    @FuzzTest(maxDuration = "5m")
    void serverKeygen(byte[] input) {
        sent = input;
        Request r = Request.of(input);
        byte[] half = Arrays.copyOf(r.body(), r.body().length / 2);
        byte[] rest = Arrays.copyOfRange(r.body(), half.length, r.body().length);
        ServerKeygenBody answer = ServerKeygenBody.of(half, rest);
        List<byte[]> parts = parts(answer);
        if (parts.size() != 2 || !Arrays.equals(parts.get(0), half) || !Arrays.equals(parts.get(1), rest)) {
            throw new AssertionError("the serverkeygen answer does not give back its " + half.length + " and " + rest.length + " bytes");
        }
        CheckedCsr csr = csr(read(r));
        if (csr == null) return;
        try {
            KeyAlgorithm.toGenerateLike(csr.keyDescription());
        } catch (HallmarkException e) {
            refused(e, HallmarkException.Kind.BAD_INPUT);
        }
    }

    private static EstRequest read(Request r) {
        try {
            EstRequest request = EstRequest.read(r.headers().get("content-type"), r.headers().get("content-transfer-encoding"),
                    r.headers().get("authorization"), r.body());
            if (request.csr() == null) throw new AssertionError("a request without a CSR");
            return request;
        } catch (HttpError e) {
            if (e.status() < 400 || e.status() > 499) throw new AssertionError("refused with " + e.status() + ": " + e.getMessage(), e);
            reason(e.getMessage());
            return null;
        }
    }

    private static CheckedCsr csr(EstRequest request) {
        if (request == null) return null;
        try {
            return CheckedCsr.check(request.csr(), KeyPolicy.DEFAULT);
        } catch (HallmarkException e) {
            refused(e, HallmarkException.Kind.BAD_INPUT);
            return null;
        }
    }

    private static void refused(HallmarkException e, HallmarkException.Kind expected) {
        if (e.kind() != expected) throw new AssertionError("refused as " + e.kind() + " instead of " + expected + ": " + e.getMessage(), e);
        reason(e.getMessage());
    }

    /**
     * What a client is told (the reason as {@link io.hallmark.server.http.Exchange#reason} cuts it): one line that names
     * no Java class or exception, unless the request itself said it (a reason may quote the request, and the fuzzer,
     * guided by these very comparisons, soon learns to put "java." wherever a reason quotes).
     */
    static void reason(String message) {
        reason(message, sent);
    }

    static void reason(String message, byte[] input) {
        String told = message == null ? "" : io.hallmark.server.http.Exchange.reason(message);
        String sent = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1) + "\n" + new String(input, java.nio.charset.StandardCharsets.UTF_8);
        sent = sent + "\n" + java.util.regex.Pattern.compile("\\\\u([0-9a-fA-F]{4})").matcher(sent)
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        // Media types are case-insensitive and quoted lowercased: "com.Fasterxml" sent comes back as "com.fasterxml".
        sent = sent + "\n" + sent.toLowerCase(java.util.Locale.ROOT);
        if (message == null || message.isBlank() || message.contains("\n") || message.contains("\r") || told.length() > 400) {
            throw new AssertionError("not a short one-line reason: " + message);
        }
        for (String internal : new String[]{"Exception", "java.", "io.hallmark", "org.bouncycastle", "com.fasterxml"}) {
            if (told.contains(internal) && !sent.contains(internal)) throw new AssertionError("a reason naming " + internal + ": " + message);
        }
    }

    /** The parts of a multipart/mixed answer, each base64-decoded as its Content-Transfer-Encoding says. */
    private static List<byte[]> parts(ServerKeygenBody answer) {
        String boundary = answer.contentType().substring(answer.contentType().indexOf("boundary=") + 9);
        List<byte[]> parts = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        List<Throwable> failures = new ArrayList<>();
        MultiPart.Parser parser = new MultiPart.Parser(boundary, new MultiPart.Parser.Listener() {
            @Override
            public void onPartContent(Content.Chunk chunk) {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.getByteBuffer().get(bytes);
                current.writeBytes(bytes);
            }

            @Override
            public void onPartEnd() {
                parts.add(Base64.getMimeDecoder().decode(current.toByteArray()));
                current.reset();
            }

            @Override
            public void onFailure(Throwable failure) {
                failures.add(failure);
            }
        });
        parser.parse(Content.Chunk.from(java.nio.ByteBuffer.wrap(answer.bytes()), true));
        if (!failures.isEmpty()) throw new AssertionError("the serverkeygen answer is not multipart", failures.getFirst());
        return parts;
    }

    /** The raw path, headers (names lowercased) and body of a fuzz input. */
    record Request(String path, Map<String, String> headers, byte[] body) {

        static Request of(byte[] input) {
            int end = indexOf(input, "\n\n".getBytes(StandardCharsets.US_ASCII));
            if (end < 0) return new Request("/.well-known/est/simpleenroll", Map.of("content-type", "application/pkcs10"), input);
            String[] lines = new String(input, 0, end, StandardCharsets.ISO_8859_1).split("\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) headers.put(lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            byte[] body = Arrays.copyOfRange(input, end + 2, input.length);
            return new Request(lines.length == 0 ? "/" : lines[0], headers, Arrays.copyOf(body, Math.min(body.length, EstEndpoints.MAX_BODY)));
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) continue outer;
                }
                return i;
            }
            return -1;
        }
    }
}

package io.hallmark.core.factory.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.core.factory.ResultSink;
import io.hallmark.testing.GeneratedInput;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The length-prefixed CBOR wire form: layout, round trips, and every kind of bad input handled in line. */
class FramesTest {

    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final byte[] CSR = Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=frames"));
    /** Any DER stands in for a certificate here: the codec does not parse it. */
    private static final byte[] CERT = {0x30, 0x03, 0x02, 0x01, 0x07};

    private static byte[] frame(byte[] cbor) {
        byte[] f = new byte[4 + cbor.length];
        f[0] = (byte) (cbor.length >>> 24);
        f[1] = (byte) (cbor.length >>> 16);
        f[2] = (byte) (cbor.length >>> 8);
        f[3] = (byte) cbor.length;
        System.arraycopy(cbor, 0, f, 4, cbor.length);
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static List<BatchItem> readAll(InputStream in) throws Exception {
        List<BatchItem> items = new ArrayList<>();
        try (ItemSource source = Frames.items(in)) {
            for (BatchItem b = source.next(); b != null; b = source.next()) items.add(b);
            assertNull(source.next(), "the end stays the end");
        }
        return items;
    }

    private static byte[] item(String serial) {
        return new Frames.Encoder().item(FactoryItem.withDer(serial, CSR, null, null, null));
    }

    @Test
    void anItemRoundTripsWithItsCsrAsABareByteString() throws Exception {
        FactoryItem sent = FactoryItem.withDer("SN-1", CSR, "2.25.1234", "0a0b", "tpm");
        byte[] frame = new Frames.Encoder().item(sent);

        // Layout: 4-byte big-endian length of the rest, then one definite-length CBOR map of 5 entries.
        assertEquals(frame.length - 4, ((frame[0] & 0xff) << 24) | ((frame[1] & 0xff) << 16) | ((frame[2] & 0xff) << 8) | (frame[3] & 0xff));
        assertEquals((byte) 0xa5, frame[4]);
        JsonNode map = CBOR.readTree(java.util.Arrays.copyOfRange(frame, 4, frame.length));
        assertTrue(map.get("csr").isBinary(), "csr is a byte string, not text");
        assertArrayEquals(CSR, map.get("csr").binaryValue());
        assertEquals("SN-1", map.get("deviceSerial").asText());

        List<BatchItem> read = readAll(new ByteArrayInputStream(frame));
        assertEquals(1, read.size());
        FactoryItem got = read.getFirst().item();
        assertEquals(sent, got);
        assertTrue(got.hasDer());
        assertArrayEquals(CSR, got.csrBytes(), "the signer gets the DER as it arrived");

        // An item that came as text (NDJSON, CSV) goes out as the same DER: PEM and base64 decoded on the station.
        assertArrayEquals(frame, new Frames.Encoder().item(new FactoryItem("SN-1", Base64.getEncoder().encodeToString(CSR), "2.25.1234", "0a0b", "tpm")));
        assertArrayEquals(frame, new Frames.Encoder().item(new FactoryItem("SN-1", Pem.encode("CERTIFICATE REQUEST", CSR), "2.25.1234", "0a0b", "tpm")));
    }

    @Test
    void resultsRoundTripWithTheCertificateAsDerAndEndsAreReported() throws Exception {
        FactoryResult issued = FactoryResult.withDer(0, "SN-1", FactoryResult.ISSUED, "4f59", CERT, "ab".repeat(32), "cd".repeat(32),
                "9999-12-31T23:59:59Z", null, null);
        FactoryResult refused = FactoryResult.error(1, "SN-2", "CSR signature does not verify", "BAD_INPUT");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ResultSink sink = Frames.results(body);
        sink.accept(new BatchOutcome(issued, null, null));
        sink.accept(new BatchOutcome(refused, null, null));
        sink.chunkDone(new BatchProgress(2, 1, 0, 1, 1));

        byte[] b = body.toByteArray();
        JsonNode map = CBOR.readTree(java.util.Arrays.copyOfRange(b, 4, 4 + ((b[2] & 0xff) << 8 | (b[3] & 0xff))));
        assertTrue(map.get("certificate").isBinary());
        assertArrayEquals(CERT, map.get("certificate").binaryValue());

        ResultReader reader = Frames.resultReader(new ByteArrayInputStream(body.toByteArray()));
        FactoryResult first = reader.next();
        assertEquals(issued, first);
        assertArrayEquals(CERT, first.certificateDer());
        assertEquals(Pem.certificate(CERT), first.certificate(), "PEM on demand, for the bundle files");
        assertEquals(refused, reader.next());
        assertNull(reader.next());

        // A response the server had to stop: its last frame says why, and the reader reports it.
        byte[] stopped = concat(new Frames.Encoder().result(issued), Frames.stopFrame("500 store failed"));
        ResultReader cut = Frames.resultReader(new ByteArrayInputStream(stopped));
        assertEquals(issued, cut.next());
        IOException e = assertThrows(IOException.class, cut::next);
        assertTrue(e.getMessage().contains("the server stopped the batch: 500 store failed"), e.getMessage());
    }

    @Test
    void aFrameThatIsNotAnItemIsAnInLineErrorAndTheNextFrameIsRead() throws Exception {
        byte[] body = concat(
                item("SN-1"),
                frame(new byte[]{(byte) 0xff, 0x13, 0x37, 0x00, 0x1c}),                                   // not CBOR at all
                frame(CBOR.writeValueAsBytes(List.of("deviceSerial", "SN-x"))),                            // CBOR, but an array
                frame(CBOR.writeValueAsBytes(java.util.Map.of("deviceSerial", "SN-y", "colour", "red"))), // unknown field
                frame(CBOR.writeValueAsBytes(java.util.Map.of("deviceSerial", "SN-z", "csr", "MIIB..."))), // csr as text
                frame(new byte[0]),                                                                        // empty frame
                frame(concat(java.util.Arrays.copyOfRange(item("SN-w"), 4, item("SN-w").length), new byte[]{(byte) 0xa0})), // two items in one
                item("SN-2"));
        List<BatchItem> read = readAll(new ByteArrayInputStream(body));
        assertEquals(8, read.size(), read.toString());
        assertEquals("SN-1", read.get(0).item().deviceSerial());
        for (int i = 1; i <= 6; i++) {
            assertNull(read.get(i).item(), read.get(i).toString());
            assertTrue(read.get(i).inputError().startsWith("frame " + (i + 1) + " is not a factory item"), read.get(i).inputError());
        }
        assertTrue(read.get(2).inputError().contains("CBOR map"), read.get(2).inputError());
        assertTrue(read.get(3).inputError().contains("unknown field 'colour'"), read.get(3).inputError());
        assertTrue(read.get(4).inputError().contains("csr must be a byte string"), read.get(4).inputError());
        assertTrue(read.get(6).inputError().contains("more than one CBOR item"), read.get(6).inputError());
        assertEquals("SN-2", read.get(7).item().deviceSerial());
        assertArrayEquals(CSR, read.get(7).item().csrBytes());
    }

    @Test
    void anOversizedFrameIsSkippedUnreadAndTheNextFrameIsRead() throws Exception {
        byte[] tooLong = new byte[Frames.MAX_FRAME + 1];
        List<BatchItem> read = readAll(new ByteArrayInputStream(concat(item("SN-1"), frame(tooLong), item("SN-2"))));
        assertEquals(3, read.size());
        assertEquals("frame 2 is " + (Frames.MAX_FRAME + 1) + " bytes, longer than the " + Frames.MAX_FRAME + " accepted; skipped", read.get(1).inputError());
        assertEquals("SN-2", read.get(2).item().deviceSerial());

        // The largest length there is (2^32 - 1, unsigned): skipped, never read. The stream below serves
        // skips for free but counts what is read, so buffering the frame would show (and could not fit an array).
        byte[] after = item("SN-3");
        GeneratedInput huge = new GeneratedInput(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0xffffffffL, (byte) 0, after);
        List<BatchItem> big = readAll(huge);
        assertEquals(2, big.size());
        assertEquals("frame 1 is 4294967295 bytes, longer than the " + Frames.MAX_FRAME + " accepted; skipped", big.getFirst().inputError());
        assertEquals("SN-3", big.get(1).item().deviceSerial());
        assertTrue(huge.filledRead() < 1 << 20, huge.filledRead() + " bytes of the skipped frame were read");
    }

    @Test
    void aTruncatedFrameIsAnInLineErrorThenTheEnd() throws Exception {
        byte[] whole = item("SN-2");
        // The body ends inside the frame's body.
        List<BatchItem> cutBody = readAll(new ByteArrayInputStream(concat(item("SN-1"), java.util.Arrays.copyOf(whole, whole.length - 10))));
        assertEquals(2, cutBody.size());
        assertEquals("SN-1", cutBody.getFirst().item().deviceSerial());
        assertEquals("frame 2 is cut short: its length says " + (whole.length - 4) + " bytes, the body ends after " + (whole.length - 14),
                cutBody.get(1).inputError());

        // The body ends inside the 4-byte length.
        List<BatchItem> cutLength = readAll(new ByteArrayInputStream(concat(item("SN-1"), new byte[]{0, 0})));
        assertEquals(2, cutLength.size());
        assertEquals("frame 2 is cut short: the body ends inside its 4-byte length (2 of 4 bytes)", cutLength.get(1).inputError());

        // Announced as too long, and the body ends inside it.
        List<BatchItem> cutSkip = readAll(new ByteArrayInputStream(concat(new byte[]{0, 2, 0, 1}, new byte[100])));
        assertEquals(1, cutSkip.size());
        assertTrue(cutSkip.getFirst().inputError().endsWith("and the body ends inside it"), cutSkip.getFirst().inputError());
    }

    @Test
    void anEmptyBodyIsAnEmptyBatch() throws Exception {
        assertEquals(List.of(), readAll(new ByteArrayInputStream(new byte[0])));
        assertNull(Frames.resultReader(new ByteArrayInputStream(new byte[0])).next());
    }

    @Test
    void aResponseCutShortIsAnIOExceptionForTheStation() {
        FactoryResult r = FactoryResult.error(0, "SN-1", "x", "BAD_INPUT");
        byte[] f = new Frames.Encoder().result(r);
        ResultReader reader = Frames.resultReader(new ByteArrayInputStream(java.util.Arrays.copyOf(f, f.length - 1)));
        IOException e = assertThrows(IOException.class, reader::next);
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }

    /** By media type: hallmark-server's FactoryMediaTypesTest. */
    @Test
    void theWireFormatIsChosenByName() {
        assertEquals(WireFormat.FRAMES, WireFormat.named("frames"));
        assertEquals(WireFormat.NDJSON, WireFormat.named("NDJSON"));
        assertNull(WireFormat.named("cbor"));
    }

    /** NDJSON is unchanged by the DER-carrying items and results: base64 CSR, PEM certificate, same field order. */
    @Test
    void ndjsonStillCarriesTextWhateverFormTheValuesAreHeldIn() throws Exception {
        String item = new String(Ndjson.line(FactoryItem.withDer("SN-1", CSR, null, null, "tpm")), StandardCharsets.UTF_8);
        assertEquals("{\"deviceSerial\":\"SN-1\",\"csr\":\"" + Base64.getEncoder().encodeToString(CSR) + "\",\"keyStorage\":\"tpm\"}\n", item);
        BatchItem back = Ndjson.items(new ByteArrayInputStream(item.getBytes(StandardCharsets.UTF_8))).next();
        assertArrayEquals(CSR, back.item().csrBytes());

        FactoryResult r = FactoryResult.withDer(3, "SN-1", FactoryResult.ISSUED, "4f", CERT, "f", "k", "9999-12-31T23:59:59Z", null, null);
        String line = new String(Ndjson.line(r), StandardCharsets.UTF_8);
        assertEquals("{\"index\":3,\"deviceSerial\":\"SN-1\",\"status\":\"issued\",\"serial\":\"4f\",\"certificate\":"
                + new ObjectMapper().writeValueAsString(Pem.certificate(CERT)) + ",\"fingerprint\":\"f\",\"keySha256\":\"k\",\"notAfter\":\"9999-12-31T23:59:59Z\"}\n", line);
        ResultReader reader = Ndjson.resultReader(new ByteArrayInputStream(concat(Ndjson.line(r), Ndjson.stopLine("500 gone"))));
        assertEquals(r, reader.next());
        IOException e = assertThrows(IOException.class, reader::next);
        assertTrue(e.getMessage().contains("the server stopped the batch: 500 gone"), e.getMessage());
    }
}

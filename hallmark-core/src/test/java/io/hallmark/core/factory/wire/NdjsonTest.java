package io.hallmark.core.factory.wire;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.testing.GeneratedInput;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The NDJSON request body as the server reads it: lines bounded while they are read, bad lines answered in line. */
class NdjsonTest {

    private static final byte[] CSR = Csrs.create(KeyAlgorithm.EC_P256.generate(), KeyAlgorithm.EC_P256, new X500Name("CN=ndjson"));

    private static byte[] line(String serial) {
        return Ndjson.line(FactoryItem.withDer(serial, CSR, null, null, null));
    }

    private static List<BatchItem> readAll(InputStream in) throws Exception {
        List<BatchItem> items = new ArrayList<>();
        try (ItemSource source = Ndjson.items(in)) {
            for (BatchItem b = source.next(); b != null; b = source.next()) items.add(b);
            assertNull(source.next(), "the end stays the end");
        }
        return items;
    }

    /**
     * A 600 MB line between two items: the item after it is read, and reading it allocated a bounded amount
     * (the line is skipped, never buffered). Measured as this thread's allocation, which is where the source reads.
     */
    @Test
    void anOverlongLineIsSkippedWithoutBeingHeld() throws Exception {
        long length = 600L << 20;
        InputStream body = new GeneratedInput(line("SN-1"), length, (byte) 'a', concat(new byte[]{'\n'}, line("SN-2")));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        List<BatchItem> read = readAll(body);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 8L << 20, "reading a " + length + "-byte line allocated " + allocated + " bytes");

        assertEquals(3, read.size(), read.toString());
        assertEquals("SN-1", read.get(0).item().deviceSerial());
        assertEquals("line 2 is " + length + " bytes, longer than the " + Ndjson.MAX_LINE + " accepted; skipped", read.get(1).inputError());
        assertEquals("SN-2", read.get(2).item().deviceSerial());
    }

    @Test
    void theLimitIsInBytesAndALineAtTheLimitIsRead() throws Exception {
        byte[] item = line("SN-1");
        // Padding spaces inside the JSON object bring the line (without its newline) to exactly MAX_LINE bytes.
        byte[] atLimit = new byte[Ndjson.MAX_LINE + 1];
        Arrays.fill(atLimit, (byte) ' ');
        System.arraycopy(item, 0, atLimit, 0, item.length - 2);
        atLimit[Ndjson.MAX_LINE - 1] = '}';
        atLimit[Ndjson.MAX_LINE] = '\n';
        byte[] overLimit = new byte[Ndjson.MAX_LINE + 2];
        System.arraycopy(atLimit, 0, overLimit, 1, atLimit.length);
        overLimit[0] = ' ';
        List<BatchItem> read = readAll(new ByteArrayInputStream(concat(atLimit, overLimit, "\r\n\n".getBytes(StandardCharsets.US_ASCII), line("SN-3"))));
        assertEquals(3, read.size(), read.toString());
        assertEquals("SN-1", read.get(0).item().deviceSerial());
        assertEquals("line 2 is " + (Ndjson.MAX_LINE + 1) + " bytes, longer than the " + Ndjson.MAX_LINE + " accepted; skipped", read.get(1).inputError());
        assertEquals("SN-3", read.get(2).item().deviceSerial(), "blank lines (CRLF too) are passed over");
    }

    @Test
    void badLinesAreInLineErrorsAndALastLineNeedsNoNewline() throws Exception {
        byte[] last = Arrays.copyOf(line("SN-4"), line("SN-4").length - 1);
        List<BatchItem> read = readAll(new ByteArrayInputStream(concat("{not json\n".getBytes(StandardCharsets.US_ASCII),
                new byte[]{'"', (byte) 0xc3, '"', '\n'}, line("SN-3"), last)));
        assertEquals(4, read.size(), read.toString());
        assertTrue(read.get(0).inputError().startsWith("line 1 is not a factory item"), read.get(0).inputError());
        assertTrue(read.get(1).inputError().startsWith("line 2 is not a factory item"), read.get(1).inputError());
        assertEquals("SN-3", read.get(2).item().deviceSerial());
        assertEquals("SN-4", read.get(3).item().deviceSerial());
        assertEquals(List.of(), readAll(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void anOverlongResponseLineIsAnIOExceptionForTheStation() {
        byte[] longLine = new byte[Ndjson.MAX_LINE + 10];
        Arrays.fill(longLine, (byte) 'x');
        ResultReader reader = Ndjson.resultReader(new ByteArrayInputStream(longLine));
        IOException e = assertThrows(IOException.class, reader::next);
        assertTrue(e.getMessage().contains("longer than the " + Ndjson.MAX_LINE + " accepted"), e.getMessage());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}

package io.hallmark.cli.factory;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ResultSink;
import io.hallmark.core.files.OwnerOnlyFile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a batch's outcomes under an output directory, streaming, so a million devices cost no more
 * memory than ten:
 * <pre>
 *   chain.pem                         the issuing CA's chain (once)
 *   devices/XX/SERIAL.pem             {@link Layout#FILES}: certificate then chain, per device (XX: a hash shard, 256 of them)
 *   devices/XX/SERIAL.key             the device key, simulate mode only (mode 0600)
 *   bundles/items-NNNNNNNNN.zip       {@link Layout#ZIP}: the same SERIAL.pem (and .key) entries, one archive per
 *                                     {@value #PER_ARCHIVE} input items, N = the first of them (0, 1000, 2000...)
 *   manifest.csv, manifest.json       one row per item: device, status, serial, SHA-256s, notAfter, file, error
 * </pre>
 * Files are written after their chunk committed and are not fsynced: a crash before they reach the disk
 * is repaired by re-running the batch, which returns the stored certificates again and rewrites them.
 *
 * <p>Why the zip layout: creating a file costs the kernel 35 µs or more here (far more while directories
 * grow), more than a certificate's signature; a million of them also make a directory nobody can list or
 * copy comfortably. One archive per chunk keeps per-device bundles (extract one with
 * {@code unzip -p bundles/items-000001000.zip SN-1.pem}) at the cost of a sequential write.
 */
public final class BundleWriter implements ResultSink, AutoCloseable {

    /** How per-device bundles are laid out on disk. */
    public enum Layout {
        FILES, ZIP, NONE;

        /** From the --bundles option; --no-bundles wins. */
        public static Layout of(String option, boolean none) {
            if (none) {
                return NONE;
            }
            try {
                return valueOf(option.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw io.hallmark.core.error.HallmarkException.badInput("--bundles must be files, zip or none, not '" + option + "'");
            }
        }
    }

    private final Path dir;
    private final Layout layout;
    /** Items per zip archive: fixed by input index, so local and remote runs and re-runs name archives alike. */
    static final int PER_ARCHIVE = 1000;

    private ZipOutputStream zip;
    private String zipName;
    private long zipFirst = -1;
    private final byte[] chainBytes;
    private final BufferedWriter csv;
    private final JsonGenerator json;
    private final Set<String> shardsMade = new HashSet<>();

    public BundleWriter(Path dir, String chainPem, Layout layout) {
        this.dir = dir;
        this.layout = layout;
        this.chainBytes = chainPem.getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("chain.pem"), chainPem);
            csv = Files.newBufferedWriter(dir.resolve("manifest.csv"), StandardCharsets.UTF_8);
            csv.write("deviceSerial,status,serial,certSha256,keySha256,notAfter,file,error\n");
            OutputStream out = Files.newOutputStream(dir.resolve("manifest.json"));
            json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
            json.writeStartArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void accept(BatchOutcome outcome) throws IOException {
        FactoryResult r = outcome.result();
        String file = null;
        if (r.ok() && layout == Layout.FILES) {
            file = writeFiles(r, outcome.attachment());
        } else if (r.ok() && layout == Layout.ZIP) {
            file = writeZipEntries(r, outcome.attachment());
        }
        csv.write(String.join(",", cell(r.deviceSerial()), r.status(), cell(r.serial()), cell(r.fingerprint()), cell(r.keySha256()),
                cell(r.notAfter()), cell(file), cell(r.error())));
        csv.write('\n');
        json.writeStartObject();
        json.writeNumberField("index", r.index());
        json.writeStringField("deviceSerial", r.deviceSerial());
        json.writeStringField("status", r.status());
        json.writeStringField("serial", r.serial());
        json.writeStringField("certSha256", r.fingerprint());
        json.writeStringField("keySha256", r.keySha256());
        json.writeStringField("notAfter", r.notAfter());
        json.writeStringField("file", file);
        json.writeStringField("error", r.error());
        json.writeEndObject();
    }

    private String writeFiles(FactoryResult r, Object attachment) throws IOException {
        String name = fileName(r.deviceSerial());
        String shard = String.format("%02x", (r.deviceSerial().hashCode() * 0x9E3779B9 >>> 24) & 0xff);
        Path shardDir = dir.resolve("devices").resolve(shard);
        if (shardsMade.add(shard)) {
            Files.createDirectories(shardDir);
        }
        Path pem = shardDir.resolve(name + ".pem");
        try (OutputStream out = Files.newOutputStream(pem)) {
            out.write(r.certificate().getBytes(StandardCharsets.US_ASCII));
            out.write(chainBytes);
        }
        if (attachment instanceof KeyPair keys) {
            Path key = shardDir.resolve(name + ".key");
            Files.deleteIfExists(key);
            OwnerOnlyFile.create(key, Csrs.privateKeyPem(keys).getBytes(StandardCharsets.US_ASCII));
        }
        return dir.relativize(pem).toString();
    }

    private String writeZipEntries(FactoryResult r, Object attachment) throws IOException {
        long first = r.index() / PER_ARCHIVE * PER_ARCHIVE;
        if (zip != null && first != zipFirst) {
            closeZip();
        }
        if (zip == null) {
            // A re-run of the same input rewrites the same archives.
            zipFirst = first;
            zipName = String.format("bundles/items-%09d.zip", first);
            // Owner-only from creation: simulate mode puts private keys in it.
            zip = new ZipOutputStream(new java.io.BufferedOutputStream(OwnerOnlyFile.replace(dir.resolve(zipName)), 1 << 16));
        }
        String name = fileName(r.deviceSerial());
        stored(name + ".pem", r.certificate().getBytes(StandardCharsets.US_ASCII), chainBytes);
        if (attachment instanceof KeyPair keys) {
            stored(name + ".key", Csrs.privateKeyPem(keys).getBytes(StandardCharsets.US_ASCII), new byte[0]);
        }
        return zipName + "!/" + name + ".pem";
    }

    /** STORED, not deflated: PEM barely compresses per entry, and deflate would cost more CPU than the signature. */
    private void stored(String name, byte[] content, byte[] tail) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(content);
        crc.update(tail);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length + tail.length);
        entry.setCompressedSize(content.length + tail.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.write(tail);
        zip.closeEntry();
    }

    private void closeZip() throws IOException {
        if (zip != null) {
            zip.close();
            zip = null;
        }
    }

    @Override
    public void chunkDone(BatchProgress progress) throws IOException {
        csv.flush();
        json.flush();
    }

    @Override
    public void close() {
        try {
            closeZip();
            csv.close();
            json.writeEndArray();
            json.writeRaw('\n');
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Device serials may hold '/', ' ' and the like: percent-encode all but [A-Za-z0-9._-], so names stay distinct. */
    static String fileName(String deviceSerial) {
        StringBuilder b = new StringBuilder(deviceSerial.length());
        for (byte c : deviceSerial.getBytes(StandardCharsets.UTF_8)) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' && b.length() > 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    static String cell(String v) {
        if (v == null) return "";
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}

package io.hallmark.cli.factory;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.hallmark.core.OwnerOnlyFile;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ResultSink;

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

/**
 * Writes a batch's outcomes under an output directory, streaming, so a million devices cost no more
 * memory than ten:
 * <pre>
 *   chain.pem                         the issuing CA's chain (once)
 *   devices/XX/SERIAL.pem             certificate then chain, per device (XX: a hash shard, 256 of them)
 *   devices/XX/SERIAL.key             the device key, simulate mode only (mode 0600)
 *   manifest.csv, manifest.json       one row per item: device, status, serial, SHA-256s, notAfter, file, error
 * </pre>
 * Files are written after their chunk committed and are not fsynced: a crash before they reach the disk
 * is repaired by re-running the batch, which returns the stored certificates again and rewrites them.
 */
public final class BundleWriter implements ResultSink, AutoCloseable {

    private final Path dir;
    private final boolean bundles;
    private final String chainPem;
    private final BufferedWriter csv;
    private final JsonGenerator json;
    private final Set<String> shardsMade = new HashSet<>();

    public BundleWriter(Path dir, String chainPem, boolean bundles) {
        this.dir = dir;
        this.bundles = bundles;
        this.chainPem = chainPem;
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
        if (r.ok() && bundles) {
            String name = fileName(r.deviceSerial());
            String shard = String.format("%02x", (r.deviceSerial().hashCode() * 0x9E3779B9 >>> 24) & 0xff);
            Path shardDir = dir.resolve("devices").resolve(shard);
            if (shardsMade.add(shard)) {
                Files.createDirectories(shardDir);
            }
            Path pem = shardDir.resolve(name + ".pem");
            Files.writeString(pem, r.certificate() + chainPem, StandardCharsets.US_ASCII);
            if (outcome.attachment() instanceof KeyPair keys) {
                Path key = shardDir.resolve(name + ".key");
                Files.deleteIfExists(key);
                OwnerOnlyFile.create(key, Csrs.privateKeyPem(keys).getBytes(StandardCharsets.US_ASCII));
            }
            file = dir.relativize(pem).toString();
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

    @Override
    public void chunkDone(BatchProgress progress) throws IOException {
        csv.flush();
        json.flush();
    }

    @Override
    public void close() {
        try {
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

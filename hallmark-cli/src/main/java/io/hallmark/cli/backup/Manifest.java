package io.hallmark.cli.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}, the last entry of a backup: what it holds and how to check it.
 *
 * @param format             {@link #FORMAT}; a restore refuses formats it does not know
 * @param hallmarkVersion    the version that wrote it
 * @param createdAt          when (ISO-8601, UTC)
 * @param source             the database it was taken from (without a password)
 * @param schemaVersion      the database's schema version (a newer Hallmark migrates it when restored)
 * @param rows               rows per table in the snapshot
 * @param audit              the audit chain's head in the snapshot: the restored chain must end there
 * @param caKeys             the CAs' key references; {@code soft:} ones need their files under {@code keys/}
 * @param entries            every other entry, with its size and SHA-256
 * @param passphraseIncluded always false: the vault passphrase is never in a backup
 */
public record Manifest(String format, String hallmarkVersion, String createdAt, String source, String schemaVersion,
                       Map<String, Long> rows, Audit audit, List<String> caKeys, List<Entry> entries, boolean passphraseIncluded) {

    public static final String FORMAT = "hallmark-backup/1";

    public record Audit(long seq, String hash) {
    }

    public record Entry(String name, long size, String sha256) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Manifest parse(byte[] json) {
        try {
            Manifest m = JSON.readValue(json, Manifest.class);
            if (m.format() == null || m.entries() == null || m.rows() == null || m.audit() == null) {
                throw new BackupDamagedException("its manifest lacks format, entries, rows or audit");
            }
            return m;
        } catch (IOException e) {
            throw new BackupDamagedException("its manifest is unreadable: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
        }
    }
}

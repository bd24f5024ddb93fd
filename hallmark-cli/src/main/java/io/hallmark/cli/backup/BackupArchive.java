package io.hallmark.cli.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The backup file: a zip archive (list it with {@code unzip -l}) of {@value #DATABASE}, the key vault's files
 * under {@code keys/} and {@value #MANIFEST} last. Its comment, the very last bytes of the file, is the SHA-256
 * of every byte before that hash, so a single changed byte anywhere (an entry, a header, the manifest) is found
 * before anything is extracted; the manifest's per-entry hashes then check each extracted file.
 */
final class BackupArchive {

    static final String DATABASE = "hallmark.db";
    static final String MANIFEST = "manifest.json";
    static final String KEYS = "keys/";
    static final String COMMENT_PREFIX = "hallmark-backup sha256:";
    private static final int HASH_CHARS = 64;
    static final String PLACEHOLDER_COMMENT = COMMENT_PREFIX + "0".repeat(HASH_CHARS);
    /** Key files are named by the vault (label, random suffix, .key.pem / .pub.pem); nothing else may be extracted. */
    static final Pattern KEY_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

    private BackupArchive() {
    }

    /** Writes the checksum over the placeholder that ends the finished archive; returns it. */
    static String seal(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long covered = ch.size() - HASH_CHARS;
            String hex = HexFormat.of().formatHex(sha256(ch, covered));
            ch.write(ByteBuffer.wrap(hex.getBytes(StandardCharsets.US_ASCII)), covered);
            ch.force(true);
            return hex;
        }
    }

    /** The checksum, if the file ends with one that matches what precedes it; else the file is refused. */
    static String verify(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = COMMENT_PREFIX.length() + HASH_CHARS;
            if (size < tail) {
                throw new BackupDamagedException("it is not a Hallmark backup (too short)");
            }
            ByteBuffer end = ByteBuffer.allocate(tail);
            ch.read(end, size - tail);
            String comment = new String(end.array(), StandardCharsets.US_ASCII);
            if (!comment.startsWith(COMMENT_PREFIX) || !comment.substring(COMMENT_PREFIX.length()).matches("[0-9a-f]{64}")) {
                throw new BackupDamagedException("it is not a Hallmark backup, or its end is damaged (no checksum found)");
            }
            String recorded = comment.substring(COMMENT_PREFIX.length());
            String actual = HexFormat.of().formatHex(sha256(ch, size - HASH_CHARS));
            if (!actual.equals(recorded)) {
                throw new BackupDamagedException("its checksum does not match its content: the file was changed or damaged after it was written");
            }
            return recorded;
        } catch (IOException e) {
            throw new BackupDamagedException("cannot read it: " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(FileChannel ch, long length) throws IOException {
        MessageDigest md = sha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        long position = 0;
        while (position < length) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), length - position));
            int n = ch.read(buf, position);
            if (n < 0) throw new IOException("unexpected end of file");
            buf.flip();
            md.update(buf);
            position += n;
        }
        return md.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies {@code in} to {@code out}, returning the SHA-256 and the length of what went through. */
    static Hashed copy(InputStream in, java.io.OutputStream out) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
            out.write(buf, 0, n);
            total += n;
        }
        return new Hashed(HexFormat.of().formatHex(md.digest()), total);
    }

    record Hashed(String sha256, long size) {
    }
}

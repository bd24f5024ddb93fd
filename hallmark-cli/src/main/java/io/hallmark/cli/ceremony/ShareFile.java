package io.hallmark.cli.ceremony;

import io.hallmark.core.crypto.Fingerprints;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One share of a root key ceremony's backup key, as a text file its holder keeps (or prints: every field is one short
 * line). It says what it is (format, ceremony, root fingerprint, index, threshold, total, holder) and ends with a
 * SHA-256 of every byte before that last line, so any byte changed anywhere in the file is caught, and reported as
 * damage, before the share is used. The checksum is not a secret: it tells damage, not forgery. A share rewritten
 * with a fresh checksum is caught by the ceremony's record of each share ({@link #commitment()}, in the backup, under
 * its GCM tag, and in the signed transcript); a share of another ceremony by its ceremony id.
 *
 * @param index  1..total, the x coordinate of the share
 * @param holder who was handed the share at the ceremony, or null
 * @param value  the share's bytes (the y coordinates, one per byte of the backup key)
 */
public record ShareFile(String ceremony, String rootSha256, int index, int threshold, int total, String holder, byte[] value) {

    public static final String FORMAT = "hallmark-root-share/1";
    private static final Pattern CHECKSUM = Pattern.compile("checksum: sha256:([0-9a-f]{64})\n");
    private static final HexFormat HEX = HexFormat.of();

    /** The file's text, checksum line last. */
    public String encode() {
        StringBuilder body = new StringBuilder()
                .append("# Hallmark root key share ").append(index).append(" of ").append(total).append(": any ").append(threshold)
                .append(" shares of ceremony ").append(ceremony).append(" restore its root key.\n")
                .append("# Keep it apart from the other shares. Any change to this file makes it unusable.\n")
                .append("format: ").append(FORMAT).append('\n')
                .append("ceremony: ").append(ceremony).append('\n')
                .append("root-sha256: ").append(rootSha256).append('\n')
                .append("share: ").append(index).append('\n')
                .append("threshold: ").append(threshold).append('\n')
                .append("total: ").append(total).append('\n');
        if (holder != null) body.append("holder: ").append(holder).append('\n');
        body.append("value: ").append(HEX.formatHex(value)).append('\n');
        String text = body.toString();
        return text + "checksum: sha256:" + Fingerprints.sha256Hex(text.getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    /**
     * What the ceremony records of this share: a hash of its ceremony, index and value. Listed in the backup and the
     * transcript, so a share whose value was changed and its checksum recomputed does not pass for the original.
     */
    public String commitment() {
        return Fingerprints.sha256Hex((FORMAT + "\n" + ceremony + "\n" + index + "\n" + HEX.formatHex(value)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a share file, refusing ({@link ShareRefusedException}, naming {@code name}) one that is damaged or not a share.
     *
     * @param name how the operator knows the file (its file name), for messages
     */
    public static ShareFile parse(String name, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int last = text.lastIndexOf('\n', text.length() - 2) + 1;
        Matcher checksum = CHECKSUM.matcher(text.substring(last));
        if (!text.endsWith("\n") || !checksum.matches()) {
            if (!text.contains("format: hallmark-root-share/")) {
                throw new ShareRefusedException(name + " is not a Hallmark root key share");
            }
            throw new ShareRefusedException(name + " is corrupted (its checksum line is damaged)");
        }
        byte[] expected = HEX.parseHex(checksum.group(1));
        byte[] actual = Fingerprints.sha256(text.substring(0, last).getBytes(StandardCharsets.UTF_8));
        if (!MessageDigest.isEqual(expected, actual) || !java.util.Arrays.equals(bytes, text.getBytes(StandardCharsets.UTF_8))) {
            throw new ShareRefusedException(name + " is corrupted (checksum mismatch)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.substring(0, last).split("\n")) {
            if (line.startsWith("#")) continue;
            int colon = line.indexOf(": ");
            if (colon <= 0 || fields.put(line.substring(0, colon), line.substring(colon + 2)) != null) {
                throw new ShareRefusedException(name + " is not a Hallmark root key share (line '" + line + "')");
            }
        }
        String format = fields.getOrDefault("format", "");
        if (!format.equals(FORMAT)) {
            throw new ShareRefusedException(name + " is a share of format '" + format + "'; this hallmark reads " + FORMAT);
        }
        try {
            ShareFile share = new ShareFile(required(fields, "ceremony", name), required(fields, "root-sha256", name),
                    Integer.parseInt(required(fields, "share", name)), Integer.parseInt(required(fields, "threshold", name)),
                    Integer.parseInt(required(fields, "total", name)), fields.get("holder"), HEX.parseHex(required(fields, "value", name)));
            if (share.index < 1 || share.index > share.total || share.threshold < 2 || share.threshold > share.total || share.total > 255) {
                throw new ShareRefusedException(name + " is not a valid share (share " + share.index + ", threshold " + share.threshold
                        + ", total " + share.total + ")");
            }
            return share;
        } catch (IllegalArgumentException e) {
            throw new ShareRefusedException(name + " is not a valid share: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> fields, String key, String name) {
        String value = fields.get(key);
        if (value == null || value.isEmpty()) {
            throw new ShareRefusedException(name + " is not a valid share: no '" + key + "' line");
        }
        return value;
    }
}

package io.hallmark.cli.ceremony;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hallmark.core.crypto.Pem;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ceremony's backup of the root key ({@code root-backup.enc}), JSON: the root certificate, the ceremony's record of
 * each share, and the key's PKCS#8 encrypted with AES-256-GCM under the backup key the shares rebuild. Everything in
 * it but the certificate is bound into the GCM tag ({@link #associatedData()}), and the certificate through its
 * fingerprint and by holding the public half of the key, so no field can be changed without the restore refusing it.
 *
 * @param ca           the root CA's name in the installation it came from
 * @param rootSha256   SHA-256 fingerprint of the root certificate, colon-separated hex (as {@code openssl x509 -fingerprint -sha256})
 * @param certificate  the root certificate, PEM
 * @param shares       the ceremony's record of each share, by index
 * @param encryptedKey base64: a 96-bit nonce, then the encrypted key and its 128-bit tag
 */
public record RootBackupFile(String format, String ceremony, String created, String ca, String rootSha256, String certificate,
                             int threshold, int total, List<ShareRecord> shares, String cipher, String encryptedKey) {

    public static final String FORMAT = "hallmark-root-backup/1";
    public static final String CIPHER = "AES-256-GCM";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** @param sha256 {@link ShareFile#commitment()} */
    public record ShareRecord(int index, String holder, String sha256) {
    }

    /**
     * What the GCM tag binds besides the key: the ceremony, the CA's name and the record of every share. Not the root
     * certificate, which is made after the key (and its backup) exist: the certificate is bound by its fingerprint, and
     * the key restored must be its key, or nothing is kept.
     */
    public byte[] associatedData() {
        StringBuilder s = new StringBuilder(FORMAT).append('\n').append(ceremony).append('\n').append(ca).append('\n')
                .append(threshold).append('/').append(total);
        for (ShareRecord r : shares) s.append('\n').append(r.index()).append(' ').append(r.sha256());
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] certificateDer() {
        return Pem.derOf(certificate.getBytes(StandardCharsets.US_ASCII), "CERTIFICATE");
    }

    public byte[] encoded() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and checks a backup file; {@link ShareRefusedException} names what is wrong with it. */
    public static RootBackupFile parse(String name, byte[] bytes) {
        RootBackupFile backup;
        try {
            backup = JSON.readValue(bytes, RootBackupFile.class);
        } catch (Exception e) {
            throw new ShareRefusedException(name + " is not a Hallmark root key backup (not its JSON: " + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!FORMAT.equals(backup.format())) {
            throw new ShareRefusedException(name + " is a backup of format '" + backup.format() + "'; this hallmark reads " + FORMAT);
        }
        if (backup.ceremony() == null || backup.ca() == null || backup.certificate() == null || backup.shares() == null
                || backup.encryptedKey() == null || !CIPHER.equals(backup.cipher())) {
            throw new ShareRefusedException(name + " is damaged: a field is missing");
        }
        byte[] der;
        try {
            der = backup.certificateDer();
        } catch (RuntimeException e) {
            throw new ShareRefusedException(name + " is damaged: its root certificate is unreadable");
        }
        if (!Fingerprint.colonHex(der).equals(backup.rootSha256())) {
            throw new ShareRefusedException(name + " is damaged: its root certificate is not the one its fingerprint names ("
                    + backup.rootSha256() + ")");
        }
        return backup;
    }
}

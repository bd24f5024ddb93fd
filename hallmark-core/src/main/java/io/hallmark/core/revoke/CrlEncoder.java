package io.hallmark.core.revoke;

import io.hallmark.core.crypto.Der;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.RevocationReason;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.ContentSigner;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;

/**
 * Builds a CRL (RFC 5280 §5) one entry at a time. BouncyCastle's X509v2CRLBuilder keeps an object tree
 * per entry and re-encodes it all when signing; a CA with a million revocations needs neither. Here each
 * entry is DER-encoded as it arrives (its parts by BouncyCastle's ASN.1 classes, repeated parts such as
 * the reason-code extension and the revocation time encoded once and reused) into one growing buffer;
 * signing streams the TBSCertList through the key's ContentSigner and frames it. DER needs every length
 * before its contents, which is why the entries are buffered rather than written straight out.
 */
public final class CrlEncoder {

    private static final byte INTEGER = 0x02;
    private static final byte[] VERSION_2 = {INTEGER, 1, 1};
    private static final byte[][] REASON_EXTENSIONS = new byte[11][];

    static {
        for (RevocationReason r : RevocationReason.values()) {
            REASON_EXTENSIONS[r.code()] = der(new Extension(Extension.reasonCode, false, der(CRLReason.lookup(r.code()))));
        }
    }

    private final byte[] issuer;
    private final byte[] thisUpdate;
    private final byte[] nextUpdate;
    private byte[] buf = new byte[1 << 16];
    private int len;
    private int count;
    private long lastSecond = Long.MIN_VALUE;
    private byte[] lastTime;

    public CrlEncoder(X500Name issuer, Instant thisUpdate, Instant nextUpdate) {
        this.issuer = der(issuer);
        this.thisUpdate = time(thisUpdate);
        this.nextUpdate = time(nextUpdate);
    }

    /** Adds a revokedCertificates entry. The reason is left out when unspecified, as §5.3.1 recommends. */
    public void add(BigInteger serial, Instant revokedAt, RevocationReason reason, Instant invalidityDate) {
        byte[] serialBytes = serial.toByteArray(); // minimal two's complement: exactly the DER INTEGER contents
        add(serialBytes, serialBytes.length, revokedAt, reason, invalidityDate);
    }

    /**
     * The same for a serial in the store's form (lowercase hex, no leading zeros): its DER INTEGER contents are
     * made from the hex digits directly, without a BigInteger per entry. Anything else (a sign, a leading zero,
     * upper case) goes through {@link #add(BigInteger, Instant, RevocationReason, Instant)}.
     */
    public void add(String serialHex, Instant revokedAt, RevocationReason reason, Instant invalidityDate) {
        int digits = serialHex.length();
        if (digits == 0 || digits > 2 * (SCRATCH - 1) || serialHex.charAt(0) == '0') {
            add(new BigInteger(serialHex, 16), revokedAt, reason, invalidityDate);
            return;
        }
        int at = 0;
        int first = digits % 2 == 1 ? nibble(serialHex.charAt(0)) : (nibble(serialHex.charAt(0)) << 4) | nibble(serialHex.charAt(1));
        if (first < 0) {
            add(new BigInteger(serialHex, 16), revokedAt, reason, invalidityDate);
            return;
        }
        if (first >= 0x80) scratch[at++] = 0; // positive: a leading zero octet keeps the sign bit clear
        scratch[at++] = (byte) first;
        for (int i = digits % 2 == 1 ? 1 : 2; i < digits; i += 2) {
            int b = (nibble(serialHex.charAt(i)) << 4) | nibble(serialHex.charAt(i + 1));
            if (b < 0) {
                add(new BigInteger(serialHex, 16), revokedAt, reason, invalidityDate);
                return;
            }
            scratch[at++] = (byte) b;
        }
        add(scratch, at, revokedAt, reason, invalidityDate);
    }

    private static final int SCRATCH = 64;
    private final byte[] scratch = new byte[SCRATCH];

    /** A lowercase hex digit's value; negative for anything else (then the sum with the other nibble is negative too). */
    private static int nibble(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -256;
    }

    private void add(byte[] serialBytes, int serialLen, Instant revokedAt, RevocationReason reason, Instant invalidityDate) {
        long second = revokedAt.getEpochSecond();
        if (second != lastSecond) {
            lastTime = time(second);
            lastSecond = second;
        }
        byte[] reasonExt = reason == null || reason == RevocationReason.unspecified ? null : REASON_EXTENSIONS[reason.code()];
        byte[] invalidityExt = invalidityDate == null ? null : der(new Extension(Extension.invalidityDate, false,
                der(new ASN1GeneralizedTime(Date.from(Instant.ofEpochSecond(invalidityDate.getEpochSecond())), Locale.ROOT))));
        int extsLen = (reasonExt == null ? 0 : reasonExt.length) + (invalidityExt == null ? 0 : invalidityExt.length);
        int intLen = Der.headerLength(serialLen) + serialLen;
        int bodyLen = intLen + lastTime.length + (extsLen == 0 ? 0 : Der.headerLength(extsLen) + extsLen);
        ensure(Der.headerLength(bodyLen) + bodyLen);
        header(Der.SEQUENCE, bodyLen);
        header(INTEGER, serialLen);
        System.arraycopy(serialBytes, 0, buf, len, serialLen);
        len += serialLen;
        put(lastTime);
        if (extsLen > 0) {
            header(Der.SEQUENCE, extsLen);
            if (reasonExt != null) put(reasonExt);
            if (invalidityExt != null) put(invalidityExt);
        }
        count++;
    }

    public int size() {
        return count;
    }

    /** Signs and returns the DER CertificateList. {@code extensions} are the crlExtensions, null for none. */
    public byte[] sign(ContentSigner signer, Extensions extensions) {
        byte[] algorithm = der(signer.getAlgorithmIdentifier());
        byte[] exts = extensions == null ? new byte[0] : der(new DERTaggedObject(true, 0, extensions));
        int revokedLen = count == 0 ? 0 : Der.headerLength(len) + len; // an empty list is left out, not encoded empty (§5.1.2.6)
        long tbsBody = (long) VERSION_2.length + algorithm.length + issuer.length + thisUpdate.length + nextUpdate.length + revokedLen + exts.length;
        if (tbsBody > Integer.MAX_VALUE - 64) {
            throw HallmarkException.badInput("CRL of " + count + " entries is too large to encode");
        }
        byte[] tbsHeader = Der.header(Der.SEQUENCE, (int) tbsBody);
        byte[] revokedHeader = count == 0 ? new byte[0] : Der.header(Der.SEQUENCE, len);
        try (OutputStream out = signer.getOutputStream()) {
            for (byte[] part : new byte[][]{tbsHeader, VERSION_2, algorithm, issuer, thisUpdate, nextUpdate, revokedHeader}) {
                out.write(part);
            }
            if (count > 0) out.write(buf, 0, len);
            out.write(exts);
        } catch (IOException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot sign CRL: " + e.getMessage(), e);
        }
        byte[] signature = signer.getSignature();
        int tbsLen = tbsHeader.length + (int) tbsBody;
        int bitsLen = signature.length + 1;
        int outerBody = tbsLen + algorithm.length + Der.headerLength(bitsLen) + bitsLen;
        byte[] outerHeader = Der.header(Der.SEQUENCE, outerBody);
        byte[] crl = new byte[outerHeader.length + outerBody];
        int at = 0;
        for (byte[] part : new byte[][]{outerHeader, tbsHeader, VERSION_2, algorithm, issuer, thisUpdate, nextUpdate, revokedHeader}) {
            System.arraycopy(part, 0, crl, at, part.length);
            at += part.length;
        }
        if (count > 0) {
            System.arraycopy(buf, 0, crl, at, len);
            at += len;
        }
        for (byte[] part : new byte[][]{exts, algorithm, Der.header(Der.BIT_STRING, bitsLen), {0}, signature}) {
            System.arraycopy(part, 0, crl, at, part.length);
            at += part.length;
        }
        if (at != crl.length) {
            throw new IllegalStateException("CRL framing error: wrote " + at + " of " + crl.length + " bytes");
        }
        return crl;
    }

    /** RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime after (BouncyCastle's Time chooses). */
    private static byte[] time(Instant t) {
        return time(t.getEpochSecond());
    }

    /**
     * The same, written by hand: revocation times are mostly distinct seconds, and BouncyCastle's Time (a Date, a
     * SimpleDateFormat) cost about a microsecond per entry, a second per million. Tested against BouncyCastle's.
     */
    static byte[] time(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secs = (int) Math.floorMod(epochSecond, 86_400);
        // Days to civil date (H. Hinnant's algorithm, proleptic Gregorian).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return der(new Time(Date.from(Instant.ofEpochSecond(epochSecond)), Locale.ROOT));
        }
        boolean utc = year >= 1950 && year <= 2049;
        byte[] out = new byte[utc ? 15 : 17];
        out[0] = utc ? (byte) 0x17 : (byte) 0x18;
        out[1] = (byte) (out.length - 2);
        int at = 2;
        if (!utc) at = two(out, at, (int) (year / 100));
        at = two(out, at, (int) (year % 100));
        at = two(out, at, month);
        at = two(out, at, day);
        at = two(out, at, secs / 3600);
        at = two(out, at, secs / 60 % 60);
        at = two(out, at, secs % 60);
        out[at] = 'Z';
        return out;
    }

    private static int two(byte[] out, int at, int v) {
        out[at] = (byte) ('0' + v / 10);
        out[at + 1] = (byte) ('0' + v % 10);
        return at + 2;
    }

    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a tag and length straight into the buffer: this runs several times per entry. */
    private void header(byte tag, int length) {
        len = Der.writeHeader(buf, len, tag, length);
    }

    private void put(byte[] b) {
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            long wanted = Math.max((long) buf.length * 2, (long) len + more);
            if (wanted > Integer.MAX_VALUE - 64) {
                throw HallmarkException.badInput("too many CRL entries to encode in one CRL");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}

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
        long second = revokedAt.getEpochSecond();
        if (second != lastSecond) {
            lastTime = time(revokedAt);
            lastSecond = second;
        }
        byte[] reasonExt = reason == null || reason == RevocationReason.unspecified ? null : REASON_EXTENSIONS[reason.code()];
        byte[] invalidityExt = invalidityDate == null ? null : der(new Extension(Extension.invalidityDate, false,
                der(new ASN1GeneralizedTime(Date.from(Instant.ofEpochSecond(invalidityDate.getEpochSecond())), Locale.ROOT))));
        int extsLen = (reasonExt == null ? 0 : reasonExt.length) + (invalidityExt == null ? 0 : invalidityExt.length);
        int intLen = Der.headerLength(serialBytes.length) + serialBytes.length;
        int bodyLen = intLen + lastTime.length + (extsLen == 0 ? 0 : Der.headerLength(extsLen) + extsLen);
        ensure(Der.headerLength(bodyLen) + bodyLen);
        header(Der.SEQUENCE, bodyLen);
        header(INTEGER, serialBytes.length);
        put(serialBytes);
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
        return der(new Time(Date.from(Instant.ofEpochSecond(t.getEpochSecond())), Locale.ROOT));
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

package io.hallmark.core.revoke;

import io.hallmark.core.store.RevocationReason;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The hand-written fast paths of CrlEncoder give exactly the DER of the general ones. */
class CrlEncoderTest {

    @Test
    void timesAreBouncyCastlesTimes() throws Exception {
        long[] edges = {0, -1, Instant.parse("1949-12-31T23:59:59Z").getEpochSecond(), Instant.parse("1950-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("2049-12-31T23:59:59Z").getEpochSecond(), Instant.parse("2050-01-01T00:00:00Z").getEpochSecond(),
                Instant.parse("2000-02-29T12:34:56Z").getEpochSecond(), Instant.parse("9999-12-31T23:59:59Z").getEpochSecond(),
                Instant.parse("1900-03-01T00:00:00Z").getEpochSecond()};
        Random random = new Random(5280);
        for (int i = 0; i < 20_000 + edges.length; i++) {
            long s = i < edges.length ? edges[i] : random.nextLong(-2_208_988_800L, 253_402_300_799L);
            byte[] expected = new Time(Date.from(Instant.ofEpochSecond(s)), Locale.ROOT).toASN1Primitive().getEncoded(ASN1Encoding.DER);
            assertArrayEquals(expected, CrlEncoder.time(s), () -> "at " + Instant.ofEpochSecond(s));
        }
    }

    @Test
    void hexSerialsEncodeAsTheirBigIntegers() throws Exception {
        Random random = new Random(7);
        X500Name issuer = new X500Name("CN=Test CA");
        Instant now = Instant.parse("2026-12-06T00:00:00Z");
        CrlEncoder fromHex = new CrlEncoder(issuer, now, now.plusSeconds(86_400));
        CrlEncoder fromBig = new CrlEncoder(issuer, now, now.plusSeconds(86_400));
        String[] odd = {"1", "f", "80", "ff", "7f", "100", "0", "00ff", "ABCDEF", "8000000000000000000000000000000000000000", "-5"};
        for (int i = 0; i < 5_000 + odd.length; i++) {
            String hex = i < odd.length ? odd[i] : new BigInteger(1 + random.nextInt(160), random).toString(16);
            Instant at = now.minusSeconds(random.nextInt(365 * 86_400));
            RevocationReason reason = RevocationReason.values()[random.nextInt(RevocationReason.values().length)];
            if (reason.code() == 7) reason = RevocationReason.keyCompromise; // code 7 is not assigned
            Instant invalidity = i % 5 == 0 ? at.minusSeconds(60) : null;
            fromHex.add(hex, at, reason, invalidity);
            fromBig.add(new BigInteger(hex, 16), at, reason, invalidity);
        }
        byte[] a = fromHex.sign(new FixedSigner(), null), b = fromBig.sign(new FixedSigner(), null);
        assertArrayEquals(b, a);
        X509CRLHolder crl = new X509CRLHolder(a);
        assertEquals(fromBig.size(), crl.getRevokedCertificates().size());
        assertNotNull(crl.getRevokedCertificate(new BigInteger("8000000000000000000000000000000000000000", 16)));
    }

    /** Signs nothing: a fixed 8-byte "signature", so two encodings of the same list compare byte for byte. */
    private static final class FixedSigner implements ContentSigner {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new AlgorithmIdentifier(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.ecdsa_with_SHA256);
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public byte[] getSignature() {
            return new byte[]{1, 2, 3, 4, 5, 6, 7, 8};
        }
    }
}

package io.hallmark.core.crypto;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Certificate times to {@link Instant}. BouncyCastle's {@code Time.getDate()} builds a SimpleDateFormat
 * per call; the validator reads four times per certificate, which at factory rates is measurable. The
 * RFC 5280 forms (UTCTime {@code YYMMDDHHMMSSZ}, GeneralizedTime {@code YYYYMMDDHHMMSSZ}) are parsed
 * here; anything else (offsets, fractions, missing seconds) takes BouncyCastle's general path.
 */
public final class Asn1Times {

    private Asn1Times() {
    }

    public static Instant instant(Time time) {
        ASN1Primitive p = time.toASN1Primitive();
        try {
            byte[] der = p.getEncoded();
            if (p instanceof ASN1UTCTime && der.length == 15 && der[14] == 'Z') {
                int yy = digits(der, 2, 2);
                return at(yy < 50 ? 2000 + yy : 1900 + yy, der, 4);
            }
            if (p instanceof ASN1GeneralizedTime && der.length == 17 && der[16] == 'Z') {
                return at(digits(der, 2, 4), der, 6);
            }
            return time.getDate().toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("malformed certificate time: " + e.getMessage(), e);
        }
    }

    private static Instant at(int year, byte[] d, int from) {
        return LocalDateTime.of(year, digits(d, from, 2), digits(d, from + 2, 2), digits(d, from + 4, 2), digits(d, from + 6, 2),
                digits(d, from + 8, 2)).toInstant(ZoneOffset.UTC);
    }

    private static int digits(byte[] d, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int c = d[i] - '0';
            if (c < 0 || c > 9) {
                throw new NumberFormatException("not a digit at " + i);
            }
            v = v * 10 + c;
        }
        return v;
    }
}

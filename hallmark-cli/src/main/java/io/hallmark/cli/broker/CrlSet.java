package io.hallmark.cli.broker;

import io.hallmark.core.crypto.Pem;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a set of CRLs says, without what changes at every signing (number, thisUpdate, signature): per issuer, its
 * entries. Two sets that say the same need no rewrite of crl.pem and no reload of the broker, unless the one
 * written is due: half its validity gone, as CrlPublisher re-signs, so a broker never holds one near nextUpdate.
 *
 * @param entries per issuer (DER of the name, hex), the entries as DER (hex): serial, date, reason, invalidity date
 * @param dueAt   when the first of them has lived half its validity
 */
public record CrlSet(Map<String, Set<String>> entries, Instant dueAt) {

    /** The most of crl.pem read back (some 3.5 million entries as PEM); a larger file is simply rewritten. */
    static final long MAX_BYTES = 256L << 20;

    public static CrlSet of(List<byte[]> ders) {
        Map<String, Set<String>> entries = new HashMap<>();
        Instant due = Instant.MAX;
        for (byte[] der : ders) {
            X509CRLHolder crl;
            try {
                crl = new X509CRLHolder(der);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a CRL: " + e.getMessage(), e);
            }
            Set<String> mine = entries.computeIfAbsent(hex(encoded(crl)), k -> new HashSet<>());
            for (Object o : crl.getRevokedCertificates()) {
                X509CRLEntryHolder e = (X509CRLEntryHolder) o;
                mine.add(e.getSerialNumber().toString(16) + "@" + e.getRevocationDate().getTime() + "/" + extension(e, Extension.reasonCode)
                        + "/" + extension(e, Extension.invalidityDate));
            }
            Instant thisUpdate = crl.getThisUpdate().toInstant();
            Instant next = crl.getNextUpdate() == null ? Instant.MAX : crl.getNextUpdate().toInstant();
            Instant half = next == Instant.MAX ? Instant.MAX : thisUpdate.plus(Duration.between(thisUpdate, next).dividedBy(2));
            if (half.isBefore(due)) due = half;
        }
        return new CrlSet(entries, due);
    }

    /** The CRLs of a PEM file; an empty set if there is none, or it holds something else (it is rewritten then). */
    public static CrlSet read(java.nio.file.Path file) {
        try {
            if (!java.nio.file.Files.isRegularFile(file) || java.nio.file.Files.size(file) > MAX_BYTES) return new CrlSet(Map.of(), Instant.MIN);
            List<byte[]> ders = new ArrayList<>(Pem.blocks(java.nio.file.Files.readAllBytes(file), "X509 CRL"));
            return ders.isEmpty() ? new CrlSet(Map.of(), Instant.MIN) : of(ders);
        } catch (IOException | RuntimeException e) {
            return new CrlSet(Map.of(), Instant.MIN);
        }
    }

    /** Whether {@code other} lists the same revocations of the same issuers. */
    public boolean sameEntries(CrlSet other) {
        return entries.equals(other.entries);
    }

    public boolean dueAt(Instant now) {
        return !now.isBefore(dueAt);
    }

    private static byte[] encoded(X509CRLHolder crl) {
        try {
            return crl.getIssuer().getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String extension(X509CRLEntryHolder e, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        Extension ext = e.getExtensions() == null ? null : e.getExtensions().getExtension(oid);
        return ext == null ? "-" : hex(ext.getExtnValue().getOctets());
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}

package io.hallmark.core.publication;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;

/** The revocation-pointer extensions of issued certificates: CRL distribution point, AIA, OCSP no-check. */
public final class Publishing {

    private Publishing() {
    }

    /**
     * A fresh serial, the CRL partition it falls in, and the CDP/AIA naming that partition. The serial is
     * chosen here because the partition derives from it; the partition is stored with the certificate, so a
     * later change of the partition count never moves it.
     */
    public record Stamp(BigInteger serial, Integer partition, List<Extension> pointers) {
    }

    public static Stamp stamp(Publication p, String ca) {
        BigInteger serial = io.hallmark.core.crypto.Serials.random();
        Integer partition = p.published() ? partitionOf(serial, p.partitionsOf(ca)) : null;
        return new Stamp(serial, partition, pointers(p, ca, partition));
    }

    /** The CRL partition of a serial when its CA has {@code count} partitions; null when it has one. */
    public static Integer partitionOf(BigInteger serial, int count) {
        return count <= 1 ? null : serial.mod(BigInteger.valueOf(count)).intValue();
    }

    /** CDP (naming the certificate's partition CRL, or the CA's CRL) and AIA (OCSP, caIssuers), both non-critical. */
    public static List<Extension> pointers(Publication p, String ca, Integer partition) {
        if (!p.published()) {
            return List.of();
        }
        DistributionPoint dp = new DistributionPoint(new DistributionPointName(uris(p.crlUrl(ca, partition))), null, null);
        AuthorityInformationAccess aia = new AuthorityInformationAccess(new AccessDescription[]{
                new AccessDescription(AccessDescription.id_ad_ocsp, uri(p.ocspUrl())),
                new AccessDescription(AccessDescription.id_ad_caIssuers, uri(p.caIssuersUrl(ca)))});
        return List.of(extension(Extension.cRLDistributionPoints, new CRLDistPoint(new DistributionPoint[]{dp})),
                extension(Extension.authorityInfoAccess, aia));
    }

    /** RFC 6960 §4.2.2.2.1: relying parties need not check the responder certificate's own status. */
    public static Extension ocspNoCheck() {
        return extension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, DERNull.INSTANCE);
    }

    public static GeneralNames uris(String url) {
        return new GeneralNames(uri(url));
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private static Extension extension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            return new Extension(oid, false, value.toASN1Primitive().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER));
        } catch (IOException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot encode " + oid + ": " + e.getMessage(), e);
        }
    }
}

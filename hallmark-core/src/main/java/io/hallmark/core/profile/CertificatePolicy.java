package io.hallmark.core.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;

import java.net.URI;

/**
 * One certificatePolicies entry (RFC 5280 §4.2.1.4): a policy OID and, optionally, the URI of the CPS that
 * describes it (the only qualifier RFC 5280 recommends; userNotice is not offered).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CertificatePolicy(String oid, String cpsUri) {

    public CertificatePolicy {
        if (oid == null || !oid.matches("[0-2](\\.(0|[1-9]\\d*))+")) {
            throw HallmarkException.badInput("certificate policy '" + oid + "' is not a dotted OID");
        }
        if (oid.equals("2.5.29.32.0")) {
            throw HallmarkException.badInput("anyPolicy (2.5.29.32.0) is for CA certificates, not a profile's policy");
        }
        if (cpsUri != null) {
            try {
                URI uri = new URI(cpsUri);
                if (!uri.isAbsolute() || uri.getHost() == null || !ASN1IA5String.isIA5String(cpsUri)) {
                    throw new java.net.URISyntaxException(cpsUri, "not an absolute ASCII URI");
                }
            } catch (java.net.URISyntaxException e) {
                throw HallmarkException.badInput("certificate policy " + oid + ": cpsUri is not an absolute URI such as https://pki.example.com/cps");
            }
        }
    }

    PolicyInformation toPolicyInformation() {
        ASN1ObjectIdentifier id = new ASN1ObjectIdentifier(oid);
        return cpsUri == null ? new PolicyInformation(id)
                : new PolicyInformation(id, new DERSequence(new PolicyQualifierInfo(cpsUri)));
    }
}

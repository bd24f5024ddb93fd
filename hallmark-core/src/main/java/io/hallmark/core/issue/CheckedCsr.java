package io.hallmark.core.issue;

import io.hallmark.core.crypto.Der;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.SignatureAlgorithmPolicy;
import io.hallmark.core.crypto.Signatures;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.SubjectRules;
import io.hallmark.core.profile.Profile;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.util.Arrays;
import java.util.List;

/**
 * A PKCS#10 request that has passed the checks every issuance needs: well-formed DER, an acceptable
 * key, a subject within {@link SubjectRules#X520} (known attribute types, X.520 bounds, no control
 * characters), a signature algorithm {@link SignatureAlgorithmPolicy} accepts (no SHA-1 or MD5), and a
 * signature by that key (proof of possession). {@code hallmark issue}, EST and factory batches all read
 * CSRs through here, so this is where those rules live. Extensions the requester asks for are
 * deliberately ignored, but for the subjectAltName entries it asks for, which {@link SubjectAltNames} takes
 * only where the profile allows their type: the profile, not the device, decides what goes into the certificate.
 *
 * @param keyDescription e.g. {@code ec-p256}, {@code rsa-3072}
 * @param requestedNames the subjectAltName entries of the CSR's extensionRequest; empty for none
 */
public record CheckedCsr(X500Name subject, SubjectPublicKeyInfo publicKey, String keyDescription, List<GeneralName> requestedNames) {

    /** Larger than any real CSR (an RSA-8192 one is about 2 KiB); bounds what a caller can make us parse. */
    public static final int MAX_BYTES = 64 * 1024;

    /** Parses PEM or DER and checks it; every failure is a one-line BAD_INPUT. */
    public static CheckedCsr check(byte[] input, KeyPolicy policy) {
        return check(input, policy, SubjectRules.X520);
    }

    /** As {@link #check(byte[], KeyPolicy)} with the profile's key policy and subject rules (its template's attributes). */
    public static CheckedCsr check(byte[] input, Profile profile) {
        return check(input, profile.keys(), profile.subjectRules());
    }

    private static CheckedCsr check(byte[] input, KeyPolicy policy, SubjectRules rules) {
        if (input == null || input.length == 0) {
            throw HallmarkException.badInput("empty CSR");
        }
        if (input.length > MAX_BYTES) {
            throw HallmarkException.badInput("CSR of " + input.length + " bytes is larger than the " + MAX_BYTES + " accepted");
        }
        byte[] der = der(input);
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
            if (!Arrays.equals(csr.getEncoded(), der)) {
                throw new IllegalArgumentException("not DER, or trailing bytes");
            }
            subjectParses(csr.getSubject());
            csr.getSignature(); // a signature BIT STRING with unused bits throws IllegalStateException here (found by fuzzing)
        } catch (Exception e) {
            throw HallmarkException.badInput("not a PKCS#10 certificate request (" + firstLine(e) + ")");
        }
        String key = policy.check(csr.getSubjectPublicKeyInfo());
        String weak = SignatureAlgorithmPolicy.refusal(csr.getSignatureAlgorithm());
        if (weak != null) {
            throw HallmarkException.badInput("CSR signed with " + SignatureAlgorithmPolicy.name(csr.getSignatureAlgorithm()) + "; " + weak);
        }
        X500Name subject = csr.getSubject();
        rules.check(subject); // before the signature: cheap, and what every path must refuse
        // The signed part (CertificationRequestInfo) cut from the input, which is known by now to be exactly DER.
        if (!Signatures.verify(csr.getSignatureAlgorithm(), csr.getSubjectPublicKeyInfo(), Der.firstElement(der), csr.getSignature())) {
            throw HallmarkException.badInput("CSR signature does not verify with its own key (no proof of possession)");
        }
        return new CheckedCsr(subject, csr.getSubjectPublicKeyInfo(), key, requestedNames(csr));
    }

    /**
     * BouncyCastle reads a name's RDNs only when they are asked for, so a subject whose SEQUENCE holds something that is
     * not an RDN (a tagged object, found by fuzzing) would otherwise throw IllegalArgumentException from the subject
     * rules, past every refusal. Reading each attribute here makes it a malformed request like any other.
     */
    private static void subjectParses(X500Name subject) {
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                atv.getType();
                atv.getValue();
            }
        }
    }

    private static List<GeneralName> requestedNames(PKCS10CertificationRequest csr) {
        try {
            Extensions ext = csr.getRequestedExtensions();
            GeneralNames san = ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
            return san == null ? List.of() : List.of(san.getNames());
        } catch (RuntimeException e) {
            throw HallmarkException.badInput("the CSR's extensionRequest does not parse (" + firstLine(e) + ")");
        }
    }

    /** The DER of a CSR given as DER or as PEM labelled {@code CERTIFICATE REQUEST} (or the older {@code NEW CERTIFICATE REQUEST}). */
    public static byte[] der(byte[] input) {
        return Pem.blocks(input, "CERTIFICATE REQUEST").stream().findFirst()
                .or(() -> Pem.blocks(input, "NEW CERTIFICATE REQUEST").stream().findFirst())
                .orElseGet(() -> Pem.derOf(input, "CERTIFICATE REQUEST"));
    }

    private static String firstLine(Exception e) {
        return io.hallmark.core.error.ParseFailure.reason(e); // never a bare "EOFException" (found by fuzzing the EST reader)
    }
}

package io.hallmark.core.revoke;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.Req;

import java.util.Arrays;

/**
 * An OCSPRequest that passed the limits: its CertIDs and its nonce (null without one). Whatever does not
 * pass is no request at all, answered malformedRequest.
 */
record OcspRequest(Req[] singles, Extension nonce) {

    /** One CertID and no nonce: the form a pre-produced response can answer (RFC 5019). */
    boolean preProducible() {
        return singles.length == 1 && nonce == null;
    }

    /** Null for anything that is not an acceptable DER OCSPRequest. */
    static OcspRequest parse(byte[] der) {
        try {
            if (der == null || der.length == 0 || der.length > OcspResponder.MAX_REQUEST_BYTES) {
                return null;
            }
            OCSPReq request = new OCSPReq(der);
            if (!Arrays.equals(request.getEncoded(), der)) {
                return null; // trailing bytes, or BER where DER is due
            }
            Req[] singles = request.getRequestList();
            Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (singles.length == 0 || singles.length > OcspResponder.MAX_CERT_IDS || (nonce != null && !nonceAcceptable(nonce))) {
                return null;
            }
            return new OcspRequest(singles, nonce);
        } catch (Exception | StackOverflowError e) {
            return null;
        }
    }

    /** RFC 8954: a nonce is 1 to 32 octets; longer ones are refused as malformed. */
    private static boolean nonceAcceptable(Extension nonce) {
        byte[] value = nonce.getExtnValue().getOctets();
        int length = value.length;
        try {
            length = ASN1OctetString.getInstance(value).getOctets().length;
        } catch (Exception e) {
            // Some clients put the raw bytes in extnValue without the inner OCTET STRING; measure those.
        }
        return length >= 1 && length <= 32;
    }
}

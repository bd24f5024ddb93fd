package io.hallmark.core.matter.tlv;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import java.util.Arrays;
import java.util.Optional;

/** The extended key usages a Matter TLV certificate can carry, with their TLV numbers (the SDK's OID table). */
public enum KeyPurpose {
    SERVER_AUTH(1, KeyPurposeId.id_kp_serverAuth.toOID()),
    CLIENT_AUTH(2, KeyPurposeId.id_kp_clientAuth.toOID()),
    CODE_SIGNING(3, KeyPurposeId.id_kp_codeSigning.toOID()),
    EMAIL_PROTECTION(4, KeyPurposeId.id_kp_emailProtection.toOID()),
    TIME_STAMPING(5, KeyPurposeId.id_kp_timeStamping.toOID()),
    OCSP_SIGNING(6, KeyPurposeId.id_kp_OCSPSigning.toOID());

    private final int id;
    private final ASN1ObjectIdentifier oid;

    KeyPurpose(int id, ASN1ObjectIdentifier oid) {
        this.id = id;
        this.oid = oid;
    }

    public int id() {
        return id;
    }

    public ASN1ObjectIdentifier oid() {
        return oid;
    }

    public static Optional<KeyPurpose> byId(long id) {
        return Arrays.stream(values()).filter(p -> p.id == id).findFirst();
    }

    public static Optional<KeyPurpose> byOid(ASN1ObjectIdentifier oid) {
        return Arrays.stream(values()).filter(p -> p.oid.equals(oid)).findFirst();
    }
}

package io.hallmark.core.matter.tlv;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;

import java.util.List;

/**
 * A certificate extension as the Matter TLV form records it (CHIPCert.h, extension tags 1 to 6). The first five
 * have a fixed criticality in X.509 (basicConstraints, keyUsage, extendedKeyUsage critical; the key identifiers
 * not), so the TLV form does not record it; any other extension travels whole as a "future extension", its DER
 * Extension SEQUENCE, criticality included.
 */
public sealed interface CertExtension {

    /** The TLV tag of this extension inside the extensions list. */
    int tag();

    ASN1ObjectIdentifier oid();

    record BasicConstraints(boolean ca, Integer pathLen) implements CertExtension {
        public BasicConstraints {
            if (pathLen != null && !ca) throw HallmarkException.badInput("basicConstraints has a pathLenConstraint without cA TRUE");
            if (pathLen != null && (pathLen < 0 || pathLen > 255)) {
                throw HallmarkException.badInput("basicConstraints pathLenConstraint " + pathLen + " is outside 0..255");
            }
        }

        public int tag() {
            return 1;
        }

        public ASN1ObjectIdentifier oid() {
            return Extension.basicConstraints;
        }
    }

    /** Key usage bits as the TLV form numbers them: 0x0001 digitalSignature ... 0x0080 encipherOnly. */
    record KeyUsage(int bits) implements CertExtension {
        /**
         * The bits the SDK's converters accept: digitalSignature through encipherOnly. decipherOnly (0x0100) is left out
         * of their allowed set, so a certificate with it converts in neither direction.
         */
        public static final int ALLOWED = 0x00ff;

        public KeyUsage {
            if ((bits & ~ALLOWED) != 0) {
                throw HallmarkException.badInput("keyUsage bits 0x" + Integer.toHexString(bits) + " include one the Matter TLV form does not carry"
                        + ((bits & 0x100) != 0 ? " (decipherOnly)" : ""));
            }
        }

        public int tag() {
            return 2;
        }

        public ASN1ObjectIdentifier oid() {
            return Extension.keyUsage;
        }
    }

    record ExtendedKeyUsage(List<KeyPurpose> purposes) implements CertExtension {
        public ExtendedKeyUsage {
            purposes = List.copyOf(purposes);
            if (purposes.isEmpty()) throw HallmarkException.badInput("extendedKeyUsage lists no purpose");
        }

        public int tag() {
            return 3;
        }

        public ASN1ObjectIdentifier oid() {
            return Extension.extendedKeyUsage;
        }
    }

    record SubjectKeyId(byte[] id) implements CertExtension {
        public SubjectKeyId {
            if (id.length != 20) throw HallmarkException.badInput("subjectKeyIdentifier is " + id.length + " bytes; the Matter TLV form carries 20");
            id = id.clone();
        }

        public int tag() {
            return 4;
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        public ASN1ObjectIdentifier oid() {
            return Extension.subjectKeyIdentifier;
        }
    }

    record AuthorityKeyId(byte[] id) implements CertExtension {
        public AuthorityKeyId {
            if (id.length != 20) throw HallmarkException.badInput("authorityKeyIdentifier is " + id.length + " bytes; the Matter TLV form carries 20");
            id = id.clone();
        }

        public int tag() {
            return 5;
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        public ASN1ObjectIdentifier oid() {
            return Extension.authorityKeyIdentifier;
        }
    }

    /** Any other extension: the DER of the whole X.509 Extension (checked by whoever builds one). */
    record Future(ASN1ObjectIdentifier oid, byte[] der) implements CertExtension {
        public Future {
            der = der.clone();
        }

        public int tag() {
            return 6;
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }
}

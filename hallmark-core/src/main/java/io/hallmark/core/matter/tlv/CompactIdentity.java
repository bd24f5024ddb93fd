package io.hallmark.core.matter.tlv;

import java.util.List;

/**
 * The compact form of a Network (Client) Identity, a per-device credential for Wi-Fi (Matter Core Specification
 * §11.24): the TLV carries only the public key and the signature; the rest of the certificate is fixed by the
 * specification (the SDK's {@code CHIPCert_Internal.h}: serial 1, issuer and subject CN "*", valid from one second
 * after the Matter epoch without expiry, not a CA, digitalSignature, clientAuth then serverAuth).
 */
final class CompactIdentity {

    private CompactIdentity() {
    }

    static MatterCertificate certificate(byte[] publicKey, byte[] signature) {
        List<DnAttribute> star = List.of(new DnAttribute.Text(DnAttributeType.COMMON_NAME, "*", DnAttribute.StringType.UTF8));
        return new MatterCertificate(new byte[] {1}, star, 1, MatterTime.NO_EXPIRY, star, publicKey,
                List.of(new CertExtension.BasicConstraints(false, null), new CertExtension.KeyUsage(0x0001),
                        new CertExtension.ExtendedKeyUsage(List.of(KeyPurpose.CLIENT_AUTH, KeyPurpose.SERVER_AUTH))),
                signature);
    }
}

package io.hallmark.core.ca;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Takes over a CA made elsewhere (OpenSSL, another PKI): its certificate and its private key. Everything is
 * checked before anything is stored: the certificate is a CA's (basicConstraints cA, keyCertSign), the key is
 * strong enough and one Hallmark signs with, and the key really is the certificate's, proved by signing and
 * verifying (a public-key compare would accept a key file whose private half is damaged). A refusal stores nothing.
 */
public final class CaImporter {

    /** The key to take over: a file's key for the software vault, a reference to a key already on a token, or none. */
    public sealed interface KeySource permits KeySource.File, KeySource.Reference, KeySource.None {
        record File(PrivateKey key) implements KeySource {
        }

        /** A key that is already in a vault (a {@code pkcs11:} URI): nothing is copied, the vault opens it. */
        record Reference(String ref) implements KeySource {
        }

        /**
         * No key: the CA stays where it is (a cloud platform, another PKI) and Hallmark inventories what it issued, so
         * those devices can be listed, blocked and re-enrolled to a Hallmark CA. Such a CA issues no profile and need not
         * be self-signed: without {@code --parent} it is where Hallmark's chains for it end.
         */
        record None() implements KeySource {
        }
    }

    private final Store store;
    private final KeyVaults vaults;
    private final Clock clock;

    public CaImporter(Store store, KeyVaults vaults, Clock clock) {
        this.store = store;
        this.vaults = vaults;
        this.clock = clock;
    }

    public CertificateAuthority importCa(String name, byte[] certificateBytes, KeySource keySource, String parentName,
                                         List<String> profileNames, Profiles profiles, String actor) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,47}")) {
            throw HallmarkException.badInput("CA name '" + name + "' must be lowercase letters, digits and '-'");
        }
        if (store.read(tx -> tx.cas().find(name)).isPresent()) {
            throw HallmarkException.conflict("a CA named '" + name + "' exists already");
        }
        X509CertificateHolder cert = Pem.holder(Pem.derOf(certificateBytes, "CERTIFICATE"));
        requireCa(cert);
        SubjectPublicKeyInfo spki = cert.getSubjectPublicKeyInfo();
        KeyPolicy.DEFAULT.check(spki); // weak keys (RSA below 2048, small exponents, odd curves) refused here
        KeyAlgorithm algorithm = algorithmOf(spki);
        PublicKey publicKey = publicKey(cert);
        Instant now = clock.instant();
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            throw HallmarkException.badInput("the CA certificate expired at " + cert.getNotAfter().toInstant() + "; there is nothing left to take over");
        }
        CertificateAuthority parent = parentName == null ? null : store.read(tx -> tx.cas().find(parentName))
                .orElseThrow(() -> HallmarkException.notFound("no CA named '" + parentName + "' (--parent)"));
        boolean keyless = keySource instanceof KeySource.None;
        if (!keyless || parent != null) {
            requireIssuedBy(cert, parent);
        }
        if (keyless && !profileNames.isEmpty()) {
            throw HallmarkException.badInput("a CA imported without its key issues nothing here: give it no profiles");
        }
        for (String p : profileNames) {
            Profile profile = profiles.get(p);
            if (profile.kind().isCa()) {
                throw HallmarkException.badInput("profile '" + p + "' is a CA profile; list end-entity profiles only");
            }
            if (profile.validity().forever() && !cert.getNotAfter().toInstant().equals(Validity.NO_WELL_DEFINED_EXPIRATION)) {
                throw HallmarkException.badInput("profile '" + p + "' issues certificates that never expire; this CA's certificate ends "
                        + cert.getNotAfter().toInstant());
            }
        }
        BasicConstraints constraints = BasicConstraints.fromExtensions(cert.getExtensions());
        Integer pathLen = constraints.getPathLenConstraint() == null ? null : constraints.getPathLenConstraint().intValueExact();

        KeyHandle key = switch (keySource) {
            case KeySource.File file -> {
                requireMatch(file.key(), publicKey, algorithm); // before the vault writes anything
                yield vaults.importKey(name, file.key(), publicKey);
            }
            case KeySource.Reference reference -> {
                KeyHandle handle = vaults.open(reference.ref());
                requireMatch(handle, publicKey, algorithm);
                yield handle;
            }
            case KeySource.None none -> null;
        };
        String keyRef = key == null ? KeyVaults.noKey(name) : key.ref();
        byte[] der = encoded(cert);
        var ca = new CertificateAuthority(name, parentName, algorithm, keyRef, der, pathLen, List.copyOf(profileNames), now);
        String serial = Serials.hex(cert.getSerialNumber());
        store.run(tx -> {
            tx.cas().insert(ca);
            // A CA whose issuer Hallmark does not know (imported without key or parent) has no record: no CA here signed it.
            boolean issuerKnown = parent != null || cert.getSubject().equals(cert.getIssuer());
            if (issuerKnown && tx.certificates().find(serial).isEmpty()) {
                tx.certificates().insert(CertificateRecord.of(cert, parent == null ? name : parent.name(),
                        parent == null ? Profiles.ROOT_CA.name() : Profiles.ISSUING_CA.name(), null, now));
            }
            tx.audit().append(actor, AuditEvent.of("ca.import", name, "parent", parentName, "algorithm", algorithm.id(), "key", keyRef,
                    "serial", serial, "subject", cert.getSubject().toString(), "profiles", String.join(",", profileNames),
                    "sha256", io.hallmark.core.crypto.Fingerprints.sha256Hex(der)), now);
        });
        return ca;
    }

    private static void requireCa(X509CertificateHolder cert) {
        BasicConstraints constraints = BasicConstraints.fromExtensions(cert.getExtensions());
        if (constraints == null || !constraints.isCA()) {
            throw HallmarkException.badInput("the certificate (" + cert.getSubject() + ") is not a CA certificate: basicConstraints cA is not TRUE");
        }
        // Absent keyUsage permits every use (RFC 5280 4.2.1.3), and OpenSSL's default v3_ca section writes none.
        KeyUsage usage = KeyUsage.fromExtensions(cert.getExtensions());
        if (usage != null && !usage.hasUsages(KeyUsage.keyCertSign)) {
            throw HallmarkException.badInput("the certificate (" + cert.getSubject() + ") may not sign certificates: its keyUsage lacks keyCertSign");
        }
        if (cert.getVersionNumber() != 3) {
            throw HallmarkException.badInput("the certificate is X.509 version " + cert.getVersionNumber() + "; a CA certificate must be version 3");
        }
    }

    /** A root signs itself; a CA under {@code --parent} must carry that parent's signature. */
    private static void requireIssuedBy(X509CertificateHolder cert, CertificateAuthority parent) {
        X509CertificateHolder issuer = parent == null ? cert : parent.holder();
        boolean signed;
        try {
            signed = cert.getIssuer().equals(issuer.getSubject())
                    && cert.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer));
        } catch (Exception e) {
            signed = false;
        }
        if (!signed) {
            throw HallmarkException.badInput(parent == null
                    ? "the certificate is not self-signed (issuer " + cert.getIssuer() + "): import its issuer first and pass it as --parent"
                    : "the certificate is not signed by CA " + parent.name() + " (" + parent.subject() + ")");
        }
    }

    private static void requireMatch(PrivateKey key, PublicKey publicKey, KeyAlgorithm algorithm) {
        try {
            byte[] probe = probe();
            Signature signer = Signature.getInstance(algorithm.signatureAlgorithm());
            signer.initSign(key);
            signer.update(probe);
            check(probe, signer.sign(), publicKey, algorithm);
        } catch (HallmarkException e) {
            throw e;
        } catch (Exception e) {
            throw mismatch();
        }
    }

    private static void requireMatch(KeyHandle key, PublicKey publicKey, KeyAlgorithm algorithm) {
        byte[] probe = probe();
        byte[] signature;
        try {
            signature = key.sign(probe);
        } catch (RuntimeException e) {
            throw HallmarkException.badInput("cannot sign with " + key.ref() + ": " + e.getMessage());
        }
        check(probe, signature, publicKey, algorithm);
    }

    private static void check(byte[] probe, byte[] signature, PublicKey publicKey, KeyAlgorithm algorithm) {
        try {
            Signature verifier = Signature.getInstance(algorithm.signatureAlgorithm());
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (verifier.verify(signature)) return;
        } catch (Exception e) {
            // a key of another algorithm cannot even be tried: the same mismatch
        }
        throw mismatch();
    }

    private static HallmarkException mismatch() {
        return HallmarkException.badInput("the key does not match the certificate: a signature made with it does not verify with the certificate's public key");
    }

    /** Fresh each time: a fixed probe would let a stored signature stand in for the key. */
    private static byte[] probe() {
        byte[] probe = new byte[32];
        new java.security.SecureRandom().nextBytes(probe);
        return probe;
    }

    /** The vault's key kinds; a certificate with another key (P-521, Ed448, an odd RSA size) cannot be signed for. */
    static KeyAlgorithm algorithmOf(SubjectPublicKeyInfo spki) {
        String kind = KeyPolicy.DEFAULT.check(spki);
        return switch (kind) {
            case "ec-p256" -> KeyAlgorithm.EC_P256;
            case "ec-p384" -> KeyAlgorithm.EC_P384;
            case "ed25519" -> KeyAlgorithm.ED25519;
            case "rsa-2048" -> KeyAlgorithm.RSA_2048;
            case "rsa-3072" -> KeyAlgorithm.RSA_3072;
            case "rsa-4096" -> KeyAlgorithm.RSA_4096;
            default -> {
                KeyAlgorithm pq = KeyAlgorithm.ofOid(spki.getAlgorithm().getAlgorithm());
                if (pq == null) {
                    throw HallmarkException.badInput("a " + kind + " CA key is not one Hallmark signs with (" + KeyAlgorithm.known() + ")");
                }
                yield pq;
            }
        };
    }

    private static PublicKey publicKey(X509CertificateHolder cert) {
        try {
            return new JcaX509CertificateConverter().getCertificate(cert).getPublicKey();
        } catch (java.security.cert.CertificateException e) {
            throw HallmarkException.badInput("cannot read the certificate's public key: " + e.getMessage());
        }
    }

    private static byte[] encoded(X509CertificateHolder cert) {
        try {
            return cert.getEncoded();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

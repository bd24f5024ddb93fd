package io.hallmark.store.inventory;

import io.hallmark.core.crypto.KeyAlgorithm;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;

/** Real certificate DER with keys of a given algorithm, so the store records what it reads from them. */
final class CertificateDers {

    private static final Map<KeyAlgorithm, KeyPair> KEYS = new EnumMap<>(KeyAlgorithm.class);

    private CertificateDers() {
    }

    static synchronized byte[] of(KeyAlgorithm algorithm, String serialHex) {
        KeyPair keys = KEYS.computeIfAbsent(algorithm, KeyAlgorithm::generate);
        try {
            X500Name name = new X500Name("CN=" + serialHex);
            return new JcaX509v3CertificateBuilder(name, new BigInteger(serialHex, 16), new Date(0), new Date(4_000_000_000_000L), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder(algorithm.signatureAlgorithm()).build(keys.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

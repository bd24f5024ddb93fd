package io.hallmark.core.vault;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A device's own PKCS#11 token (its secure element, or its TPM through tpm2-pkcs11) as the factory station sees it:
 * the device's identity key is generated inside it, a P-256 key that is a private, sensitive, never-extractable
 * token object able to sign only ({@link TokenSession}); the CSR is signed there, so only the CSR leaves; and the
 * issued certificate (with its chain) is written back beside the key.
 * <p>
 * The key, its public key and its certificate share one name: CKA_LABEL and CKA_ID are the label's bytes, which is
 * what the JDK's SunPKCS11 key store pairs them by, so a device (or {@code keytool -storetype PKCS11}) finds key and
 * certificate after a restart. Until the certificate arrives, a self-signed placeholder (CN=label, O=Hallmark
 * factory: awaiting certificate) holds its place: SunPKCS11 lists no key without a certificate, and with it a station
 * that crashed after the key was made finds the key again on the next run, resends its CSR and gets the certificate
 * the first run committed ({@code existing}) instead of making a second key the CA would refuse.
 */
public final class DeviceToken {

    /** The name of the device key when the station gives none. */
    public static final String DEFAULT_LABEL = "idevid";
    private static final Pattern SAFE_LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final KeyAlgorithm ALGORITHM = KeyAlgorithm.EC_P256;
    private static final String PLACEHOLDER_ORG = "Hallmark factory: awaiting certificate";

    private final Pkcs11Settings settings;
    private final String label;
    private final TokenSession session;
    private final PrivateKey key;
    private final PublicKey publicKey;
    private final boolean generated;

    private DeviceToken(Pkcs11Settings settings, String label, TokenSession session, PrivateKey key, PublicKey publicKey, boolean generated) {
        this.settings = settings;
        this.label = label;
        this.session = session;
        this.key = key;
        this.publicKey = publicKey;
        this.generated = generated;
    }

    /**
     * Logs in to the token and finds the device key named {@code label} on it, or generates it there.
     *
     * @throws HallmarkException BAD_INPUT for a label that cannot name a key, or a key of that name that is not P-256;
     *                           NOT_FOUND, UNAUTHENTICATED or UNAVAILABLE as {@link Pkcs11KeyVault} for the token itself
     */
    public static DeviceToken open(Pkcs11Settings settings, String label) {
        if (label == null || !SAFE_LABEL.matcher(label).matches()) {
            throw HallmarkException.badInput("device key label '" + label + "' must be 1 to 63 letters, digits, '.', '_' or '-'");
        }
        settings.check();
        TokenSession session = TokenSession.open(settings, label, 0);
        try {
            if (session.keyStore().containsAlias(label)) {
                if (!session.keyStore().isKeyEntry(label)) {
                    throw HallmarkException.badInput("PKCS#11 token '" + settings.token() + "' holds a certificate named '" + label
                            + "' without its key; remove it or choose another --pkcs11-key-label");
                }
                PublicKey existing = session.keyStore().getCertificate(label).getPublicKey();
                if (!(existing instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                    throw HallmarkException.badInput("the key '" + label + "' on PKCS#11 token '" + settings.token()
                            + "' is not a P-256 key (" + existing.getAlgorithm() + "); a device key from the factory is P-256");
                }
                PrivateKey key = (PrivateKey) session.keyStore().getKey(label, null);
                return new DeviceToken(settings, label, session, key, existing, false);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", session.provider());
            generator.initialize(new ECGenParameterSpec(ALGORITHM.curve()));
            KeyPair pair = generator.generateKeyPair();
            DeviceToken token = new DeviceToken(settings, label, session, pair.getPrivate(), pair.getPublic(), true);
            token.write(new X509Certificate[]{token.placeholder()});
            return token;
        } catch (GeneralSecurityException | java.security.ProviderException e) {
            throw HallmarkException.unavailable("cannot make or find the device key '" + label + "' on PKCS#11 token '" + settings.token()
                    + "': " + TokenSession.rootMessage(e), e);
        }
    }

    /** The token's label. */
    public String token() {
        return settings.token();
    }

    /** Whether {@link #open} made the key now (false: it was on the token from an earlier run). */
    public boolean generated() {
        return generated;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The key's RFC 7512 URI, what a device's configuration names it by. */
    public String uri() {
        return new Pkcs11Uri(settings.token(), label, label.getBytes(StandardCharsets.US_ASCII)).toString();
    }

    /** A PKCS#10 request for the device key, DER, signed on the token. */
    public byte[] csr(X500Name subject) {
        try {
            return new JcaPKCS10CertificationRequestBuilder(subject, publicKey).build(signer()).getEncoded();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes the device's certificate, and the chain above it if given, to the token under the key's name, replacing
     * the placeholder (or an earlier certificate for the same key).
     *
     * @throws HallmarkException BAD_INPUT when the certificate is not for this token's key
     */
    public void store(X509Certificate certificate, List<X509Certificate> chain) {
        if (!certificate.getPublicKey().equals(publicKey)) {
            throw HallmarkException.badInput("the certificate " + certificate.getSubjectX500Principal() + " is not for the key on PKCS#11 token '"
                    + settings.token() + "'");
        }
        X509Certificate[] all = new X509Certificate[1 + chain.size()];
        all[0] = certificate;
        for (int i = 0; i < chain.size(); i++) all[i + 1] = chain.get(i);
        write(all);
    }

    /** What the token holds under the key's name now: certificate first. */
    public List<X509Certificate> certificates() {
        try {
            Certificate[] chain = session.keyStore().getCertificateChain(label);
            return chain == null ? List.of() : java.util.Arrays.stream(chain).map(c -> (X509Certificate) c).toList();
        } catch (java.security.KeyStoreException e) {
            throw HallmarkException.unavailable("cannot read PKCS#11 token '" + settings.token() + "': " + TokenSession.rootMessage(e), e);
        }
    }

    /**
     * The subject serialNumber of the certificate an earlier run wrote for the key, or empty when the key has none
     * yet (a fresh key, or only its placeholder): a token already provisioned as one device is not to become another.
     */
    public Optional<String> provisionedSerialNumber() {
        List<X509Certificate> chain = certificates();
        if (chain.isEmpty()) return Optional.empty();
        X500Name subject = X500Name.getInstance(chain.getFirst().getSubjectX500Principal().getEncoded());
        RDN[] organization = subject.getRDNs(BCStyle.O);
        if (organization.length > 0 && PLACEHOLDER_ORG.equals(IETFUtils.valueToString(organization[0].getFirst().getValue()))) {
            return Optional.empty();
        }
        RDN[] serials = subject.getRDNs(BCStyle.SERIALNUMBER);
        return Optional.of(serials.length == 0 ? "" : IETFUtils.valueToString(serials[0].getFirst().getValue()));
    }

    private void write(X509Certificate[] chain) {
        try {
            // A key store entry for a key already on this token: SunPKCS11 sets the key's CKA_ID to the alias and stores
            // the certificate with CKA_ID and CKA_LABEL the alias; for the same public key it replaces the old chain and
            // keeps the key (P11KeyStore.updatePkey).
            session.keyStore().setKeyEntry(label, key, null, chain);
        } catch (java.security.KeyStoreException | java.security.ProviderException e) {
            throw HallmarkException.unavailable("cannot write the certificate to PKCS#11 token '" + settings.token() + "': "
                    + TokenSession.rootMessage(e), e);
        }
    }

    private X509Certificate placeholder() throws GeneralSecurityException {
        X500Name name = new X500Name("CN=" + label + ",O=" + PLACEHOLDER_ORG);
        Instant now = Instant.now();
        var builder = new X509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now),
                Date.from(now.plus(Duration.ofDays(365))), name, SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer()));
    }

    private ContentSigner signer() {
        try {
            return new JcaContentSignerBuilder(ALGORITHM.signatureAlgorithm()).setProvider(session.provider()).build(key);
        } catch (OperatorCreationException e) {
            throw HallmarkException.unavailable("cannot sign on PKCS#11 token '" + settings.token() + "': " + e.getMessage(), e);
        }
    }
}

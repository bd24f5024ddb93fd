package io.hallmark.bench;

import io.hallmark.cli.Output;
import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Signatures;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.revoke.CrlEncoder;
import io.hallmark.core.store.RevocationReason;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.x509.CertificateAssembler;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "pq", description = {
        "Sizes and single-thread speeds per signature algorithm, post-quantum beside classical, in one throwaway installation:",
        "for each ALG a root, an issuing CA and a device certificate all of ALG (through the issuance pipeline), then the DER",
        "sizes of the certificate, the chain a TLS peer sends (device + issuing CA), a CRL of --crl-entries revoked serials and",
        "an OCSP answer (its responder certificate included), and the rates of signing a certificate-sized TBS through the",
        "vault and of verifying a certificate's signature.",
        "  hallmark bench pq --algorithms ec-p256,ml-dsa-44,ml-dsa-65 --json"})
final class BenchPostQuantum implements Callable<Integer> {

    @Option(names = "--algorithms", split = ",", paramLabel = "ALG", defaultValue = "ec-p256,ec-p384,ed25519,rsa-3072,ml-dsa-44,ml-dsa-65,ml-dsa-87,"
            + "slh-dsa-sha2-128s,slh-dsa-sha2-128f,mldsa44-ecdsa-p256-sha256,mldsa65-ecdsa-p384-sha512,mldsa44-ed25519-sha512",
            description = "Algorithms, in this order (default ${DEFAULT-VALUE}).")
    List<String> algorithms;

    @Option(names = "--crl-entries", defaultValue = "100000", paramLabel = "N", description = "Revoked serials in the CRL (default ${DEFAULT-VALUE}).")
    int crlEntries;

    @Option(names = "--seconds", defaultValue = "2", paramLabel = "S", description = "Measured seconds for each rate (default ${DEFAULT-VALUE}).")
    double seconds;

    @Mixin
    Output.JsonOption output;

    record Row(String algorithm, String provider, int publicKeyBytes, int signatureBytes, int certificateBytes, int issuingCaBytes,
               int rootBytes, int chainBytes, int crlBytes, double crlSignMs, String crlError, int ocspAnswerBytes, double signPerSecond, double verifyPerSecond) {
    }

    /** ML-DSA signing and verifying straight through one provider's JCA engines, key made by that provider. */
    record ProviderRate(String algorithm, String provider, double signPerSecond, double verifyPerSecond) {
    }

    record Result(String machine, String java, String classicalProvider, int crlEntries, double seconds, List<Row> rows,
                  List<ProviderRate> mlDsaProviders) {
    }

    @Override
    public Integer call() throws Exception {
        if (crlEntries < 1 || seconds <= 0) throw io.hallmark.core.error.HallmarkException.badInput("--crl-entries and --seconds must be positive");
        List<KeyAlgorithm> algs = algorithms.stream().map(KeyAlgorithm::parse).distinct().toList();
        List<Row> rows = new ArrayList<>();
        List<ProviderRate> providers = new ArrayList<>();
        try (BenchSupport b = new BenchSupport()) {
            for (KeyAlgorithm alg : algs) {
                System.err.println("bench: " + alg.id() + "...");
                rows.add(measure(b, alg));
                if (alg.family() == KeyAlgorithm.Family.ML_DSA) {
                    providers.addAll(providerRates(alg));
                }
            }
        }
        Result r = new Result(Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.arch"), Runtime.version().toString(),
                CryptoProviders.describe(), crlEntries, seconds, rows, providers);
        if (output.json) {
            Output.json(r);
        } else {
            Output.table(System.out, List.of("ALGORITHM", "KEY", "SIG", "CERT", "CHAIN", "CRL " + crlEntries, "OCSP", "SIGN/S", "VERIFY/S", "PROVIDER"),
                    rows.stream().map(x -> List.of(x.algorithm(), String.valueOf(x.publicKeyBytes()), String.valueOf(x.signatureBytes()),
                            String.valueOf(x.certificateBytes()), String.valueOf(x.chainBytes()), x.crlError() == null ? String.valueOf(x.crlBytes()) : "failed",
                            String.valueOf(x.ocspAnswerBytes()), String.format("%,.1f", x.signPerSecond()), String.format("%,.0f", x.verifyPerSecond()),
                            x.provider())).toList());
            providers.forEach(p -> System.out.println(p.algorithm() + " through " + p.provider() + ": " + String.format("%,.0f", p.signPerSecond())
                    + " signatures/s, " + String.format("%,.0f", p.verifyPerSecond()) + " verifications/s"));
        }
        return 0;
    }

    private Row measure(BenchSupport b, KeyAlgorithm alg) throws Exception {
        var cas = b.hallmark.cas();
        String root = "bench-" + alg.id() + "-root", ca = "bench-" + alg.id() + "-ca";
        cas.createOne(new CaSpec(root, null, "CN=Bench " + alg.id() + " Root,O=Hallmark Bench", alg, Validity.parse("20y"), 1, List.of(), null),
                b.hallmark.profiles(), "bench");
        cas.createOne(new CaSpec(ca, root, "CN=Bench " + alg.id() + " CA,O=Hallmark Bench", alg, Validity.parse("10y"), 0, List.of("ldevid"), null),
                b.hallmark.profiles(), "bench");
        var device = alg.generate();
        byte[] leafDer = b.hallmark.issuer().issue(new IssuanceRequest(ca, "ldevid", Csrs.create(device, alg, new X500Name("CN=bench-" + alg.id())),
                "BENCH-" + alg.id(), null, "bench")).certificate().der();
        X509CertificateHolder leaf = new X509CertificateHolder(leafDer);
        var issuing = cas.get(ca);
        byte[] caDer = issuing.certificate(), rootDer = cas.get(root).certificate();
        KeyHandle key = b.hallmark.vaults().open(issuing.keyRef());

        // A CRL of N random serials, signed through the vault as the CRL service signs.
        SecureRandom random = new SecureRandom();
        Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        Extensions exts = new Extensions(new Extension[]{
                new Extension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(
                        CertificateAssembler.keyIdentifier(issuing.holder().getSubjectPublicKeyInfo()).getKeyIdentifier()).getEncoded()),
                new Extension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE).getEncoded())});
        CrlEncoder encoder = new CrlEncoder(issuing.holder().getSubject(), now, now.plusSeconds(7 * 86400));
        for (int i = 0; i < crlEntries; i++) {
            encoder.add(new BigInteger(159, random).setBit(150), now.minusSeconds(random.nextInt(365 * 86400)), RevocationReason.keyCompromise, null);
        }
        long c0 = System.nanoTime();
        byte[] crl;
        String crlError = null;
        try {
            crl = encoder.sign(key.signer(), exts);
        } catch (RuntimeException e) { // reported, not hidden: the other figures of this algorithm still stand
            crl = new byte[0];
            crlError = e.getMessage();
            System.err.println("bench: " + alg.id() + ": the CRL of " + crlEntries + " entries was not signed: " + e.getMessage());
        }
        double crlMs = (System.nanoTime() - c0) / 1e6;
        if (crlError == null) {
            X509CRLHolder crlHolder = new X509CRLHolder(crl);
            if (crlHolder.getRevokedCertificates().size() != crlEntries
                    || !crlHolder.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuing.holder()))) {
                throw new IllegalStateException(alg.id() + ": the CRL does not verify or lacks entries");
            }
        }

        // The OCSP answer a device or TLS peer fetches: status, signature and the delegated responder's certificate.
        CertificateID id = new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1), issuing.holder(), leaf.getSerialNumber());
        byte[] answer = b.hallmark.ocsp().respond(new OCSPReqBuilder().addRequest(id).build().getEncoded());
        OCSPResp resp = new OCSPResp(answer);
        if (resp.getStatus() != OCSPResp.SUCCESSFUL) throw new IllegalStateException(alg.id() + ": OCSP status " + resp.getStatus());
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        if (!basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(basic.getCerts()[0]))) {
            throw new IllegalStateException(alg.id() + ": the OCSP answer does not verify");
        }

        byte[] tbs = leaf.toASN1Structure().getTBSCertificate().getEncoded();
        double signRate = rate(() -> key.sign(tbs));
        var sigAlg = leaf.getSignatureAlgorithm();
        var caKey = issuing.holder().getSubjectPublicKeyInfo();
        byte[] signature = leaf.getSignature();
        double verifyRate = rate(() -> {
            if (!Signatures.verify(sigAlg, caKey, tbs, signature)) throw new IllegalStateException(alg.id() + ": signature does not verify");
        });
        int publicKey = leaf.getSubjectPublicKeyInfo().getPublicKeyData().getBytes().length;
        return new Row(alg.id(), CryptoProviders.providerFor(alg.signatureAlgorithm()), publicKey, signature.length, leafDer.length, caDer.length,
                rootDer.length, leafDer.length + caDer.length, crl.length, round(crlMs), crlError, answer.length, round(signRate), Math.round(verifyRate));
    }

    /**
     * The JDK's ML-DSA (what Hallmark signs with) beside BouncyCastle's and, when loaded, ACCP's (AWS-LC), on the same
     * 1 KB message: the figures behind pinning ML-DSA to the JDK, or changing that. ACCP names the engine "ML-DSA" only.
     */
    private List<ProviderRate> providerRates(KeyAlgorithm alg) throws Exception {
        List<ProviderRate> out = new ArrayList<>();
        byte[] message = new byte[1024];
        new SecureRandom().nextBytes(message);
        for (String provider : List.of("SUN", "BC", "AmazonCorrettoCryptoProvider")) {
            java.security.Provider p = java.security.Security.getProvider(provider);
            if (p == null) continue;
            String name = p.getService("Signature", alg.jcaName()) != null ? alg.jcaName() : "ML-DSA";
            if (p.getService("Signature", name) == null || p.getService("KeyPairGenerator", alg.jcaName()) == null) continue;
            var keys = java.security.KeyPairGenerator.getInstance(alg.jcaName(), p).generateKeyPair();
            java.security.Signature signer = java.security.Signature.getInstance(name, p);
            java.security.Signature verifier = java.security.Signature.getInstance(name, p);
            signer.initSign(keys.getPrivate());
            verifier.initVerify(keys.getPublic());
            byte[][] last = new byte[1][];
            double sign = rate(() -> {
                try {
                    signer.update(message);
                    last[0] = signer.sign();
                } catch (java.security.SignatureException e) {
                    throw new IllegalStateException(e);
                }
            });
            double verify = rate(() -> {
                try {
                    verifier.update(message);
                    if (!verifier.verify(last[0])) throw new IllegalStateException(provider + " " + alg.id() + ": signature does not verify");
                } catch (java.security.SignatureException e) {
                    throw new IllegalStateException(e);
                }
            });
            out.add(new ProviderRate(alg.id(), p.getName() + " " + p.getVersionStr(), round(sign), Math.round(verify)));
        }
        return out;
    }

    /** Operations per second, single thread, over --seconds after a short warm-up (at least two operations each). */
    private double rate(Runnable op) {
        long warm = System.nanoTime() + (long) (seconds * 0.25e9);
        int w = 0;
        while (w < 1 || System.nanoTime() < warm) { op.run(); w++; }
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        int n = 0;
        while (n < 2 || System.nanoTime() < end) { op.run(); n++; }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

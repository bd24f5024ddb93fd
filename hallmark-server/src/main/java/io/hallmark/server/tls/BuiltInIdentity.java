package io.hallmark.server.tls;

import io.hallmark.core.Hallmark;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.store.CertificateRecord;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Hallmark's own TLS identity: a P-256 key and a certificate for it from {@code clients-ca} with the {@code server}
 * profile, so that clients trust the server with Hallmark's root alone. It is renewed once two thirds of its life
 * have passed ({@link #renewAt}): with the built-in profile's 90 days, at day 60, leaving 30 days in which a failed
 * renewal is retried before anything expires.
 *
 * <p>With a directory, the key (sealed by the key vault under its passphrase, as OCSP responder keys are) and the
 * certificate chain are kept in {@code DIR/server.pem}, mode 0600, and the next start serves them again while
 * they are good for it ({@link #kept}): a restart records no new certificate. The file is per node (each node has
 * its own names); losing it costs only a new certificate.
 */
final class BuiltInIdentity {

    static final String CA = "clients-ca";
    static final String PROFILE = "server";
    static final String FILE = "server.pem";
    private static final Logger LOG = LoggerFactory.getLogger(BuiltInIdentity.class);

    private final Hallmark hallmark;
    private final List<String> hostnames;
    private final Path dir;

    /** @param dir where the identity is kept between starts; null for memory only */
    BuiltInIdentity(Hallmark hallmark, List<String> hostnames, Path dir) {
        if (hostnames.isEmpty()) throw new IllegalArgumentException("the server certificate needs a name");
        this.hallmark = hallmark;
        this.hostnames = List.copyOf(hostnames);
        this.dir = dir;
    }

    /** When a certificate is replaced: two thirds into its life. The same rule decides whether a kept one is served again. */
    static Instant renewAt(ServerIdentity identity) {
        return renewAt(identity.notBefore(), identity.notAfter());
    }

    static Instant renewAt(Instant notBefore, Instant notAfter) {
        return notBefore.plus(Duration.between(notBefore, notAfter).multipliedBy(2).dividedBy(3));
    }

    /** At start: the kept identity if it is still good for this server, else a new one. */
    ServerIdentity atStart() {
        Optional<ServerIdentity> kept = kept();
        return kept.isPresent() ? kept.get() : issue();
    }

    /** A new key and certificate, kept for the next start when there is a directory. */
    ServerIdentity issue() {
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        byte[] csr = Csrs.create(key, KeyAlgorithm.EC_P256, new X500Name("CN=" + hostnames.getFirst() + ",O=Hallmark server"));
        IssuedCertificate issued = hallmark.issuer().issue(new IssuanceRequest(CA, PROFILE, csr, null, null,
                "server:" + hostnames.getFirst(), generalNames()));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(Pem.x509(issued.certificate().der()));
        for (byte[] ca : hallmark.cas().servedChain(CA)) chain.add(Pem.x509(ca)); // with the link certificates during a root rollover
        ServerIdentity identity = new ServerIdentity(key.getPrivate(), chain, "issued by " + CA);
        if (dir != null) {
            try {
                keep(identity);
            } catch (RuntimeException e) {
                // Served all the same; only the next start will issue again.
                LOG.warn("TLS: cannot keep the server certificate in {} ({}); the next start will issue another", dir, e.getMessage());
            }
        }
        return identity;
    }

    /** Whether the store says this certificate was revoked: then it is replaced at once rather than at its renewal time. */
    boolean revoked(ServerIdentity identity) {
        return hallmark.store().read(tx -> tx.certificates().find(identity.serial())).map(r -> r.revocation() != null).orElse(false);
    }

    /** The kept identity, if there is one and it is good for this server; why not is logged. */
    Optional<ServerIdentity> kept() {
        if (dir == null || !Files.exists(dir.resolve(FILE))) {
            return Optional.empty();
        }
        try {
            String reason = null;
            byte[] pem = Files.readAllBytes(dir.resolve(FILE));
            List<byte[]> keys = Pem.blocks(pem, "ENCRYPTED PRIVATE KEY");
            List<byte[]> certs = Pem.blocks(pem, "CERTIFICATE");
            if (keys.size() != 1 || certs.isEmpty()) {
                LOG.info("TLS: {} is incomplete; issuing a new server certificate", dir.resolve(FILE));
                return Optional.empty();
            }
            List<X509Certificate> chain = certs.stream().map(Pem::x509).toList();
            X509Certificate leaf = chain.getFirst();
            String serial = Serials.hex(leaf.getSerialNumber());
            Optional<CertificateRecord> record = hallmark.store().read(tx -> tx.certificates().find(serial));
            List<byte[]> caChain = hallmark.cas().servedChain(CA);
            Instant now = hallmark.clock().instant();
            if (record.isEmpty() || !Arrays.equals(record.get().der(), certs.getFirst()) || !PROFILE.equals(record.get().profile())) {
                reason = "this installation did not issue it";
            } else if (record.get().revocation() != null) {
                reason = "it was revoked";
            } else if (!sameDer(chain.subList(1, chain.size()), caChain)) {
                reason = CA + " changed since";
            } else if (!names(leaf).equals(names(generalNames()))) {
                reason = "it names " + names(leaf) + ", this server " + names(generalNames());
            } else if (!now.isBefore(renewAt(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))) {
                reason = "it is due for renewal (valid until " + leaf.getNotAfter().toInstant() + ")";
            }
            if (reason != null) {
                LOG.info("TLS: not serving the kept certificate {} again: {}; issuing a new one", serial, reason);
                return Optional.empty();
            }
            String sealed = Pem.encode("ENCRYPTED PRIVATE KEY", keys.getFirst());
            PrivateKey key = hallmark.vaults().unseal(sealed, leaf.getPublicKey());
            return Optional.of(new ServerIdentity(key, chain, "kept in " + dir.resolve(FILE)));
        } catch (IOException | CertificateParsingException | RuntimeException e) {
            LOG.warn("TLS: cannot use {} ({}); issuing a new server certificate", dir.resolve(FILE), e.getMessage());
            return Optional.empty();
        }
    }

    /** Written whole to a temporary file and moved over the old one, so a crash never leaves a key without its certificate. */
    private void keep(ServerIdentity identity) {
        StringBuilder pem = new StringBuilder(hallmark.vaults().seal(identity.key()));
        for (X509Certificate cert : identity.chain()) {
            try {
                pem.append(Pem.certificate(cert.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        OwnerOnlyFile.directory(dir);
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try (OutputStream out = Files.newOutputStream(Files.createFile(tmp,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), StandardOpenOption.WRITE)) {
                out.write(pem.toString().getBytes(StandardCharsets.US_ASCII));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private List<GeneralName> generalNames() {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostnames) {
            names.add(isAddress(host) ? new GeneralName(GeneralName.iPAddress, address(host)) : new GeneralName(GeneralName.dNSName, host));
        }
        return names;
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static String address(String literal) {
        try {
            return InetAddress.getByName(literal).getHostAddress(); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw io.hallmark.core.error.HallmarkException.badInput("'" + literal + "' is not an IP address");
        }
    }

    /** Names as "dns:x" and "ip:a" in one canonical spelling each, to compare what a certificate says with what is asked. */
    private static Set<String> names(List<GeneralName> names) {
        Set<String> out = new TreeSet<>();
        for (GeneralName n : names) {
            out.add(n.getTagNo() == GeneralName.iPAddress ? "ip:" + ipOf(n) : "dns:" + n.getName().toString().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static String ipOf(GeneralName n) {
        try {
            byte[] raw = org.bouncycastle.asn1.ASN1OctetString.getInstance(n.getName()).getOctets();
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    private static Set<String> names(X509Certificate cert) throws CertificateParsingException {
        Set<String> out = new TreeSet<>();
        if (cert.getSubjectAlternativeNames() == null) return out;
        for (List<?> san : cert.getSubjectAlternativeNames()) {
            int type = (Integer) san.getFirst();
            String value = (String) san.get(1);
            if (type == GeneralName.iPAddress) out.add("ip:" + address(value));
            else if (type == GeneralName.dNSName) out.add("dns:" + value.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static boolean sameDer(List<X509Certificate> certs, List<byte[]> ders) {
        if (certs.size() != ders.size()) return false;
        try {
            for (int i = 0; i < certs.size(); i++) {
                if (!Arrays.equals(certs.get(i).getEncoded(), ders.get(i))) return false;
            }
            return true;
        } catch (java.security.cert.CertificateEncodingException e) {
            return false;
        }
    }
}

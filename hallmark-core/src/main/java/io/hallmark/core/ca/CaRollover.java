package io.hallmark.core.ca;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileKind;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateQuery;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import io.hallmark.core.store.Tx;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Root key rollover with RFC 4210 §4.4 link certificates, and cross-certification between any two CAs.
 *
 * <p>A rollover keeps the old root as a CA of its own (its row, its key, its CRLs for what it signed) and adds the
 * successor as a new root under a new name: certificates name their issuing CA by name in an append-only table,
 * so the old root's name must go on meaning the old key. The issuing CAs directly below move to the successor
 * with new certificates for their unchanged keys and subjects, so every certificate they ever issued verifies
 * through either their old or their new certificate.
 */
public final class CaRollover {

    /** A CA certificate signed by another root of the same subject (RFC 4210 NewWithOld / OldWithNew). */
    public static final Profile LINK = new Profile("ca-link", ProfileKind.ISSUING_CA, Validity.FOREVER,
            List.of("keyCertSign", "cRLSign"), List.of(), false, false, Profile.Presence.forbidden, KeyPolicy.DEFAULT);

    /** A CA certificate for one CA's key and subject signed by another CA ({@code ca cross-sign}). */
    public static final Profile CROSS = new Profile("ca-cross", ProfileKind.ISSUING_CA, Validity.FOREVER,
            List.of("keyCertSign", "cRLSign"), List.of(), false, false, Profile.Presence.forbidden, KeyPolicy.DEFAULT);

    /**
     * What a rollover made.
     *
     * @param recertified  the CAs moved under the successor, with their new certificates' serials
     * @param leftBehind   CAs below the old root left where they were (their certificate is revoked), with why
     */
    public record Outcome(String oldRoot, String newRoot, String newKeyRef, String newSerial, String newWithOldSerial,
                          String oldWithNewSerial, List<String> recertified, List<String> leftBehind,
                          byte[] newWithNew, byte[] newWithOld, byte[] oldWithNew) {
    }

    private final Store store;
    private final KeyVaults vaults;
    private final Clock clock;

    CaRollover(Store store, KeyVaults vaults, Clock clock) {
        this.store = store;
        this.vaults = vaults;
        this.clock = clock;
    }

    /** {@code NAME-2} for {@code NAME}, {@code root-3} for {@code root-2}: the default name of a successor. */
    public static String successorName(String name) {
        var m = java.util.regex.Pattern.compile("(.*)-(\\d+)").matcher(name);
        return m.matches() ? m.group(1) + "-" + (Long.parseLong(m.group(2)) + 1) : name + "-2";
    }

    Outcome rollover(String name, String newName, KeyAlgorithm algorithm, String actor) {
        CertificateAuthority old = store.read(tx -> tx.cas().find(name))
                .orElseThrow(() -> HallmarkException.notFound("no CA named '" + name + "'"));
        if (!old.isRoot()) {
            // Devices anchor trust in roots; an issuing CA's key is replaced by a new issuing CA under the same
            // root (hierarchy file, then move labels and stations), which no verifier needs a link certificate for.
            throw HallmarkException.badInput("CA " + name + " is not a root (its parent is " + old.parent()
                    + "); roll over the root, or add a new issuing CA with 'hallmark init --hierarchy FILE' and move EST labels and stations to it");
        }
        String successor = newName == null ? successorName(name) : newName;
        new CaSpec(successor, null, old.subject(), null, null, null, null, null); // the name rules of every CA
        if (store.read(tx -> tx.cas().find(successor)).isPresent()) {
            throw HallmarkException.conflict("a CA named '" + successor + "' exists already; name the successor with --name");
        }
        if (isRevoked(old)) {
            throw HallmarkException.badInput("CA " + name + " is revoked; a revoked root cannot vouch for a successor");
        }
        Instant now = clock.instant();
        X509CertificateHolder oldCert = old.holder();
        Instant oldNotAfter = oldCert.getNotAfter().toInstant();
        if (!oldNotAfter.isAfter(now)) {
            throw HallmarkException.badInput("CA " + name + " expired at " + oldNotAfter + "; a link certificate cannot outlive it");
        }
        KeyAlgorithm alg = algorithm == null ? old.algorithm() : algorithm;
        KeyHandle oldKey = vaults.open(old.keyRef());
        KeyHandle newKey = vaults.generate(scheme(old.keyRef()), successor, alg);
        SubjectPublicKeyInfo newSpki = SubjectPublicKeyInfo.getInstance(newKey.publicKey().getEncoded());

        // The successor lives as long as the old root was meant to: forever stays forever, 20 years is 20 years from now.
        Instant newNotAfter = oldNotAfter.equals(Validity.NO_WELL_DEFINED_EXPIRATION) ? oldNotAfter
                : now.plus(Duration.between(oldCert.getNotBefore().toInstant(), oldNotAfter));
        X509CertificateHolder newWithNew = CertificateAssembler.sign(new CertificateTemplate(oldCert.getSubject(), newSpki, now, newNotAfter,
                Profiles.ROOT_CA, old.pathLen(), List.of()), null, newKey);
        // RFC 4210 §4.4: the links last no longer than the old root, which is all either side needs them for.
        Instant linkNotAfter = newNotAfter.isBefore(oldNotAfter) ? newNotAfter : oldNotAfter;
        X509CertificateHolder newWithOld = CertificateAssembler.sign(new CertificateTemplate(oldCert.getSubject(), newSpki, now, linkNotAfter,
                LINK, old.pathLen(), List.of()), oldCert, oldKey);
        X509CertificateHolder oldWithNew = CertificateAssembler.sign(new CertificateTemplate(oldCert.getSubject(), oldCert.getSubjectPublicKeyInfo(),
                now, linkNotAfter, LINK, old.pathLen(), List.of()), newWithNew, newKey);

        List<CertificateAuthority> children = store.read(tx -> tx.cas().all()).stream().filter(c -> name.equals(c.parent())).toList();
        List<CertificateAuthority> moved = new ArrayList<>();
        List<X509CertificateHolder> movedCerts = new ArrayList<>();
        List<String> leftBehind = new ArrayList<>();
        for (CertificateAuthority child : children) {
            if (isRevoked(child)) {
                // Its new certificate would carry a fresh serial and so shed the revocation: it stays a dead CA under the old root.
                leftBehind.add(child.name() + " (revoked)");
                continue;
            }
            X509CertificateHolder c = child.holder();
            Instant childNotAfter = c.getNotAfter().toInstant().isAfter(newNotAfter) ? newNotAfter : c.getNotAfter().toInstant();
            X509CertificateHolder cert = CertificateAssembler.sign(new CertificateTemplate(c.getSubject(), c.getSubjectPublicKeyInfo(), now,
                    childNotAfter, Profiles.ISSUING_CA, child.pathLen(), List.of()), newWithNew, newKey);
            moved.add(new CertificateAuthority(child.name(), successor, child.algorithm(), child.keyRef(), encoded(cert), child.pathLen(),
                    child.profiles(), child.createdAt()));
            movedCerts.add(cert);
        }
        var successorCa = new CertificateAuthority(successor, null, alg, newKey.ref(), encoded(newWithNew), old.pathLen(), old.profiles(), now);
        store.run(tx -> {
            // Read again under the write transaction: a rollover of the same root on another node meanwhile wins.
            if (tx.cas().find(successor).isPresent()) throw HallmarkException.conflict("a CA named '" + successor + "' exists already");
            tx.cas().insert(successorCa);
            tx.certificates().insert(CertificateRecord.of(newWithNew, successor, Profiles.ROOT_CA.name(), null, now));
            tx.certificates().insert(CertificateRecord.of(newWithOld, name, LINK.name(), null, now));
            tx.certificates().insert(CertificateRecord.of(oldWithNew, successor, LINK.name(), null, now));
            if (!old.profiles().isEmpty()) {
                // The successor issues what the old root issued; the old one signs only CRLs from now on.
                tx.cas().update(new CertificateAuthority(old.name(), null, old.algorithm(), old.keyRef(), old.certificate(), old.pathLen(), List.of(), old.createdAt()));
            }
            for (int i = 0; i < moved.size(); i++) {
                tx.cas().update(moved.get(i));
                tx.certificates().insert(CertificateRecord.of(movedCerts.get(i), successor, Profiles.ISSUING_CA.name(), null, now));
            }
            tx.audit().append(actor, AuditEvent.of("ca.rollover", name, "successor", successor, "algorithm", alg.id(), "key", newKey.ref(),
                    "serial", Serials.hex(newWithNew.getSerialNumber()), "subject", oldCert.getSubject().toString(),
                    "newWithOld", Serials.hex(newWithOld.getSerialNumber()), "oldWithNew", Serials.hex(oldWithNew.getSerialNumber()),
                    "recertified", String.join(",", moved.stream().map(CertificateAuthority::name).toList()),
                    "leftBehind", String.join(",", leftBehind)), now);
            for (int i = 0; i < moved.size(); i++) {
                tx.audit().append(actor, AuditEvent.of("ca.recertify", moved.get(i).name(), "parent", successor, "previousParent", name,
                        "serial", Serials.hex(movedCerts.get(i).getSerialNumber())), now);
            }
        });
        List<String> recertified = new ArrayList<>();
        for (int i = 0; i < moved.size(); i++) recertified.add(moved.get(i).name() + " " + Serials.hex(movedCerts.get(i).getSerialNumber()));
        return new Outcome(name, successor, newKey.ref(), Serials.hex(newWithNew.getSerialNumber()), Serials.hex(newWithOld.getSerialNumber()),
                Serials.hex(oldWithNew.getSerialNumber()), recertified, leftBehind, encoded(newWithNew), encoded(newWithOld), encoded(oldWithNew));
    }

    /** A certificate for {@code name}'s key and subject signed by {@code by}, recorded as {@code by}'s and audited. */
    X509CertificateHolder crossSign(String name, String by, String actor) {
        if (name.equals(by)) throw HallmarkException.badInput("a CA cannot cross-sign itself: --ca and --by are both " + name);
        CertificateAuthority subject = store.read(tx -> tx.cas().find(name)).orElseThrow(() -> HallmarkException.notFound("no CA named '" + name + "'"));
        CertificateAuthority issuer = store.read(tx -> tx.cas().find(by)).orElseThrow(() -> HallmarkException.notFound("no CA named '" + by + "'"));
        for (CertificateAuthority ca : List.of(subject, issuer)) {
            if (isRevoked(ca)) throw HallmarkException.badInput("CA " + ca.name() + " is revoked; it takes part in no cross-certificate");
        }
        Instant now = clock.instant();
        X509CertificateHolder s = subject.holder();
        X509CertificateHolder i = issuer.holder();
        Instant notAfter = s.getNotAfter().before(i.getNotAfter()) ? s.getNotAfter().toInstant() : i.getNotAfter().toInstant();
        if (!notAfter.isAfter(now)) throw HallmarkException.badInput("CA " + (s.getNotAfter().before(i.getNotAfter()) ? name : by) + " has expired");
        X509CertificateHolder cert = CertificateAssembler.sign(new CertificateTemplate(s.getSubject(), s.getSubjectPublicKeyInfo(), now, notAfter,
                CROSS, subject.pathLen(), List.of()), i, vaults.open(issuer.keyRef()));
        store.run(tx -> {
            tx.certificates().insert(CertificateRecord.of(cert, by, CROSS.name(), null, now));
            tx.audit().append(actor, AuditEvent.of("ca.cross-sign", name, "by", by, "serial", Serials.hex(cert.getSerialNumber()),
                    "subject", s.getSubject().toString(), "issuer", i.getSubject().toString()), now);
        });
        return cert;
    }

    /**
     * RFC 7030 §4.1.3's root key update certificates for the root {@code root}: NewWithOld and OldWithNew of every
     * rollover of its subject, and the earlier self-signed roots (OldWithOld), each while it is neither expired nor
     * revoked. Empty when the root was never rolled over, or once the old roots have expired or been retired.
     */
    List<byte[]> keyUpdateCertificates(Tx tx, CertificateAuthority root) {
        Instant now = clock.instant();
        String subject = root.subject();
        List<byte[]> out = new ArrayList<>();
        List<CertificateRecord> links = new ArrayList<>(tx.certificates().find(new CertificateQuery(null, null, LINK.name(), null, 1000)));
        links.sort(java.util.Comparator.comparing(CertificateRecord::issuedAt));
        for (CertificateRecord link : links) {
            if (link.subject().equals(subject) && link.revocation() == null && link.notAfter().isAfter(now)) out.add(link.der());
        }
        for (CertificateAuthority ca : tx.cas().all()) {
            if (ca.isRoot() && !ca.name().equals(root.name()) && ca.subject().equals(subject) && !out.isEmpty()
                    && ca.holder().getNotAfter().toInstant().isAfter(now)
                    && tx.certificates().find(ca.serial()).map(r -> r.revocation() == null).orElse(true)) {
                out.add(ca.certificate());
            }
        }
        return out;
    }

    /**
     * The NewWithOld links from {@code root} back to every earlier root of its subject still valid, newest first:
     * appended to a served chain in place of the self-signed root, they let a verifier that trusts any of those
     * roots reach the current one (and one that trusts the current root stops before them).
     */
    List<byte[]> newWithOldLinks(Tx tx, CertificateAuthority root) {
        Instant now = clock.instant();
        String subject = root.subject();
        java.util.Map<String, CertificateAuthority> rootsByKey = new java.util.HashMap<>();
        java.util.Map<String, CertificateAuthority> rootsByName = new java.util.HashMap<>();
        for (CertificateAuthority ca : tx.cas().all()) {
            if (ca.isRoot() && ca.subject().equals(subject)) {
                rootsByKey.put(keyId(ca), ca);
                rootsByName.put(ca.name(), ca);
            }
        }
        List<CertificateRecord> links = new ArrayList<>();
        for (CertificateRecord link : tx.certificates().find(new CertificateQuery(null, null, LINK.name(), null, 1000))) {
            CertificateAuthority holder = rootsByKey.get(link.keyId());
            CertificateAuthority signer = rootsByName.get(link.caName());
            if (link.subject().equals(subject) && link.revocation() == null && link.notAfter().isAfter(now)
                    && holder != null && signer != null && holder.createdAt().isAfter(signer.createdAt())) {
                links.add(link);
            }
        }
        links.sort(java.util.Comparator.comparing((CertificateRecord l) -> rootsByKey.get(l.keyId()).createdAt()).reversed());
        return links.stream().map(CertificateRecord::der).toList();
    }

    private static String keyId(CertificateAuthority ca) {
        try {
            return io.hallmark.core.crypto.Fingerprints.sha256Hex(ca.holder().getSubjectPublicKeyInfo().getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean isRevoked(CertificateAuthority ca) {
        return store.read(tx -> tx.certificates().find(ca.serial())).map(r -> r.revocation() != null).orElse(false);
    }

    private static String scheme(String keyRef) {
        int colon = keyRef.indexOf(':');
        return colon < 0 ? null : keyRef.substring(0, colon);
    }

    private static byte[] encoded(X509CertificateHolder cert) {
        try {
            return cert.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.hallmark.core.ca;

import io.hallmark.core.audit.AuditEvent;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyHandle;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.x509.CertificateAssembler;
import io.hallmark.core.x509.CertificateTemplate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Creates CA hierarchies and answers questions about the CAs. */
public final class CaService {

    /** What {@link #init} did for one CA. */
    public record InitOutcome(String name, boolean created, String note) {
    }

    private final Store store;
    private final KeyVaults vaults;
    private final Clock clock;
    private final CaRollover rollover;

    public CaService(Store store, KeyVaults vaults, Clock clock) {
        this.store = store;
        this.vaults = vaults;
        this.clock = clock;
        this.rollover = new CaRollover(store, vaults, clock);
    }

    /**
     * Rolls the root {@code name} over to a successor of the same subject with a new key ({@code algorithm}, or the
     * old one's), named {@code newName} (null: {@link CaRollover#successorName}), with the two link certificates;
     * the issuing CAs below move to the successor. See docs/key-custody.md, "Rollover".
     */
    public CaRollover.Outcome rollover(String name, String newName, io.hallmark.core.crypto.KeyAlgorithm algorithm, String actor) {
        return rollover.rollover(name, newName, algorithm, actor);
    }

    /** A certificate for CA {@code name}'s key and subject signed by CA {@code by}; recorded and audited. */
    public X509CertificateHolder crossSign(String name, String by, String actor) {
        return rollover.crossSign(name, by, actor);
    }

    /**
     * The chain a server presents for a certificate of CA {@code name} (after that certificate): the CA and its
     * issuers up to the root, or, while an earlier root of the same subject is valid, up to the root's last
     * non-self-signed certificate followed by the NewWithOld links instead of the self-signed root. OpenSSL takes the
     * first matching issuer it is sent, so a self-signed root of the same name would hide the link from a client
     * that trusts only the old root; a client that trusts the new one finds it in its store first.
     */
    public List<byte[]> servedChain(String name) {
        List<CertificateAuthority> chain = chain(name);
        List<byte[]> links = store.read(tx -> rollover.newWithOldLinks(tx, chain.getLast()));
        List<byte[]> out = new ArrayList<>();
        for (CertificateAuthority ca : links.isEmpty() ? chain : chain.subList(0, chain.size() - 1)) out.add(ca.certificate());
        out.addAll(links);
        return out;
    }

    /**
     * What EST {@code /cacerts} serves for a CA (RFC 7030 §4.1.3): its chain, issuing CA first and the current
     * root last, then, while an earlier root of the same subject is still valid, the link certificates
     * (NewWithOld, OldWithNew) and that earlier root (OldWithOld).
     */
    public List<byte[]> caCertificates(String name) {
        List<CertificateAuthority> chain = chain(name);
        List<byte[]> out = new ArrayList<>();
        for (CertificateAuthority ca : chain) out.add(ca.certificate());
        out.addAll(store.read(tx -> rollover.keyUpdateCertificates(tx, chain.getLast())));
        return out;
    }

    /**
     * Creates the CAs of {@code spec} that do not exist yet, parents first. Existing CAs are left alone
     * (never re-keyed or replaced: that is a rollover, not an init), so running it twice is harmless.
     */
    public List<InitOutcome> init(HierarchySpec spec, Profiles profiles, String actor) {
        validate(spec, profiles); // all of it, before anything is created
        for (CaSpec ca : spec.cas()) { // and every new CA's key in its vault: a token that cannot hold one leaves the file uncreated
            if (store.read(tx -> tx.cas().find(ca.name())).isEmpty()) {
                String refused = vaults.refusal(ca.vault(), ca.algorithm());
                if (refused != null) throw HallmarkException.badInput("CA " + ca.name() + ": " + refused + "; nothing was created");
            }
        }
        List<InitOutcome> outcomes = new ArrayList<>();
        for (CaSpec ca : spec.cas()) {
            var existing = store.inTransaction(tx -> tx.cas().find(ca.name()));
            if (existing.isPresent()) {
                outcomes.add(new InitOutcome(ca.name(), false, note(existing.get(), ca, this::parentNotAfter)));
            } else {
                create(ca, actor);
                outcomes.add(new InitOutcome(ca.name(), true, null));
            }
        }
        return outcomes;
    }

    /** Checks a whole hierarchy file against the profiles; throws BAD_INPUT naming the first problem. */
    public static void validate(HierarchySpec spec, Profiles profiles) {
        for (CaSpec ca : spec.cas()) {
            parseName(ca.subject(), ca.name());
            for (String p : ca.profiles()) {
                Profile profile = endEntityProfile(ca, p, profiles);
                if (profile.validity().forever() && !foreverChain(spec, ca)) {
                    throw HallmarkException.badInput("CA " + ca.name() + " issues " + p + " certificates, which never expire (IEEE 802.1AR), so "
                            + ca.name() + " and every CA above it need 'validity: forever'");
                }
            }
        }
    }

    private static Profile endEntityProfile(CaSpec ca, String name, Profiles profiles) {
        Profile profile = profiles.get(name);
        if (profile.kind().isCa()) {
            throw HallmarkException.badInput("CA " + ca.name() + " lists CA profile '" + name + "'; list end-entity profiles only");
        }
        return profile;
    }

    /**
     * Creates one CA, a root or one under an existing CA, as {@link #init} creates a CA of a hierarchy file (Matter's PAA
     * and PAIs are made this way). A CA of that name already there is a conflict, not "left alone": the caller asked for
     * this one.
     */
    public CertificateAuthority createOne(CaSpec spec, Profiles profiles, String actor) {
        if (store.read(tx -> tx.cas().find(spec.name())).isPresent()) {
            throw HallmarkException.conflict("CA " + spec.name() + " exists already; nothing was changed");
        }
        parseName(spec.subject(), spec.name());
        if (spec.parent() != null) get(spec.parent());
        for (String p : spec.profiles()) endEntityProfile(spec, p, profiles);
        create(spec, actor);
        return get(spec.name());
    }

    private static boolean foreverChain(HierarchySpec spec, CaSpec ca) {
        for (CaSpec c = ca; c != null; ) {
            if (!c.validity().forever()) return false;
            String parent = c.parent();
            c = parent == null ? null : spec.cas().stream().filter(x -> x.name().equals(parent)).findFirst().orElse(null);
        }
        return true;
    }

    /**
     * How a CA of a hierarchy file stands against what exists, without changing anything.
     *
     * @param existing    whether a CA of that name exists
     * @param differences what differs between the existing CA and the file (empty: the same, or missing)
     */
    public record Comparison(String name, boolean existing, List<String> differences) {
    }

    /** Each CA of {@code spec} against the stored one of its name, in the file's order; nothing is created. */
    public List<Comparison> compare(HierarchySpec spec) {
        List<Comparison> out = new ArrayList<>();
        for (CaSpec ca : spec.cas()) {
            var existing = store.read(tx -> tx.cas().find(ca.name()));
            out.add(new Comparison(ca.name(), existing.isPresent(), existing.map(e -> differences(e, ca, this::parentNotAfter)).orElse(List.of())));
        }
        return out;
    }

    private Instant parentNotAfter(String parent) {
        return parent == null ? null : store.read(tx -> tx.cas().find(parent)).map(p -> p.holder().getNotAfter().toInstant()).orElse(null);
    }

    /**
     * Everything a hierarchy file says about a CA that the signed certificate or its record can contradict:
     * subject, validity, algorithm, parent, pathLen, profiles. A file that differs is a different hierarchy (or
     * a rollover, which init never does), so each difference is named rather than "exists".
     */
    static List<String> differences(CertificateAuthority existing, CaSpec spec, java.util.function.Function<String, Instant> parentNotAfter) {
        List<String> d = new ArrayList<>();
        X509CertificateHolder cert = existing.holder();
        X500Name wanted = parseName(spec.subject(), spec.name());
        if (!wanted.equals(cert.getSubject())) d.add("subject '" + cert.getSubject() + "' (file says '" + spec.subject() + "')");
        String validity = validityDifference(cert, spec.validity(), parentNotAfter.apply(existing.parent()));
        if (validity != null) d.add(validity);
        if (existing.algorithm() != spec.algorithm()) d.add("algorithm " + existing.algorithm().id() + " (file says " + spec.algorithm().id() + ")");
        if (!java.util.Objects.equals(existing.parent(), spec.parent())) d.add("parent " + existing.parent() + " (file says " + spec.parent() + ")");
        if (!java.util.Objects.equals(existing.pathLen(), spec.pathLen())) d.add("pathLen " + existing.pathLen() + " (file says " + spec.pathLen() + ")");
        if (!existing.profiles().equals(spec.profiles())) d.add("profiles " + existing.profiles() + " (file says " + spec.profiles() + ")");
        return d;
    }

    /**
     * Null when the certificate has the validity the file asks for: forever, or notBefore plus the duration (to the
     * second, as certificates carry it), or cut to its parent's notAfter as {@link #create} cuts a longer one.
     */
    private static String validityDifference(X509CertificateHolder cert, Validity wanted, Instant parentNotAfter) {
        Instant notBefore = cert.getNotBefore().toInstant();
        Instant notAfter = cert.getNotAfter().toInstant();
        boolean forever = notAfter.equals(Validity.NO_WELL_DEFINED_EXPIRATION);
        Instant expected = wanted.notAfter(notBefore);
        boolean same = wanted.forever() ? forever
                : !forever && (Math.abs(java.time.Duration.between(expected, notAfter).toSeconds()) <= 1
                || (notAfter.equals(parentNotAfter) && expected.isAfter(notAfter)));
        if (same) return null;
        return "validity " + (forever ? "forever" : describe(java.time.Duration.between(notBefore, notAfter)) + " (until " + notAfter + ")")
                + " (file says " + (wanted.forever() ? "forever" : describe(wanted.duration())) + ")";
    }

    /** A duration as a hierarchy file writes it: 20y, 365d, 12h, 90s. */
    private static String describe(java.time.Duration d) {
        long s = d.toSeconds();
        if (s % (365L * 86400) == 0) return s / (365L * 86400) + "y";
        if (s % 86400 == 0) return s / 86400 + "d";
        if (s % 3600 == 0) return s / 3600 + "h";
        return s + "s";
    }

    private static String note(CertificateAuthority existing, CaSpec spec, java.util.function.Function<String, Instant> parentNotAfter) {
        List<String> d = differences(existing, spec, parentNotAfter);
        return d.isEmpty() ? "exists" : "exists with " + String.join(", ", d) + "; left unchanged";
    }

    private void create(CaSpec spec, String actor) {
        create(spec, vaults.generate(spec.vault(), spec.name(), spec.algorithm()), actor);
    }

    /**
     * Creates a root CA of a key made beforehand in a vault: the root key ceremony makes the key together with its
     * backup ({@link io.hallmark.core.vault.KeyBackup}), then certifies it exactly as {@link #init} would.
     */
    public CertificateAuthority createRoot(CaSpec spec, KeyHandle key, String actor) {
        if (spec.parent() != null) {
            throw HallmarkException.badInput("CA " + spec.name() + " has a parent (" + spec.parent() + "): a ceremony creates a root");
        }
        if (store.read(tx -> tx.cas().find(spec.name())).isPresent()) {
            throw HallmarkException.conflict("CA " + spec.name() + " exists already; nothing was changed");
        }
        create(spec, key, actor);
        return get(spec.name());
    }

    /**
     * Records a root CA whose certificate exists (made by a ceremony elsewhere) and whose key was just restored from its
     * backup into a vault; the key must be the certificate's, which the vault checked on restoring it.
     */
    public CertificateAuthority restoreRoot(String name, byte[] certificate, KeyHandle key, String actor, String detail) {
        X509CertificateHolder cert;
        try {
            cert = new X509CertificateHolder(certificate);
        } catch (java.io.IOException e) {
            throw HallmarkException.badInput("the root certificate is not DER X.509: " + e.getMessage());
        }
        if (!cert.getSubject().equals(cert.getIssuer())) {
            throw HallmarkException.badInput("certificate '" + cert.getSubject() + "' is not self-issued: not a root");
        }
        if (!java.util.Arrays.equals(encodedSpki(cert), key.publicKey().getEncoded())) {
            throw HallmarkException.badInput("the restored key is not the key of certificate '" + cert.getSubject() + "'");
        }
        if (store.read(tx -> tx.cas().find(name)).isPresent()) {
            throw HallmarkException.conflict("CA " + name + " exists already; nothing was restored");
        }
        var bc = org.bouncycastle.asn1.x509.BasicConstraints.fromExtensions(cert.getExtensions());
        Integer pathLen = bc == null || bc.getPathLenConstraint() == null ? null : bc.getPathLenConstraint().intValueExact();
        Instant now = clock.instant();
        var ca = new CertificateAuthority(name, null, key.algorithm(), key.ref(), certificate, pathLen, List.of(), now);
        store.run(tx -> {
            tx.cas().insert(ca);
            tx.certificates().insert(CertificateRecord.of(cert, name, Profiles.ROOT_CA.name(), null, now));
            tx.audit().append(actor, AuditEvent.of("ca.restore", name, "algorithm", key.algorithm().id(), "key", key.ref(),
                    "serial", io.hallmark.core.crypto.Serials.hex(cert.getSerialNumber()), "subject", cert.getSubject().toString(),
                    "from", detail), now);
        });
        return get(name);
    }

    private static byte[] encodedSpki(X509CertificateHolder cert) {
        try {
            return cert.getSubjectPublicKeyInfo().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void create(CaSpec spec, KeyHandle key, String actor) {
        X500Name subject = parseName(spec.subject(), spec.name());
        CertificateAuthority parent = spec.parent() == null ? null : get(spec.parent());
        X509CertificateHolder parentCert = parent == null ? null : parent.holder();
        KeyHandle signer = parent == null ? key : vaults.open(parent.keyRef());

        Instant now = clock.instant();
        Instant notAfter = spec.validity().notAfter(now);
        if (parentCert != null && notAfter.isAfter(parentCert.getNotAfter().toInstant())) {
            notAfter = parentCert.getNotAfter().toInstant(); // a CA cannot usefully outlive its issuer
        }
        Profile profile = parent == null ? Profiles.ROOT_CA : Profiles.ISSUING_CA;
        var template = new CertificateTemplate(subject, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded()),
                now, notAfter, profile, spec.pathLen(), List.of());
        X509CertificateHolder cert = CertificateAssembler.sign(template, parentCert, signer);
        byte[] der = encoded(cert);
        var ca = new CertificateAuthority(spec.name(), spec.parent(), spec.algorithm(), key.ref(), der, spec.pathLen(), spec.profiles(), now);
        store.run(tx -> {
            tx.cas().insert(ca);
            tx.certificates().insert(CertificateRecord.of(cert, parent == null ? spec.name() : parent.name(), profile.name(), null, now));
            tx.audit().append(actor, AuditEvent.of("ca.create", spec.name(),
                    "parent", spec.parent(), "algorithm", spec.algorithm().id(), "key", key.ref(),
                    "serial", io.hallmark.core.crypto.Serials.hex(cert.getSerialNumber()),
                    "subject", cert.getSubject().toString(), "profiles", String.join(",", spec.profiles())), now);
        });
    }

    static X500Name parseName(String dn, String ca) {
        try {
            X500Name name = new X500Name(BCStyle.INSTANCE, dn);
            if (name.getRDNs().length == 0) throw new IllegalArgumentException("empty");
            return name;
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("CA " + ca + ": subject '" + dn + "' is not a distinguished name: " + e.getMessage());
        }
    }

    private static byte[] encoded(X509CertificateHolder cert) {
        try {
            return cert.getEncoded();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public List<CertificateAuthority> list() {
        return store.inTransaction(tx -> tx.cas().all());
    }

    public CertificateAuthority get(String name) {
        return store.inTransaction(tx -> tx.cas().find(name))
                .orElseThrow(() -> HallmarkException.notFound("no CA named '" + name + "'"));
    }

    /** The revocation of the CA's own certificate, if it was revoked ({@code hallmark ca revoke}). */
    public java.util.Optional<io.hallmark.core.store.Revocation> revocation(CertificateAuthority ca) {
        String serial = ca.serial();
        return store.read(tx -> tx.certificates().find(serial)).map(CertificateRecord::revocation);
    }

    /** The CAs below {@code name}, at any depth, parents before children. */
    public List<CertificateAuthority> descendants(String name) {
        List<CertificateAuthority> all = list();
        List<CertificateAuthority> below = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>(List.of(name));
        for (boolean grew = true; grew; ) {
            grew = false;
            for (CertificateAuthority ca : all) {
                if (ca.parent() != null && names.contains(ca.parent()) && names.add(ca.name())) {
                    below.add(ca);
                    grew = true;
                }
            }
        }
        return below;
    }

    /** The CA and its ancestors, the CA first and the root last. */
    public List<CertificateAuthority> chain(String name) {
        List<CertificateAuthority> chain = new ArrayList<>();
        for (CertificateAuthority ca = get(name); ; ca = get(ca.parent())) {
            chain.add(ca);
            if (ca.isRoot()) {
                return chain;
            }
        }
    }
}

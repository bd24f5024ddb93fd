package io.hallmark.core.revoke;

import io.hallmark.core.ca.CaService;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.publication.Publishing;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CrlBase;
import io.hallmark.core.store.RevokedEntry;
import io.hallmark.core.store.Store;
import io.hallmark.core.vault.KeyVaults;
import io.hallmark.core.x509.CertificateAssembler;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CertificateHolder;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs CRLs (RFC 5280 §5) of one CA: complete, delta (§5.2.4) and partitioned (an issuing distribution
 * point naming the partition, §5.2.5). Numbers come from the store, one sequence per CA for complete and
 * delta CRLs alike, so nodes never go backwards; a complete CRL is recorded as the base for later deltas.
 * Revoked certificates past their notAfter are left out (§3.3), which bounds CRLs of renewed LDevIDs.
 * <p>
 * The CA-wide CRL and its delta carry an issuing distribution point too when the CA certifies end entities
 * only (pathLenConstraint 0) and a publication base URL is set: EMQX enforces only CRLs that have one. It
 * names the CA-wide URL and every partition's URL, since §5.2.5 has it include a name from the CRL
 * distribution point of every certificate in its scope, and the CA-wide CRL covers them all. A CA that
 * certifies CAs keeps a CA-wide CRL without it: CA certificates carry no CRL distribution point, so a named
 * scope would leave them out. {@link #generateUnscoped} signs the CA-wide CRL without one, for relying
 * parties given the file (a broker's crlfile) rather than fetching it from a distribution point.
 */
public final class CrlService {

    /**
     * A signed CRL.
     *
     * @param partition  null for the CA-wide scope
     * @param baseNumber for a delta, the complete CRL it applies to
     * @param seq        the revocation sequence number it is complete up to
     */
    public record GeneratedCrl(String ca, Integer partition, boolean delta, long number, Long baseNumber, Instant thisUpdate,
                               Instant nextUpdate, long seq, int entries, byte[] der) {

        /** The name it is published under: {@code CA.crl}, {@code CA-K.crl}, {@code CA-delta.crl}, {@code CA-K-delta.crl}. */
        public String fileName() {
            return ca + (partition == null ? "" : "-" + partition) + (delta ? "-delta" : "") + ".crl";
        }
    }

    private final Store store;
    private final CaService cas;
    private final KeyVaults vaults;
    private final PublicationSettings settings;
    private final Clock clock;

    public CrlService(Store store, CaService cas, KeyVaults vaults, PublicationSettings settings, Clock clock) {
        this.store = store;
        this.cas = cas;
        this.vaults = vaults;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param partition null for the CA-wide CRL
     * @throws HallmarkException NOT_FOUND for an unknown CA; BAD_INPUT for a partition without a publication
     *                           base URL; CONFLICT for a delta before any complete CRL of its scope
     */
    public GeneratedCrl generate(String caName, boolean delta, Integer partition) {
        return generate(caName, delta, partition, true);
    }

    /**
     * The complete CA-wide CRL without an issuing distribution point: in scope for every certificate the CA
     * signed, whatever distribution point the certificate names (none, a partition's, one under an earlier
     * base URL, a foreign one of an imported certificate), which is what a relying party configured with a
     * file needs. It takes a CRL number like any other, but is not recorded as a base for deltas and names no
     * Freshest CRL: the published deltas have the published scope, not this one.
     */
    public GeneratedCrl generateUnscoped(String caName) {
        return generate(caName, false, null, false);
    }

    private GeneratedCrl generate(String caName, boolean delta, Integer partition, boolean published) {
        CertificateAuthority ca = cas.get(caName);
        Publication pub = settings.current();
        if (partition != null) {
            if (!pub.published()) {
                throw HallmarkException.badInput("partitioned CRLs name their partition's URL: set the publication baseUrl first");
            }
            if (partition < 0 || partition >= Publication.MAX_PARTITIONS) {
                throw HallmarkException.badInput("partition must be 0 to " + (Publication.MAX_PARTITIONS - 1) + ", not " + partition);
            }
        }
        int scope = partition == null ? CrlBase.WHOLE_CA : partition;
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant nextUpdate = now.plus(delta ? pub.deltaValidityDuration() : pub.crlValidityDuration());

        record Start(long number, long seq, CrlBase base) { }
        Start start = store.inTransaction(tx -> {
            CrlBase base = null;
            if (delta) {
                base = tx.crls().base(caName, scope).orElseThrow(() -> HallmarkException.conflict("no complete CRL of "
                        + caName + (partition == null ? "" : " partition " + partition) + " has been issued yet; a delta needs one as its base"));
            }
            long number = tx.crls().nextNumber(caName);
            // Read after taking the number (its row lock is held until commit): a higher number then never
            // covers less of the revocation sequence than a lower one.
            long seq = tx.certificates().revocationSequence();
            return new Start(number, seq, base);
        });

        CrlEncoder encoder = new CrlEncoder(ca.holder().getSubject(), now, nextUpdate);
        // The store is read on a thread of its own while this one encodes: reading a million revocations and encoding
        // them take a second or so each, and overlapped they take the longer of the two. A read, which takes no write lock:
        // in a write transaction a million revocations held SQLite's one write lock for 0.6 s and every issuance waited.
        // What the CRL covers is fixed by start.seq, not by when the read began. readOnce, not read: read retries its
        // work on a broken connection, which would hand the encoder the entries read before twice.
        OverlappedRead.<RevokedEntry>run("crl-read-" + caName, 4096, 16,
                sink -> store.readOnce(tx -> {
                    tx.certificates().eachRevoked(caName, partition, delta ? start.base().maxSeq() : -1, start.seq(), now, sink);
                    return null;
                }),
                e -> encoder.add(e.serial(), e.revocation().revokedAt(), e.revocation().reason(), e.revocation().invalidityDate()));

        byte[] der = encoder.sign(vaults.open(ca.keyRef()).signer(),
                extensions(ca, published ? pub : Publication.NONE, partition, start.number(), delta ? start.base() : null));
        if (published) {
            store.run(tx -> {
                if (!delta) tx.crls().saveBase(new CrlBase(caName, scope, start.number(), start.seq(), now));
                tx.events().append(io.hallmark.core.store.Event.of(now, io.hallmark.core.store.EventType.CRL, null, caName,
                        (delta ? "delta " : "complete ") + "CRL " + start.number() + (partition == null ? "" : " partition " + partition)
                                + ", " + encoder.size() + " entries, next update " + nextUpdate));
            });
        }
        return new GeneratedCrl(caName, partition, delta, start.number(), delta ? start.base().number() : null, now, nextUpdate,
                start.seq(), encoder.size(), der);
    }

    private static Extensions extensions(CertificateAuthority ca, Publication pub, Integer partition, long number, CrlBase base) {
        X509CertificateHolder caCert = ca.holder();
        List<Extension> exts = new ArrayList<>();
        exts.add(ext(Extension.authorityKeyIdentifier, false,
                new AuthorityKeyIdentifier(CertificateAssembler.keyIdentifier(caCert.getSubjectPublicKeyInfo()).getKeyIdentifier())));
        exts.add(ext(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number))));
        if (base != null) {
            exts.add(ext(Extension.deltaCRLIndicator, true, new CRLNumber(BigInteger.valueOf(base.number()))));
        }
        if (partition != null) {
            // Critical (§5.2.5): a relying party that cannot match the scope must not take it for a complete CRL.
            exts.add(ext(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(
                    new DistributionPointName(Publishing.uris(pub.crlUrl(ca.name(), partition))), true, false, null, false, false)));
        } else if (pub.published() && endEntitiesOnly(ca)) {
            // The same extension on the complete CRL and its deltas: a delta applies only to a base of the same scope.
            exts.add(ext(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(
                    new DistributionPointName(caWideNames(ca.name(), pub)), true, false, null, false, false)));
        }
        if (pub.published()) {
            if (base == null) {
                exts.add(ext(Extension.freshestCRL, false, new CRLDistPoint(new DistributionPoint[]{
                        new DistributionPoint(new DistributionPointName(Publishing.uris(pub.deltaUrl(ca.name(), partition))), null, null)})));
            }
            exts.add(ext(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(new AccessDescription(
                    AccessDescription.id_ad_caIssuers, new GeneralName(GeneralName.uniformResourceIdentifier, pub.caIssuersUrl(ca.name()))))));
        }
        return new Extensions(exts.toArray(Extension[]::new));
    }

    /**
     * A CA whose certificate forbids it to certify CAs (pathLenConstraint 0) signs end-entity certificates only,
     * which is when §5.2.5 has onlyContainsUserCerts set; those are the certificates that carry a CRL
     * distribution point.
     */
    private static boolean endEntitiesOnly(CertificateAuthority ca) {
        return ca.pathLen() != null && ca.pathLen() == 0;
    }

    /**
     * The CA-wide URL and each partition's: §5.2.5 wants a name from the CRL distribution point of every
     * certificate in scope, encoded as the certificates have it ({@link Publishing#uris}). About 45 bytes per
     * partition.
     */
    private static GeneralNames caWideNames(String ca, Publication pub) {
        int partitions = pub.partitionsOf(ca);
        List<GeneralName> names = new ArrayList<>(partitions + 1);
        names.add(Publishing.uris(pub.crlUrl(ca, null)).getNames()[0]);
        for (int k = 0; partitions > 1 && k < partitions; k++) {
            names.add(Publishing.uris(pub.crlUrl(ca, k)).getNames()[0]);
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static Extension ext(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical, org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            return new Extension(oid, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

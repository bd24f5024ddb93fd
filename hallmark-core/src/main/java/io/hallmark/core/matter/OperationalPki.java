package io.hallmark.core.matter;

import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.issue.Issuer;
import io.hallmark.core.profile.EndEntityBasicConstraints;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.ProfileKind;
import io.hallmark.core.profile.Profiles;
import io.hallmark.core.profile.SubjectTemplate;
import io.hallmark.core.profile.TemplateAttribute;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.store.CertificateAuthority;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A Matter fabric's operational PKI on Hallmark's CAs and pipeline (Matter Core Specification §6.5): a root (RCAC,
 * named after the fabric), optionally an intermediate (ICAC, {@code NAME-icac}), and NOCs under the lower of the two,
 * through the NOC profile {@code noc-NAME}. The commissioner names the node: a NOC's subject is the node id, the
 * fabric id and up to three CASE Authenticated Tags it asks for, never the device CSR's subject, which Matter leaves
 * meaningless; the CSR gives the key and proves its possession.
 */
public final class OperationalPki {

    private static final String NOC_PREFIX = "noc-";
    private static final String ICAC_SUFFIX = "-icac";
    private static final String HEX16 = "[0-9A-F]{16}";

    private final CaService cas;
    private final Issuer issuer;
    private final Supplier<Profiles> profiles;
    private final BiConsumer<Profile, String> defineProfile;
    private final SecureRandom random = new SecureRandom();

    public OperationalPki(CaService cas, Issuer issuer, Supplier<Profiles> profiles, BiConsumer<Profile, String> defineProfile) {
        this.cas = cas;
        this.issuer = issuer;
        this.profiles = profiles;
        this.defineProfile = defineProfile;
    }

    /** What a fabric consists of: its root, its intermediate if it has one, and the CA that signs its NOCs. */
    public record Fabric(CertificateAuthority rcac, CertificateAuthority icac, long fabricId) {
        public CertificateAuthority nocIssuer() {
            return icac != null ? icac : rcac;
        }
    }

    /**
     * Creates the fabric's RCAC (matter-rcac-id random, matter-fabric-id), with {@code intermediate} an ICAC under it
     * (matter-icac-id random, the same fabric id), and the NOC profile for the lower one.
     *
     * @param revocationPointers whether NOCs carry the CRL distribution point and OCSP URL (they are revocable either way)
     */
    public Fabric createFabric(String name, long fabricId, boolean intermediate, Validity caValidity, Validity nocValidity,
                               boolean revocationPointers, String actor) {
        String profileName = NOC_PREFIX + name;
        if (!profileName.matches("[a-z0-9][a-z0-9-]{0,31}") || (name + ICAC_SUFFIX).length() > 48) {
            throw HallmarkException.badInput("fabric name '" + name + "' is too long for its NOC profile '" + profileName + "' (at most 28 characters)");
        }
        String fabric = MatterOids.FABRIC_ID.getId() + "=" + FabricIds.hex64(fabricId);
        String icacName = name + ICAC_SUFFIX;
        defineProfile.accept(nocProfile(profileName, fabricId, nocValidity, revocationPointers), actor);
        cas.createOne(new CaSpec(name, null, MatterOids.RCAC_ID.getId() + "=" + FabricIds.hex64(randomId()) + "," + fabric,
                KeyAlgorithm.EC_P256, caValidity, intermediate ? 1 : 0, intermediate ? List.of() : List.of(profileName), null), profiles.get(), actor);
        if (intermediate) {
            cas.createOne(new CaSpec(icacName, name, MatterOids.ICAC_ID.getId() + "=" + FabricIds.hex64(randomId()) + "," + fabric,
                    KeyAlgorithm.EC_P256, caValidity, 0, List.of(profileName), null), profiles.get(), actor);
        }
        return fabric(name);
    }

    /** The fabric {@code name}: its RCAC, its ICAC if there is one, and the fabric id its root carries. */
    public Fabric fabric(String name) {
        CertificateAuthority rcac = cas.get(name);
        long fabricId = AttestationPki.attribute(rcac.holder().getSubject(), MatterOids.FABRIC_ID)
                .map(FabricIds::fabricId)
                .orElseThrow(() -> HallmarkException.badInput("CA " + name + " carries no matter-fabric-id: it is not a fabric root (make one with "
                        + "'hallmark matter fabric create')"));
        Optional<CertificateAuthority> icac = cas.list().stream().filter(ca -> ca.name().equals(name + ICAC_SUFFIX)).findFirst();
        return new Fabric(rcac, icac.orElse(null), fabricId);
    }

    /**
     * The NOC profile, as data: P-256/ecdsa-with-SHA256; a closed subject of exactly one matter-node-id (16 upper-case hex
     * digits), the fabric's matter-fabric-id (fixed) and up to three matter-noc-cat (8 digits); basicConstraints cA FALSE
     * and keyUsage digitalSignature, both critical; extendedKeyUsage clientAuth and serverAuth, critical (§6.5.11).
     */
    public static Profile nocProfile(String name, long fabricId, Validity validity, boolean revocationPointers) {
        var node = new TemplateAttribute(MatterOids.NODE_ID.getId(), TemplateAttribute.Presence.required, null, "utf8", 16, 16, HEX16, null);
        var fabric = new TemplateAttribute(MatterOids.FABRIC_ID.getId(), TemplateAttribute.Presence.fixed, FabricIds.hex64(fabricId), "utf8", 16, 16,
                HEX16, null);
        var cat = new TemplateAttribute(MatterOids.NOC_CAT.getId(), TemplateAttribute.Presence.optional, null, "utf8", 8, 8, "[0-9A-F]{8}",
                FabricIds.MAX_CATS);
        return new Profile(name, ProfileKind.END_ENTITY, validity, List.of("digitalSignature"), List.of("clientAuth", "serverAuth"), false, false,
                Profile.Presence.forbidden, AttestationPki.MATTER_KEYS, new SubjectTemplate(List.of(node, fabric, cat), true), null,
                new EndEntityBasicConstraints(true, true), List.of(), List.of("extendedKeyUsage"), revocationPointers,
                AttestationPki.MAX_DER_BYTES, AttestationPki.MATTER_SERIAL_BITS);
    }

    /** Issues a NOC for {@code nodeId} on the fabric, with the CATs given, for the key of {@code csr}. */
    public IssuedCertificate issueNoc(String fabricName, long nodeId, List<Integer> cats, byte[] csr, String actor) {
        Fabric fabric = fabric(fabricName);
        FabricIds.nodeId(FabricIds.hex64(nodeId)); // the range, whoever called
        if (cats.size() > FabricIds.MAX_CATS) {
            throw HallmarkException.badInput(cats.size() + " CASE Authenticated Tags given; a NOC carries at most " + FabricIds.MAX_CATS);
        }
        X500NameBuilder subject = new X500NameBuilder()
                .addRDN(MatterOids.NODE_ID, new DERUTF8String(FabricIds.hex64(nodeId)))
                .addRDN(MatterOids.FABRIC_ID, new DERUTF8String(FabricIds.hex64(fabric.fabricId())));
        for (int cat : cats) {
            subject.addRDN(MatterOids.NOC_CAT, new DERUTF8String(FabricIds.hex32(cat)));
        }
        X500Name name = subject.build();
        return issuer.issue(new IssuanceRequest(fabric.nocIssuer().name(), NOC_PREFIX + fabricName, csr, null, null, actor, List.of(),
                io.hallmark.core.issue.Confirmation.NONE, name));
    }

    /** RCAC and ICAC ids: random, non-zero. */
    private long randomId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return id;
    }
}

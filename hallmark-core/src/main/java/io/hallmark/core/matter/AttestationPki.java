package io.hallmark.core.matter;

import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.KeyPolicy;
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
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Matter's device attestation PKI on Hallmark's CAs and pipeline: a PAA (root, optional Vendor ID), a PAI per
 * product line (Vendor ID, optional Product ID, pathLen 0) and DACs issued under it (Matter Core Specification
 * §6.2.2). Nothing here signs or records by itself: PAA and PAI are CAs made by {@link CaService}, and each PAI
 * gets a DAC profile as data ({@link #dacProfile}) that the one issuance pipeline applies to every DAC, from
 * {@code matter dac}, a factory batch or EST alike. The profile fixes the PAI's Vendor ID (and Product ID where the
 * PAI has one), so a request with another one is refused and one without gets the PAI's.
 */
public final class AttestationPki {

    /** Matter certificates: P-256 keys signed with ecdsa-with-SHA256, and nothing else (§6.2.2.1). */
    public static final KeyPolicy MATTER_KEYS = new KeyPolicy(Set.of("ec-p256"), 2048, Set.of("ecdsa-with-SHA256"));
    /** The largest DER certificate the Matter SDK takes ({@code kMaxDERCertLength}). */
    public static final int MAX_DER_BYTES = MatterLimits.MAX_DER_BYTES;
    /** Serials of 8 octets, as the SDK's own certificates have: a NOC with three CATs under an ICAC fits 600 bytes then. */
    public static final int MATTER_SERIAL_BITS = 63;
    /** Common names of PAAs and PAIs, bounded so that a PAI and the DACs naming it as issuer stay within {@link #MAX_DER_BYTES}. */
    static final int MAX_CA_COMMON_NAME = 32;
    private static final String HEX4 = "[0-9A-F]{4}";
    private static final String DAC_PREFIX = "dac-";

    private final CaService cas;
    private final Issuer issuer;
    private final Supplier<Profiles> profiles;
    private final BiConsumer<Profile, String> defineProfile;

    /**
     * @param defineProfile stores a declared profile beside the others (audited), refusing another of the same name
     */
    public AttestationPki(CaService cas, Issuer issuer, Supplier<Profiles> profiles, BiConsumer<Profile, String> defineProfile) {
        this.cas = cas;
        this.issuer = issuer;
        this.profiles = profiles;
        this.defineProfile = defineProfile;
    }

    /** A Product Attestation Authority: a self-signed P-256 root, pathLen 1, with the Vendor ID when given. */
    public CertificateAuthority createPaa(String name, String commonName, Integer vendorId, Validity validity, String actor) {
        String subject = "CN=" + rdnValue(commonName) + (vendorId == null ? "" : "," + MatterOids.VENDOR_ID.getId() + "=" + MatterId.hex16(vendorId));
        create(new CaSpec(name, null, subject, KeyAlgorithm.EC_P256, validity, 1, List.of(), null), actor);
        return cas.get(name);
    }

    /**
     * A Product Attestation Intermediate under {@code paa}, and its DAC profile {@code dac-NAME}. A PAA with a Vendor ID
     * only certifies PAIs of that vendor (§6.2.2.3).
     */
    public CertificateAuthority createPai(String name, String paa, int vendorId, Integer productId, String commonName, Validity validity, String actor) {
        CertificateAuthority parent = cas.get(paa);
        if (parent.parent() != null) {
            throw HallmarkException.badInput("CA " + paa + " is not a root: a PAI is certified by a PAA (a root CA)");
        }
        Optional<Integer> paaVendor = attribute(parent.holder().getSubject(), MatterOids.VENDOR_ID).map(v -> MatterId.parse16(v, "the PAA's Vendor ID"));
        if (paaVendor.isPresent() && paaVendor.get() != vendorId) {
            throw HallmarkException.badInput("PAA " + paa + " carries Vendor ID " + MatterId.hex16(paaVendor.get()) + ", so it cannot certify a PAI of Vendor ID "
                    + MatterId.hex16(vendorId) + " (Matter Core Specification 6.2.2.3)");
        }
        String profileName = DAC_PREFIX + name;
        if (!profileName.matches("[a-z0-9][a-z0-9-]{0,31}")) {
            throw HallmarkException.badInput("PAI name '" + name + "' is too long for its DAC profile '" + profileName + "' (at most 28 characters)");
        }
        String subject = "CN=" + rdnValue(commonName) + "," + MatterOids.VENDOR_ID.getId() + "=" + MatterId.hex16(vendorId)
                + (productId == null ? "" : "," + MatterOids.PRODUCT_ID.getId() + "=" + MatterId.hex16(productId));
        Profile dac = dacProfile(profileName, vendorId, productId, validity);
        defineProfile.accept(dac, actor);
        create(new CaSpec(name, paa, subject, KeyAlgorithm.EC_P256, validity, 0, List.of(profileName), null), actor);
        return cas.get(name);
    }

    /**
     * The DAC profile of a PAI, as data: P-256 and ecdsa-with-SHA256 only; basicConstraints cA FALSE, critical;
     * keyUsage digitalSignature only, critical; no extendedKeyUsage; the Vendor ID fixed to the PAI's, the Product ID
     * fixed to the PAI's or required as four upper-case hex digits; a device serial number, one DAC per device. No CRL
     * or OCSP pointers: a Matter verifier takes at most 600 bytes of DER, which a DAC with both does not fit in (a
     * revoked DAC is still listed in the PAI's CRL and answered for by OCSP).
     */
    public static Profile dacProfile(String name, int vendorId, Integer productId, Validity validity) {
        var vid = new TemplateAttribute(MatterOids.VENDOR_ID.getId(), TemplateAttribute.Presence.fixed, MatterId.hex16(vendorId), "utf8", 4, 4, HEX4, null);
        var pid = productId == null
                ? new TemplateAttribute(MatterOids.PRODUCT_ID.getId(), TemplateAttribute.Presence.required, null, "utf8", 4, 4, HEX4, null)
                : new TemplateAttribute(MatterOids.PRODUCT_ID.getId(), TemplateAttribute.Presence.fixed, MatterId.hex16(productId), "utf8", 4, 4, HEX4, null);
        return new Profile(name, ProfileKind.END_ENTITY, validity, List.of("digitalSignature"), List.of(), true, true, Profile.Presence.forbidden,
                MATTER_KEYS, new SubjectTemplate(List.of(vid, pid), false), null, new EndEntityBasicConstraints(true, true), List.of(), List.of(), false, MAX_DER_BYTES,
                MATTER_SERIAL_BITS);
    }

    /**
     * Issues a DAC under {@code pai} through the pipeline, after checking what the operator asked for against the
     * PAI: the Vendor ID must be the PAI's, the Product ID the PAI's where it has one.
     */
    public IssuedCertificate issueDac(String pai, byte[] csr, int vendorId, int productId, String serialNumber, String actor) {
        CertificateAuthority ca = cas.get(pai);
        X500Name paiSubject = ca.holder().getSubject();
        int paiVendor = attribute(paiSubject, MatterOids.VENDOR_ID).map(v -> MatterId.parse16(v, "the PAI's Vendor ID"))
                .orElseThrow(() -> HallmarkException.badInput("CA " + pai + " carries no Matter Vendor ID: it is not a PAI (make one with 'hallmark matter pai')"));
        if (paiVendor != vendorId) {
            throw HallmarkException.badInput("Vendor ID " + MatterId.hex16(vendorId) + " is not PAI " + pai + "'s (" + MatterId.hex16(paiVendor)
                    + "): a DAC carries its PAI's Vendor ID (Matter Core Specification 6.2.2.2); nothing was issued");
        }
        Optional<Integer> paiProduct = attribute(paiSubject, MatterOids.PRODUCT_ID).map(v -> MatterId.parse16(v, "the PAI's Product ID"));
        if (paiProduct.isPresent() && paiProduct.get() != productId) {
            throw HallmarkException.badInput("Product ID " + MatterId.hex16(productId) + " is not PAI " + pai + "'s (" + MatterId.hex16(paiProduct.get())
                    + "): a PAI with a Product ID certifies DACs of that product only; nothing was issued");
        }
        String profile = DAC_PREFIX + pai;
        Profile dac = profiles.get().get(profile); // a PAI made elsewhere has no DAC profile: say so before reading the CSR
        if (paiProduct.isEmpty()) {
            requireInCsr(csr, productId, dac);
        }
        return issuer.issue(new IssuanceRequest(pai, profile, csr, serialNumber, null, actor));
    }

    /** Without a Product ID on the PAI, the DAC's comes from the device's CSR: it must be the one asked for. */
    private static void requireInCsr(byte[] csr, int productId, Profile profile) {
        X500Name subject = io.hallmark.core.issue.CheckedCsr.check(csr, profile).subject();
        Optional<String> inCsr = attribute(subject, MatterOids.PRODUCT_ID);
        if (inCsr.isEmpty() || !inCsr.get().equals(MatterId.hex16(productId))) {
            throw HallmarkException.badInput("the CSR's subject must carry Product ID " + MatterId.hex16(productId) + " (attribute "
                    + MatterOids.PRODUCT_ID.getId() + ", UTF8String), since the PAI fixes none (profile " + profile.name() + "); nothing was issued");
        }
    }

    private void create(CaSpec spec, String actor) {
        cas.createOne(spec, profiles.get(), actor);
    }

    /** The single value of a Matter attribute in {@code name}, if present. */
    static Optional<String> attribute(X500Name name, ASN1ObjectIdentifier type) {
        for (RDN rdn : name.getRDNs(type)) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(type) && atv.getValue() instanceof ASN1String s) return Optional.of(s.getString());
            }
        }
        return Optional.empty();
    }

    /** A common name as one RFC 4514 attribute value: the characters that would end or split it are escaped. */
    private static String rdnValue(String text) {
        if (text == null || text.isBlank()) throw HallmarkException.badInput("a Matter CA needs a common name");
        if (text.length() > MAX_CA_COMMON_NAME) {
            throw HallmarkException.badInput("a Matter CA's common name is at most " + MAX_CA_COMMON_NAME + " characters (it is every DAC's issuer name,"
                    + " and a DAC must fit in " + MAX_DER_BYTES + " bytes)");
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean edge = (i == 0 && (c == '#' || c == ' ')) || (i == text.length() - 1 && c == ' ');
            if (edge || ",+\"\\<>;=".indexOf(c) >= 0) out.append('\\');
            out.append(c);
        }
        return out.toString();
    }
}

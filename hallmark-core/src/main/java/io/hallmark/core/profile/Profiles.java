package io.hallmark.core.profile;

import io.hallmark.core.crypto.KeyPolicy;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile.Presence;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The profiles an installation knows: the built-ins, overridden or extended by the hierarchy file. */
public final class Profiles {

    /** Self-signed trust anchor. Validity comes from the hierarchy. */
    public static final Profile ROOT_CA = new Profile("root-ca", ProfileKind.ROOT_CA, Validity.FOREVER,
            List.of("keyCertSign", "cRLSign"), List.of(), false, false, Presence.forbidden, KeyPolicy.DEFAULT);

    public static final Profile ISSUING_CA = new Profile("issuing-ca", ProfileKind.ISSUING_CA, Validity.FOREVER,
            List.of("keyCertSign", "cRLSign"), List.of(), false, false, Presence.forbidden, KeyPolicy.DEFAULT);

    /**
     * IEEE 802.1AR §8 IDevID: lives as long as the device, names it by serialNumber, may carry the
     * RFC 4108 hardwareModuleName, no EKU (any purpose) and no CA bit.
     */
    public static final Profile IDEVID = new Profile("idevid", ProfileKind.END_ENTITY, Validity.FOREVER,
            List.of("digitalSignature"), List.of(), true, true, Presence.optional, KeyPolicy.DEFAULT);

    /** IEEE 802.1AR LDevID: operator-chosen subject, renewed, for TLS client authentication. */
    public static final Profile LDEVID = new Profile("ldevid", ProfileKind.END_ENTITY, Validity.parse("365d"),
            List.of("digitalSignature"), List.of("clientAuth"), false, false, Presence.optional, KeyPolicy.DEFAULT);

    /**
     * Operators and factory stations authenticating to Hallmark itself. Issued by a CA of its own, so
     * that a broker trusting the device CAs never trusts a station's or an operator's certificate.
     */
    public static final Profile CLIENT = new Profile("client", ProfileKind.END_ENTITY, Validity.parse("365d"),
            List.of("digitalSignature"), List.of("clientAuth"), false, false, Presence.forbidden, KeyPolicy.DEFAULT);

    /** Hallmark's own TLS server certificate. */
    public static final Profile SERVER = new Profile("server", ProfileKind.END_ENTITY, Validity.parse("90d"),
            List.of("digitalSignature"), List.of("serverAuth"), false, false, Presence.forbidden, KeyPolicy.DEFAULT);

    /**
     * Delegated OCSP responder (RFC 6960 §4.2.2.2): issued by the CA whose certificates it answers for, with
     * id-kp-OCSPSigning, short-lived and rotated, carrying id-pkix-ocsp-nocheck. Hallmark issues these itself.
     */
    public static final Profile OCSP_RESPONDER = new Profile("ocsp-responder", ProfileKind.END_ENTITY, Validity.parse("7d"),
            List.of("digitalSignature"), List.of("OCSPSigning"), false, false, Presence.forbidden, KeyPolicy.DEFAULT);

    private final Map<String, Profile> byName = new LinkedHashMap<>();

    public Profiles(Collection<Profile> profiles) {
        for (Profile p : List.of(ROOT_CA, ISSUING_CA, IDEVID, LDEVID, CLIENT, SERVER, OCSP_RESPONDER)) {
            byName.put(p.name(), p);
        }
        for (Profile p : profiles) {
            byName.put(p.name(), p);
        }
    }

    public static Profiles builtIn() {
        return new Profiles(List.of());
    }

    public Profile get(String name) {
        Profile p = byName.get(name);
        if (p == null) {
            throw HallmarkException.badInput("unknown profile '" + name + "' (known: " + String.join(", ", byName.keySet()) + ")");
        }
        return p;
    }

    public Collection<Profile> all() {
        return byName.values();
    }
}

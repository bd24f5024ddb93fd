package io.hallmark.cli.broker;

import io.hallmark.core.Hallmark;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.revoke.CrlService.GeneratedCrl;
import io.hallmark.core.store.CertificateAuthority;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the CAs a broker trusts and signs their CRLs. By default the CAs that issue LDevIDs: a device connects to
 * its brokers with its operational identity, while its IDevID (which never expires and is meant for enrollment)
 * stays with the enrollment server; a broker that should let IDevIDs in names their CA with --ca. Each CA comes
 * with its issuers up to the root.
 */
public final class TrustBundles {

    /** The profile of the operational device identities the default bundle trusts. */
    static final String LDEVID_PROFILE = "ldevid";

    private TrustBundles() {
    }

    /** The CA names the bundle starts from: {@code named} if any, else every CA that issues LDevIDs. */
    public static List<String> chosen(Hallmark hallmark, List<String> named) {
        if (named != null && !named.isEmpty()) {
            for (String n : named) hallmark.cas().get(n); // NOT_FOUND names it
            return List.copyOf(named);
        }
        List<String> ldevid = hallmark.cas().list().stream().filter(c -> c.issues(LDEVID_PROFILE)).map(CertificateAuthority::name).toList();
        if (ldevid.isEmpty()) {
            throw HallmarkException.notFound("no CA issues " + LDEVID_PROFILE + " certificates: name the CAs devices' certificates chain to with --ca");
        }
        return ldevid;
    }

    /** The CAs of {@code names} and their issuers, each once, and a fresh unscoped CRL of each. */
    public static TrustBundle build(Hallmark hallmark, List<String> names) {
        Map<String, CertificateAuthority> cas = new LinkedHashMap<>();
        for (String name : names) {
            for (CertificateAuthority c : hallmark.cas().chain(name)) cas.putIfAbsent(c.name(), c);
        }
        List<GeneratedCrl> crls = new ArrayList<>();
        for (String name : cas.keySet()) crls.add(hallmark.crls().generateUnscoped(name));
        var pub = hallmark.publication().current();
        return new TrustBundle(List.copyOf(cas.values()), crls, pub.published() ? pub.baseUrl() : null);
    }
}

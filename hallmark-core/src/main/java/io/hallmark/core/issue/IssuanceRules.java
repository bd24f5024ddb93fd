package io.hallmark.core.issue;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.HardwareModuleClaim;
import io.hallmark.core.store.Tx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules every issuance path applies inside the transaction that records its certificates: single
 * issuance ({@code hallmark issue}, EST) and factory chunks alike, and every front end to come. Checked
 * there, not before, because only there do they see what every other node has committed:
 *
 * <ul>
 *   <li>no CA of the issuing chain has had its certificate revoked ({@code hallmark ca revoke});</li>
 *   <li>the device is not blocked (its identity, or the device itself, was revoked);</li>
 *   <li>a hardwareModuleName (IEEE 802.1AR: hwType + hwSerialNum) belongs to one device per issuing CA;</li>
 *   <li>a device's one identity of a profile is replayed for the same key only ({@link #replay}).</li>
 * </ul>
 */
public final class IssuanceRules {

    /** One certificate about to be recorded: the device it names (null: none) and its hardwareModuleName (null: none). */
    public record Candidate(String deviceId, HardwareModuleName hardwareModule) {
    }

    /**
     * What the rules decided for a list of candidates, by index: the refusal of each refused one, and the
     * hardwareModuleName claim each accepted one must record with its certificate (none where the device
     * already holds the claim).
     */
    public record Decision(Map<Integer, HallmarkException> refusals, Map<Integer, HardwareModuleClaim> claims) {

        public HallmarkException refusal(int index) {
            return refusals.get(index);
        }

        public HardwareModuleClaim claim(int index) {
            return claims.get(index);
        }
    }

    private IssuanceRules() {
    }

    /**
     * Refuses (FORBIDDEN, naming the CA and the revocation) when the certificate of the issuing CA or of any
     * CA above it is revoked: everything it would sign now chains to a certificate every verifier rejects.
     *
     * @param chain the issuing CA first, its root last
     */
    public static void requireUnrevokedChain(Tx tx, List<CertificateAuthority> chain) {
        CertificateAuthority issuing = chain.getFirst();
        for (CertificateAuthority ca : chain) {
            String serial = ca.serial();
            CertificateRecord record = tx.certificates().find(serial).orElse(null);
            if (record != null && record.revocation() != null) {
                throw HallmarkException.forbidden("CA " + issuing.name() + " may not issue: "
                        + (ca == issuing ? "its" : "the certificate of CA " + ca.name() + " above it,") + " certificate " + serial
                        + " was revoked at " + record.revocation().revokedAt() + " (" + record.revocation().reason() + ")");
            }
        }
    }

    /** Decides the device rules for every candidate at once: one query per rule, whatever the count. */
    public static Decision decide(Tx tx, String caName, List<Candidate> candidates) {
        Set<String> devices = new HashSet<>();
        List<HardwareModuleClaim> modules = new ArrayList<>();
        for (Candidate c : candidates) {
            if (c.deviceId() != null) devices.add(c.deviceId());
            HardwareModuleClaim claim = claim(caName, c);
            if (claim != null) modules.add(claim);
        }
        Set<String> blocked = devices.isEmpty() ? Set.of() : tx.devices().blocked(devices);
        Map<String, String> owners = new HashMap<>();
        if (!modules.isEmpty()) {
            for (HardwareModuleClaim held : tx.devices().hardwareModuleClaims(caName, modules)) {
                owners.put(held.module(), held.deviceId());
            }
        }
        Map<Integer, HallmarkException> refusals = new HashMap<>();
        Map<Integer, HardwareModuleClaim> claims = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (c.deviceId() != null && blocked.contains(c.deviceId())) {
                refusals.put(i, HallmarkException.forbidden("device " + c.deviceId() + " is blocked (its identity was revoked); it cannot enroll again"));
                continue;
            }
            HardwareModuleClaim claim = claim(caName, c);
            if (claim == null) continue;
            String owner = owners.get(claim.module());
            if (owner == null) {
                owners.put(claim.module(), c.deviceId()); // a later candidate of the same list sees this one's claim
                claims.put(i, claim);
            } else if (!owner.equals(c.deviceId())) {
                refusals.put(i, HallmarkException.conflict("hardwareModuleName " + claim.module() + " belongs to device " + owner
                        + " under CA " + caName + "; device " + c.deviceId() + " cannot have it too"));
            }
        }
        return new Decision(refusals, claims);
    }

    /**
     * A device that already has its one identity of a profile (IDevID) asks again: the same key gets the stored
     * certificate back (a replay, idempotent); a different key, a revoked identity or another CA is refused.
     *
     * @return the stored certificate to return
     * @throws HallmarkException CONFLICT with the reason
     */
    public static CertificateRecord replay(CertificateRecord existing, String deviceId, String profile, String keyId, String caName) {
        if (!existing.keyId().equals(keyId)) {
            throw HallmarkException.conflict("device " + deviceId + " already has an " + profile + " certificate (serial "
                    + existing.serial() + ") for a different key; re-provisioning a device is an explicit operation");
        }
        if (existing.revocation() != null) {
            throw HallmarkException.conflict("device " + deviceId + " has a revoked " + profile + " certificate (serial " + existing.serial() + ")");
        }
        if (!existing.caName().equals(caName)) {
            throw HallmarkException.conflict("device " + deviceId + " already has an " + profile + " certificate from CA " + existing.caName());
        }
        return existing;
    }

    private static HardwareModuleClaim claim(String caName, Candidate c) {
        HardwareModuleName hw = c.hardwareModule();
        return hw == null || c.deviceId() == null ? null : new HardwareModuleClaim(caName, hw.hwType().getId(), hw.hwSerialHex(), c.deviceId());
    }
}

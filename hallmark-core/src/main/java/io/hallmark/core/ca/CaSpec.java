package io.hallmark.core.ca;

import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Validity;

import java.util.List;

/**
 * One CA in a hierarchy file.
 *
 * @param parent   the CA that signs this one; absent for a self-signed root
 * @param subject  distinguished name, RFC 4514 form ({@code CN=Example Root CA,O=Example})
 * @param pathLen  pathLenConstraint; default 1 for a root, 0 for an issuing CA
 * @param profiles end-entity profiles this CA issues
 * @param vault    vault scheme for the key ({@code soft} by default; {@code pkcs11} with the HSM issue)
 */
public record CaSpec(String name, String parent, String subject, KeyAlgorithm algorithm, Validity validity,
                     Integer pathLen, List<String> profiles, String vault) {

    public CaSpec {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,47}")) {
            throw HallmarkException.badInput("CA name '" + name + "' must be lowercase letters, digits and '-'");
        }
        if (subject == null || subject.isBlank()) {
            throw HallmarkException.badInput("CA " + name + " needs a subject");
        }
        algorithm = algorithm == null ? KeyAlgorithm.EC_P256 : algorithm;
        validity = validity == null ? Validity.parse("20y") : validity;
        pathLen = pathLen != null ? pathLen : parent == null ? Integer.valueOf(1) : Integer.valueOf(0);
        profiles = List.copyOf(profiles == null ? List.of() : profiles);
    }
}

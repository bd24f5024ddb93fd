package io.hallmark.core.issue;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.profile.Profile;
import io.hallmark.core.profile.SubjectAltNamePolicy;
import io.hallmark.core.profile.SubjectAltNameType;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The subjectAltName entries of a certificate about to be issued, decided once for every path ({@code hallmark issue},
 * EST, factory batches): names the caller gives and names the CSR asks for, each of a type the profile allows,
 * then the hardwareModuleName the caller vouches for.
 */
final class SubjectAltNames {

    private SubjectAltNames() {
    }

    /**
     * @param given names the caller gives ({@code --dns}); empty for none
     * @param hw    the hardwareModuleName, already checked against the profile's field; null for none
     * @throws HallmarkException BAD_INPUT naming the profile and the type it does not take, or the one it lacks
     */
    static List<GeneralName> of(Profile profile, CheckedCsr csr, List<GeneralName> given, HardwareModuleName hw) {
        SubjectAltNamePolicy policy = profile.subjectAltNames();
        List<GeneralName> names = new ArrayList<>();
        if (policy == null) {
            // The built-ins' rule: a CSR's names are not taken; a caller's DNS names and IP addresses only for a server.
            for (GeneralName name : given) {
                if (name.getTagNo() != GeneralName.dNSName && name.getTagNo() != GeneralName.iPAddress) {
                    throw HallmarkException.badInput("only DNS names and IP addresses can be requested as subject alternative names");
                }
            }
            if (!given.isEmpty() && !profile.purposes().contains(KeyPurposeId.id_kp_serverAuth)) {
                throw HallmarkException.badInput("profile " + profile.name() + " is not for servers and takes no DNS names or IP addresses");
            }
            names.addAll(given);
        } else {
            Set<GeneralName> asked = new LinkedHashSet<>(given);
            for (GeneralName name : csr.requestedNames()) {
                if (HardwareModuleName.from(name).isEmpty()) { // the CSR's hardwareModuleName is the caller's to vouch for (hw)
                    asked.add(name);
                }
            }
            Set<SubjectAltNameType> found = new LinkedHashSet<>();
            for (GeneralName name : asked) {
                SubjectAltNameType type = SubjectAltNameType.of(name);
                if (type == null || !policy.allowed().contains(type)) {
                    throw HallmarkException.badInput("profile " + profile.name() + " does not take a " + describe(name)
                            + " subjectAltName (it takes: " + list(policy.allowed()) + ")");
                }
                String fault = type.fault(name);
                if (fault != null) {
                    throw HallmarkException.badInput("the request's subjectAltName holds " + fault);
                }
                found.add(type);
            }
            for (SubjectAltNameType t : policy.required()) {
                if (!found.contains(t)) {
                    throw HallmarkException.badInput("profile " + profile.name() + " requires a " + t
                            + " subjectAltName; ask for it in the CSR's extensionRequest");
                }
            }
            names.addAll(asked);
        }
        if (hw != null) {
            names.add(hw.toGeneralName());
        }
        return names;
    }

    private static String describe(GeneralName name) {
        SubjectAltNameType type = SubjectAltNameType.of(name);
        return type != null ? type.name() : switch (name.getTagNo()) {
            case GeneralName.otherName -> "otherName";
            case GeneralName.rfc822Name -> "rfc822Name";
            case GeneralName.directoryName -> "directoryName";
            case GeneralName.registeredID -> "registeredID";
            default -> "[" + name.getTagNo() + "]";
        };
    }

    private static String list(List<SubjectAltNameType> types) {
        return types.isEmpty() ? "none" : String.join(", ", types.stream().map(Enum::name).toList());
    }
}

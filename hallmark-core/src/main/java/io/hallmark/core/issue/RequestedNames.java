package io.hallmark.core.issue;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.x509.GeneralName;

import java.util.ArrayList;
import java.util.List;

/** subjectAltNames an operator asks for by hand ('hallmark issue --dns/--ip', the API's dns/ip fields), checked for form. */
public final class RequestedNames {

    private RequestedNames() {
    }

    /** {@code dnsField} and {@code ipField} name the option or field in the one-line refusal. */
    public static List<GeneralName> parse(List<String> dnsNames, List<String> ipAddresses, String dnsField, String ipField) {
        List<GeneralName> names = new ArrayList<>();
        for (String dns : dnsNames == null ? List.<String>of() : dnsNames) {
            if (dns == null || !dns.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*")) {
                throw HallmarkException.badInput(dnsField + " '" + dns + "' is not a DNS name");
            }
            names.add(new GeneralName(GeneralName.dNSName, dns));
        }
        for (String ip : ipAddresses == null ? List.<String>of() : ipAddresses) {
            if (ip == null || !ip.matches("[0-9.]+|[0-9A-Fa-f:]+")) throw HallmarkException.badInput(ipField + " '" + ip + "' is not an IP address");
            try {
                names.add(new GeneralName(GeneralName.iPAddress, ip));
            } catch (IllegalArgumentException e) {
                throw HallmarkException.badInput(ipField + " '" + ip + "' is not an IP address");
            }
        }
        return names;
    }
}

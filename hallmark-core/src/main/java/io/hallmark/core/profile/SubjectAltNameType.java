package io.hallmark.core.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;

import java.net.URI;
import java.util.Arrays;

/**
 * The subjectAltName types a profile may allow besides hardwareModuleName (which has its own field,
 * {@code hardwareModuleName: forbidden|optional|required}, because its value comes from the factory, not the CSR).
 */
public enum SubjectAltNameType {
    dns, ip, uri, permanentIdentifier;

    /** RFC 4043 id-on-permanentIdentifier. */
    static final ASN1ObjectIdentifier PERMANENT_IDENTIFIER = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.3");

    @JsonCreator
    public static SubjectAltNameType parse(String name) {
        if ("hardwareModuleName".equals(name)) {
            throw HallmarkException.badInput("hardwareModuleName is not a subjectAltNames type: use the profile's hardwareModuleName field (optional|required)");
        }
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                HallmarkException.badInput("unknown subjectAltName type '" + name + "' (dns, ip, uri, permanentIdentifier)"));
    }

    /** The type of {@code name}; null for one no profile can allow (hardwareModuleName, which its own field governs, or any other). */
    public static SubjectAltNameType of(GeneralName name) {
        return switch (name.getTagNo()) {
            case GeneralName.dNSName -> dns;
            case GeneralName.iPAddress -> ip;
            case GeneralName.uniformResourceIdentifier -> uri;
            case GeneralName.otherName -> PERMANENT_IDENTIFIER.equals(ASN1Sequence.getInstance(name.getName()).getObjectAt(0))
                    ? permanentIdentifier : null;
            default -> null;
        };
    }

    /** Null when {@code name}'s value is well-formed for its type, else what is wrong (never echoing the value). */
    public String fault(GeneralName name) {
        return switch (this) {
            case dns -> {
                String text = ((ASN1String) name.getName()).getString();
                // RFC 1035/5280 preferred name syntax: LDH labels of at most 63 octets, 253 in all.
                yield text.length() <= 253 && text.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
                        ? null : "a dNSName that is not a DNS name (letters, digits and '-' in labels of up to 63, RFC 5280 4.2.1.6)";
            }
            case ip -> {
                int length = ((org.bouncycastle.asn1.ASN1OctetString) name.getName()).getOctets().length;
                yield length == 4 || length == 16 ? null : "an iPAddress of " + length + " octets (4 or 16, RFC 5280 4.2.1.6)";
            }
            case uri -> {
                try {
                    URI uri = new URI(((ASN1String) name.getName()).getString());
                    yield uri.isAbsolute() && uri.getHost() != null ? null : "a URI without scheme and host (RFC 5280 4.2.1.6)";
                } catch (java.net.URISyntaxException e) {
                    yield "a URI that does not parse";
                }
            }
            case permanentIdentifier -> {
                ASN1Sequence other = ASN1Sequence.getInstance(name.getName());
                yield other.size() == 2 && other.getObjectAt(1) instanceof ASN1TaggedObject t
                        && t.getExplicitBaseObject().toASN1Primitive() instanceof ASN1Sequence ? null
                        : "a permanentIdentifier that is not a PermanentIdentifier SEQUENCE (RFC 4043)";
            }
        };
    }
}

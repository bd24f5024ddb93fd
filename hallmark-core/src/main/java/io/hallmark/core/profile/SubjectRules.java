package io.hallmark.core.profile;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hallmark.core.profile.SubjectStringType.IA5;
import static io.hallmark.core.profile.SubjectStringType.PRINTABLE;
import static io.hallmark.core.profile.SubjectStringType.UTF8;

/**
 * What a device may put in the subject it asks for: which attribute types, in which string types, how long.
 * Every CSR passes here ({@link io.hallmark.core.issue.CheckedCsr}), so {@code hallmark issue}, EST and
 * factory batches refuse the same subjects with the same words.
 *
 * <p>{@link #X520} takes the attribute types RFC 5280 §4.1.2.4 tells implementations to be prepared for, plus
 * emailAddress, domainComponent and userId, with the upper bounds of RFC 5280 Appendix A.1 (ub-common-name
 * 64 and so on). <b>Any other attribute type is refused</b>, naming its OID, rather than bounded at some
 * generic maximum: Hallmark does not know its syntax, so it could not check the value's string type or
 * repertoire, and relying parties show unknown types as hex or not at all, so an attribute nobody reads
 * is a place to hide text. A device maker that needs one will declare it in a profile; that redesign
 * gives each profile its own {@code SubjectRules} with attributes by OID, string types and bounds.
 */
public record SubjectRules(Map<ASN1ObjectIdentifier, SubjectAttribute> attributes, int maxAttributes) {

    /** A device subject has a handful of attributes; 16 bounds how much text one subject can make an operator read. */
    public static final int MAX_ATTRIBUTES = 16;

    private static final List<SubjectStringType> DIRECTORY_STRING = List.of(UTF8, PRINTABLE);
    private static final int UB_NAME = 32768;

    public static final SubjectRules X520 = of(MAX_ATTRIBUTES,
            new SubjectAttribute(BCStyle.CN, "commonName", DIRECTORY_STRING, 1, 64, "X.520"),
            new SubjectAttribute(BCStyle.SERIALNUMBER, "serialNumber", List.of(PRINTABLE), 1, 64, "X.520"),
            new SubjectAttribute(BCStyle.C, "countryName", List.of(PRINTABLE), 2, 2, "X.520"),
            new SubjectAttribute(BCStyle.O, "organizationName", DIRECTORY_STRING, 1, 64, "X.520"),
            new SubjectAttribute(BCStyle.OU, "organizationalUnitName", DIRECTORY_STRING, 1, 64, "X.520"),
            new SubjectAttribute(BCStyle.L, "localityName", DIRECTORY_STRING, 1, 128, "X.520"),
            new SubjectAttribute(BCStyle.ST, "stateOrProvinceName", DIRECTORY_STRING, 1, 128, "X.520"),
            new SubjectAttribute(BCStyle.T, "title", DIRECTORY_STRING, 1, 64, "X.520"),
            new SubjectAttribute(BCStyle.PSEUDONYM, "pseudonym", DIRECTORY_STRING, 1, 128, "X.520"),
            // X520name: ub-name in RFC 5280 (the shorter ub-*-length values there are X.400's, not X.520's).
            new SubjectAttribute(BCStyle.SURNAME, "surname", DIRECTORY_STRING, 1, UB_NAME, "X.520"),
            new SubjectAttribute(BCStyle.GIVENNAME, "givenName", DIRECTORY_STRING, 1, UB_NAME, "X.520"),
            new SubjectAttribute(BCStyle.INITIALS, "initials", DIRECTORY_STRING, 1, UB_NAME, "X.520"),
            new SubjectAttribute(BCStyle.GENERATION, "generationQualifier", DIRECTORY_STRING, 1, UB_NAME, "X.520"),
            new SubjectAttribute(BCStyle.NAME, "name", DIRECTORY_STRING, 1, UB_NAME, "X.520"),
            // X.520 gives dnQualifier no upper bound; 64 as for the other short identifiers.
            new SubjectAttribute(BCStyle.DN_QUALIFIER, "dnQualifier", List.of(PRINTABLE), 1, 64, "Hallmark"),
            new SubjectAttribute(BCStyle.EmailAddress, "emailAddress", List.of(IA5), 1, 255, "RFC 5280 (ub-emailaddress-length)"),
            // One DNS label per domainComponent (RFC 4519), and a label is at most 63 octets (RFC 1035).
            new SubjectAttribute(BCStyle.DC, "domainComponent", List.of(IA5), 1, 63, "RFC 1035"),
            new SubjectAttribute(BCStyle.UID, "userId", DIRECTORY_STRING, 1, 256, "RFC 1274 (ub-user-identifier)"));

    public SubjectRules {
        attributes = Map.copyOf(attributes);
    }

    private static SubjectRules of(int maxAttributes, SubjectAttribute... accepted) {
        Map<ASN1ObjectIdentifier, SubjectAttribute> byType = new LinkedHashMap<>();
        for (SubjectAttribute a : accepted) {
            byType.put(a.type(), a);
        }
        return new SubjectRules(byType, maxAttributes);
    }

    /** The rule for one attribute type, e.g. to check a serial number given apart from the CSR. */
    public SubjectAttribute attribute(ASN1ObjectIdentifier type) {
        SubjectAttribute a = attributes.get(type);
        if (a == null) {
            throw new IllegalArgumentException("no rule for attribute " + type.getId());
        }
        return a;
    }

    /**
     * Checks every attribute of every RDN (multi-valued ones included).
     *
     * @throws HallmarkException BAD_INPUT, one line naming the attribute and the fault, never the value itself
     */
    public void check(X500Name subject) {
        int count = 0;
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (++count > maxAttributes) {
                    throw HallmarkException.badInput("the subject has more than " + maxAttributes + " attributes");
                }
                SubjectAttribute rule = attributes.get(atv.getType());
                if (rule == null) {
                    String known = BCStyle.INSTANCE.oidToDisplayName(atv.getType());
                    throw HallmarkException.badInput("subject attribute " + (known == null ? "" : known + " ") + atv.getType().getId()
                            + " is not accepted in a device subject (accepted: "
                            + String.join(", ", attributes.values().stream().map(SubjectAttribute::name).sorted().toList()) + ")");
                }
                rule.check(atv.getValue());
            }
        }
    }
}

package io.hallmark.core.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;

import java.util.List;

/**
 * One attribute of a profile's subject template, as a hierarchy file declares it.
 *
 * @param type       an X.520 name known to {@link SubjectRules#X520} ({@code commonName}) or a dotted OID
 * @param presence   required, optional, or fixed (the subject must carry exactly {@code value})
 * @param value      for {@code fixed} only
 * @param stringType {@code printable}, {@code utf8} or {@code ia5}; for a known type it narrows the X.520
 *                   choice, for an OID it is the one accepted (default utf8)
 * @param minLength  in characters, default 1
 * @param maxLength  in characters; for a known type at most its X.520 bound (the default), for an OID required
 * @param pattern    a Java regular expression the whole value must match (a Matter Product ID: {@code [0-9A-F]{4}});
 *                   null for any value within the string type and bounds
 * @param maxCount   how many times the subject may carry it (a Matter NOC: up to three CASE Authenticated Tags); null: once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TemplateAttribute(String type, Presence presence, String value, String stringType, Integer minLength, Integer maxLength,
                                String pattern, Integer maxCount) {

    public enum Presence { required, optional, fixed }

    /** ub-name (RFC 5280 Appendix A.1): the largest bound X.520 gives a name attribute; no declared attribute may exceed it. */
    private static final int UB_NAME = 32768;

    public TemplateAttribute {
        if (type == null || type.isBlank()) {
            throw HallmarkException.badInput("a subject template attribute has no type");
        }
        presence = presence == null ? Presence.optional : presence;
        if (presence == Presence.fixed && value == null) {
            throw HallmarkException.badInput("subject attribute " + type + " is fixed but has no value");
        }
        if (presence != Presence.fixed && value != null) {
            throw HallmarkException.badInput("subject attribute " + type + " has a value but is not fixed (presence: fixed)");
        }
        rule(type, stringType, minLength, maxLength, pattern, "the profile"); // fail on a mistake when the file is read
        if (maxCount != null && (maxCount < 1 || maxCount > 16 || (maxCount > 1 && presence == Presence.fixed))) {
            throw HallmarkException.badInput("subject attribute " + type + " maxCount " + maxCount + " must be 1 to 16, and 1 for a fixed attribute");
        }
    }

    /** How many values of it a subject may carry. */
    int allowedCount() {
        return maxCount == null ? 1 : maxCount;
    }

    /** The rule this declaration makes for its attribute: the X.520 one narrowed, or a new one for an OID. */
    SubjectAttribute rule(String profile) {
        SubjectAttribute rule = rule(type, stringType, minLength, maxLength, pattern, "profile " + profile);
        if (value != null) {
            rule.check(value, rule.encodings().getFirst()); // a fixed value must itself pass the attribute's rule
        }
        return rule;
    }

    private static SubjectAttribute rule(String type, String stringType, Integer minLength, Integer maxLength, String pattern, String bound) {
        SubjectAttribute known = SubjectRules.X520.attributes().values().stream()
                .filter(a -> a.name().equals(type) || a.type().getId().equals(type)).findFirst().orElse(null);
        List<SubjectStringType> encodings;
        int max;
        ASN1ObjectIdentifier oid;
        String name;
        if (known != null) {
            oid = known.type();
            name = known.name();
            encodings = stringType == null ? known.encodings() : List.of(SubjectStringType.named(stringType));
            if (!known.encodings().containsAll(encodings)) {
                throw HallmarkException.badInput("subject attribute " + name + " cannot be a " + encodings.getFirst() + " (X.520 allows "
                        + known.encodings() + ")");
            }
            max = maxLength == null ? known.maxLength() : maxLength;
            if (max > known.maxLength()) {
                throw HallmarkException.badInput("subject attribute " + name + " maxLength " + max + " exceeds its " + known.bound() + " bound of "
                        + known.maxLength());
            }
        } else {
            if (!type.matches("[0-2](\\.(0|[1-9]\\d*))+")) {
                throw HallmarkException.badInput("subject attribute type '" + type + "' is neither a known name ("
                        + String.join(", ", SubjectRules.X520.attributes().values().stream().map(SubjectAttribute::name).sorted().toList())
                        + ") nor a dotted OID");
            }
            oid = new ASN1ObjectIdentifier(type);
            name = type;
            encodings = List.of(stringType == null ? SubjectStringType.UTF8 : SubjectStringType.named(stringType));
            if (maxLength == null) {
                throw HallmarkException.badInput("subject attribute " + type + " needs a maxLength: Hallmark knows no bound for an attribute by OID");
            }
            max = maxLength;
            if (max > UB_NAME) {
                throw HallmarkException.badInput("subject attribute " + type + " maxLength " + max + " exceeds ub-name " + UB_NAME);
            }
        }
        int min = minLength == null ? 1 : minLength;
        if (min < 1 || max < min) {
            throw HallmarkException.badInput("subject attribute " + name + " bounds " + min + ".." + max + " are not 1 <= minLength <= maxLength");
        }
        return new SubjectAttribute(oid, name, encodings, min, max, bound, form(name, pattern));
    }

    /** Compiled once per expression: the rule is rebuilt for every certificate a factory batch checks. Profiles are few. */
    private static final java.util.Map<String, java.util.regex.Pattern> FORMS = new java.util.concurrent.ConcurrentHashMap<>();

    private static java.util.regex.Pattern form(String name, String pattern) {
        if (pattern == null) return null;
        java.util.regex.Pattern compiled = FORMS.get(pattern);
        if (compiled != null) return compiled;
        try {
            compiled = java.util.regex.Pattern.compile(pattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw HallmarkException.badInput("subject attribute " + name + " pattern is not a regular expression: " + e.getDescription());
        }
        FORMS.putIfAbsent(pattern, compiled);
        return compiled;
    }
}

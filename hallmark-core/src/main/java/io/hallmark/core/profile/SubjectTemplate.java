package io.hallmark.core.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A profile's subject template: the attributes its subjects must, may or must exactly carry. Declared
 * attributes join (or narrow) {@link SubjectRules#X520}; a closed template accepts nothing else.
 *
 * @param closed true: an attribute the template does not declare is refused; false: any X.520 one is accepted too
 */
public record SubjectTemplate(List<TemplateAttribute> attributes, boolean closed) {

    public SubjectTemplate {
        attributes = List.copyOf(attributes == null ? List.of() : attributes);
        Set<String> seen = new HashSet<>();
        for (TemplateAttribute a : attributes) {
            if (!seen.add(a.rule("").type().getId())) {
                throw HallmarkException.badInput("subject attribute " + a.type() + " is declared twice");
            }
        }
    }

    /** Rules built, by template and profile name: a factory batch checks every CSR against them, and building costs more than checking. */
    private static final Map<String, Map<SubjectTemplate, SubjectRules>> BUILT = new java.util.concurrent.ConcurrentHashMap<>();

    /** The rules a CSR's subject passes for {@code profile}: X.520's (or, closed, none of them) plus the declared ones. */
    @JsonIgnore
    SubjectRules rules(String profile) {
        // Keyed by the template's value: a profile reloaded from the store after a change is an equal template
        // (the same rules) or a different one (new rules), never a stale answer. Profiles are few, so this stays small.
        return BUILT.computeIfAbsent(profile, p -> new java.util.concurrent.ConcurrentHashMap<>()).computeIfAbsent(this, t -> t.build(profile));
    }

    private SubjectRules build(String profile) {
        Map<ASN1ObjectIdentifier, SubjectAttribute> byType = new LinkedHashMap<>(closed ? Map.of() : SubjectRules.X520.attributes());
        for (TemplateAttribute a : attributes) {
            SubjectAttribute rule = a.rule(profile);
            byType.put(rule.type(), rule);
        }
        return new SubjectRules(byType, SubjectRules.MAX_ATTRIBUTES);
    }

    /** Declared OIDs a subject must carry, so that a closed template can say what it lacks. */
    boolean declares(ASN1ObjectIdentifier type) {
        return attributes.stream().anyMatch(a -> a.rule("").type().equals(type));
    }

    /**
     * The subject with every fixed attribute it lacks appended, each as the first string type its rule accepts:
     * the CA, not the device, sets what the profile fixes (a Matter DAC's Vendor and Product IDs, an
     * organisation), as the device serial number is added. A fixed attribute the subject carries is left for
     * {@link #violations} to compare, so a request asking for another value is refused, never overwritten.
     */
    X500Name completed(X500Name subject, String profile) {
        List<TemplateAttribute> missing = attributes.stream()
                .filter(a -> a.presence() == TemplateAttribute.Presence.fixed)
                .filter(a -> subject.getRDNs(a.rule(profile).type()).length == 0)
                .toList();
        if (missing.isEmpty()) return subject;
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (RDN rdn : subject.getRDNs()) {
            builder.addMultiValuedRDN(rdn.getTypesAndValues());
        }
        for (TemplateAttribute a : missing) {
            SubjectAttribute rule = a.rule(profile);
            builder.addRDN(new AttributeTypeAndValue(rule.type(), rule.encodings().getFirst().encode(a.value())));
        }
        return builder.build();
    }

    /**
     * What the subject lacks or carries wrongly for this template: a required or fixed attribute missing or
     * repeated, a fixed one with another value. Attribute types and bounds are {@link #rules}' part.
     */
    List<String> violations(X500Name subject, String profile) {
        Map<ASN1ObjectIdentifier, List<String>> values = new HashMap<>();
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                values.computeIfAbsent(atv.getType(), k -> new ArrayList<>())
                        .add(atv.getValue() instanceof ASN1String s ? s.getString() : null);
            }
        }
        List<String> v = new ArrayList<>();
        for (TemplateAttribute a : attributes) {
            SubjectAttribute rule = a.rule(profile);
            List<String> found = values.getOrDefault(rule.type(), List.of());
            String label = label(rule);
            if (found.isEmpty() && a.presence() != TemplateAttribute.Presence.optional) {
                v.add("the subject lacks " + label + ", which profile " + profile + " requires");
            } else if (found.size() > a.allowedCount()) {
                v.add("the subject carries " + label + " " + found.size() + " times; profile " + profile
                        + (a.allowedCount() == 1 ? " allows it once" : " allows it at most " + a.allowedCount() + " times"));
            } else if (a.presence() == TemplateAttribute.Presence.fixed && !a.value().equals(found.getFirst())) {
                v.add("the subject's " + label + " differs from the value profile " + profile + " fixes ('" + a.value() + "')");
            }
        }
        return v;
    }

    private static String label(SubjectAttribute rule) {
        String display = BCStyle.INSTANCE.oidToDisplayName(rule.type());
        return rule.name().equals(rule.type().getId()) ? "attribute " + rule.name() : rule.name() + (display == null ? "" : " (" + rule.type().getId() + ")");
    }
}

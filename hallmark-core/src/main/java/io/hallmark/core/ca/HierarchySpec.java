package io.hallmark.core.ca;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profile;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CA hierarchy file: the CAs to create, parents before children, and optional profile definitions
 * that add to or override the built-in ones.
 */
public record HierarchySpec(List<CaSpec> cas, List<Profile> profiles) {

    public static final String DEFAULT_RESOURCE = "/io/hallmark/core/ca/default-hierarchy.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public HierarchySpec {
        cas = List.copyOf(cas == null ? List.of() : cas);
        profiles = List.copyOf(profiles == null ? List.of() : profiles);
        Set<String> seen = new HashSet<>();
        for (CaSpec ca : cas) {
            if (ca.parent() != null && !seen.contains(ca.parent())) {
                throw HallmarkException.badInput("CA " + ca.name() + " names parent '" + ca.parent() + "', which is not defined before it");
            }
            if (!seen.add(ca.name())) {
                throw HallmarkException.badInput("CA " + ca.name() + " is defined twice");
            }
        }
        if (cas.isEmpty()) {
            throw HallmarkException.badInput("the hierarchy defines no CA");
        }
    }

    public static HierarchySpec parse(InputStream yaml, String source) {
        try {
            return YAML.readValue(yaml, HierarchySpec.class);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof HallmarkException h) {
                throw HallmarkException.badInput(source + ": " + h.getMessage());
            }
            throw HallmarkException.badInput(source + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw HallmarkException.badInput(source + " is not a valid hierarchy file: " + message);
        }
    }

    public static HierarchySpec defaults() {
        try (InputStream in = HierarchySpec.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            return parse(in, "default hierarchy");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

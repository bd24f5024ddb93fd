package io.hallmark.core.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.hallmark.core.error.HallmarkException;

import java.util.Locale;

/** What a certificate is for, which fixes its basic constraints and key usage family. */
public enum ProfileKind {
    ROOT_CA, ISSUING_CA, END_ENTITY;

    public boolean isCa() {
        return this != END_ENTITY;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static ProfileKind parse(String id) {
        for (ProfileKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw HallmarkException.badInput("unknown profile kind '" + id + "' (root-ca, issuing-ca, end-entity)");
    }
}

package io.hallmark.core.principal;

import io.hallmark.core.error.HallmarkException;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a caller of the REST API may do. Checked on every route. */
public enum Role {
    /** Everything, including creating credentials. */
    ADMIN(EnumSet.allOf(Permission.class)),
    /** Day-to-day operations: read, issue, revoke; also NOCs for Matter fabrics. */
    OPERATOR(EnumSet.of(Permission.READ, Permission.ISSUE, Permission.REVOKE, Permission.COMMISSION, Permission.METRICS)),
    /** Read-only, including the audit log. */
    AUDITOR(EnumSet.of(Permission.READ, Permission.AUDIT, Permission.METRICS)),
    /** A factory station: provisioning only, within its own limits. */
    STATION(EnumSet.of(Permission.FACTORY)),
    /** A Matter commissioner: NOCs on the fabrics of this installation, nothing else (no reading, no revoking). */
    COMMISSIONER(EnumSet.of(Permission.COMMISSION)),
    /**
     * Monitoring: a backend reporting devices' authentications (a broker plugin, a cloud rule) and Prometheus
     * scraping /metrics when it asks for a token. Reads no certificate, device or audit entry: its token sits in a
     * broker's or Prometheus's configuration, so it may do no more than that.
     */
    INGEST(EnumSet.of(Permission.INGEST, Permission.METRICS));

    public enum Permission { READ, ISSUE, REVOKE, AUDIT, FACTORY, ADMINISTER, COMMISSION, INGEST, METRICS }

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public boolean may(Permission p) {
        return permissions.contains(p);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.id().equals(text.toLowerCase(Locale.ROOT))) return r;
        }
        throw HallmarkException.badInput("unknown role '" + text + "' (admin, operator, auditor, station, commissioner, ingest)");
    }
}

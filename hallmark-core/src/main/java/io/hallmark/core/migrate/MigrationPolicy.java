package io.hallmark.core.migrate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hallmark.core.store.MigrationPolicyRecord;

import java.time.Duration;
import java.time.Instant;

/**
 * "At the next (re-)enrollment, devices of {@code group} move to keys of {@code toAlgorithm}, certified by {@code toCa}."
 * A CSR with that key is issued under the target CA (and profile); any other key is refused with the reason, or, until
 * {@code createdAt + grace}, issued as before. The algorithm is kept by name ({@code KeyAlgorithm} ids), so policies
 * for algorithms Hallmark learns later need no change here.
 *
 * @param toProfile null: the profile of the route the request arrives on
 */
public record MigrationPolicy(long id, @JsonIgnore DeviceGroup group, String toCa, String toProfile, String toAlgorithm,
                              @JsonIgnore Duration grace, Instant createdAt, String actor) {

    public MigrationPolicy {
        grace = grace == null ? Duration.ZERO : grace;
    }

    static MigrationPolicy of(MigrationPolicyRecord r) {
        return new MigrationPolicy(r.id(), DeviceGroup.of(r.groupKind(), r.groupValue()), r.toCa(), r.toProfile(), r.toAlgorithm(),
                Duration.ofSeconds(r.graceSeconds()), r.createdAt(), r.actor());
    }

    /** Until when a key of another algorithm is still issued as before. */
    @JsonProperty("graceUntil")
    public Instant graceUntil() {
        return createdAt.plus(grace);
    }

    public boolean inGrace(Instant now) {
        return now.isBefore(graceUntil());
    }

    /** The profile a migrated certificate is issued under, for a request routed to {@code routeProfile}. */
    public String targetProfile(String routeProfile) {
        return toProfile != null ? toProfile : routeProfile;
    }

    @JsonProperty("group")
    public String groupKind() {
        return group.kind();
    }

    @JsonProperty("members")
    public Object groupMembers() {
        return group instanceof DeviceGroup.Devices d ? d.ids() : group.value();
    }

    @JsonProperty("graceSeconds")
    public long graceSeconds() {
        return grace.toSeconds();
    }
}

package io.hallmark.core.store;

import java.time.Duration;
import java.util.Optional;

/**
 * Leases shared by the nodes of one database: at most one holder per name at a time. Expiry is measured by the
 * database's clock, so nodes whose clocks disagree still agree on who holds a lease.
 */
public interface LeaseRepository {

    /**
     * Takes or renews {@code name} for {@code ttl} from now, in one conditional statement: it succeeds when the lease is
     * free, already {@code holder}'s, or expired, and fails (false) while another holder's is running.
     */
    boolean acquire(String name, String holder, Duration ttl);

    /** Lets {@code name} go at once if {@code holder} holds it, so another node takes it without waiting for expiry. */
    void release(String name, String holder);

    Optional<Lease> find(String name);
}

package io.hallmark.core.access;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateRecord;

import java.time.Instant;
import java.util.function.Function;

/**
 * The one check every client certificate Hallmark issued passes on every request (operator, station,
 * device re-enrollment): it is in the records, not revoked and not expired. Read from the store each time,
 * so a revocation made on any node is in force on every node with its commit.
 */
public final class ClientCertificates {

    private ClientCertificates() {
    }

    /**
     * @param record the certificate's record, or null if Hallmark has none
     * @param what   how the message names it, e.g. "operator certificate"
     * @param refuse makes the exception of the caller's kind (UNAUTHENTICATED for the API, FORBIDDEN for stations)
     */
    public static void requireCurrent(CertificateRecord record, String serial, String what, Instant now,
                                      Function<String, HallmarkException> refuse) {
        if (record == null) {
            throw refuse.apply(what + " " + serial + " is not in Hallmark's records");
        }
        if (record.revocation() != null) {
            throw refuse.apply(what + " " + serial + " is revoked (" + record.revocation().reason() + ", at " + record.revocation().revokedAt() + ")");
        }
        if (now.isAfter(record.notAfter())) {
            throw refuse.apply(what + " " + serial + " expired at " + record.notAfter());
        }
        if (now.isBefore(record.notBefore())) {
            throw refuse.apply(what + " " + serial + " is not valid before " + record.notBefore());
        }
    }
}

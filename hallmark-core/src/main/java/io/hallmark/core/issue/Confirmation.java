package io.hallmark.core.issue;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.Tx;

/**
 * What a grant spends, confirmed inside the transaction that records the certificates it covers: a one-time
 * enrollment token is claimed, a factory station's rights are read again and its quota taken. Both happen,
 * or neither: no token is spent for a certificate that was not recorded, and no certificate is recorded
 * for a grant that was already spent.
 */
@FunctionalInterface
public interface Confirmation {

    /** For callers that spend nothing: an operator at the console, a server issuing its own certificate. */
    Confirmation NONE = (tx, fresh) -> fresh;

    /**
     * Runs after the issuance rules passed and before anything is written.
     *
     * @param fresh how many new certificates the transaction is about to record (0 when it only replays
     *              stored ones, which cost nothing)
     * @return how many of them the grant covers, from the first; the rest are refused with {@link #exhausted}
     * @throws HallmarkException to refuse them all; the transaction then leaves no trace
     */
    int confirm(Tx tx, int fresh);

    /** The refusal of a certificate beyond what {@link #confirm} allowed. */
    default HallmarkException exhausted(String deviceId) {
        return HallmarkException.forbidden("the grant is used up; nothing was issued for device " + deviceId);
    }
}

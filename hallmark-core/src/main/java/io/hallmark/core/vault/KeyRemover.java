package io.hallmark.core.vault;

/**
 * A vault that deletes a key it holds once nothing signs with it any more: a retired OCSP responder's key on a
 * token, where objects are not freed with a database row. Software-sealed keys need no such step (they live in
 * the row that retires them), and CA keys are never deleted by Hallmark.
 */
public interface KeyRemover {

    /** Deletes the key {@code ref} names (and what the vault keeps beside it); a key already gone is not an error. */
    void delete(String ref);
}

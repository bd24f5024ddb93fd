package io.hallmark.core.store;

import java.time.Instant;

/**
 * The current delegated OCSP responder of a CA, shared by every node.
 *
 * @param serial    its certificate (profile ocsp-responder, issued by the CA)
 * @param keyRef        the key's reference, as audit entries name it: {@code db:...} for a sealed key, a
 *                      {@code pkcs11:} URI for a key on the CA's token
 * @param sealedKey     the private key sealed by the key vault (PBES2-encrypted PKCS#8 under the vault
 *                      passphrase), opened by any node that has the passphrase; null when the key stays on the
 *                      CA's token, as the CA's own key does
 * @param retiredKeyRef the token key this responder replaced, deleted at the next rotation rather than at this
 *                      one, so a node still signing with it meanwhile never finds it gone; null for sealed keys
 */
public record OcspResponderRecord(String caName, String serial, String keyRef, String sealedKey, String retiredKeyRef, Instant rotatedAt) {
}

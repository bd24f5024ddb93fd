package io.hallmark.core.store;

import java.time.Instant;

/**
 * The current delegated OCSP responder of a CA, shared by every node.
 *
 * @param serial    its certificate (profile ocsp-responder, issued by the CA)
 * @param keyRef    the key's reference, as audit entries name it ({@code db:...})
 * @param sealedKey the private key sealed by the key vault (PBES2-encrypted PKCS#8 under the vault
 *                  passphrase), opened by any node that has the passphrase
 */
public record OcspResponderRecord(String caName, String serial, String keyRef, String sealedKey, Instant rotatedAt) {
}

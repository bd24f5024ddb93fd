package io.hallmark.core.vault;

import io.hallmark.core.error.HallmarkException;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One logged-in connection to a token through the JDK's SunPKCS11 provider, configured for the slot that holds the
 * token of the settings' label ({@link Pkcs11Slots}). Shared by the CA vault ({@link Pkcs11KeyVault}) and the
 * factory's device tokens ({@link DeviceToken}), so both make keys alike: token objects that are private, sensitive,
 * never extractable, and able to sign only (neither decrypt nor unwrap); the provider's {@code attributes} sections
 * below put that on every key pair generated through the session. CKA_SIGN is given, not left to the token's default:
 * tpm2-pkcs11 makes a key with neither sign nor decrypt, which the TPM refuses ("inconsistent attributes"). The public
 * key's usage is left to the token: tpm2-pkcs11 1.9 refuses a template that names CKA_VERIFY or CKA_ENCRYPT at all
 * ("User specified and TPM specified attr mismatch"), even with the value the TPM would give.
 *
 * @param generation how many times the caller reconnected (0 at first)
 */
record TokenSession(Provider provider, KeyStore keyStore, long generation) {

    /** SunPKCS11 names each configured provider; distinct names keep sessions on several tokens apart in logs. */
    private static final AtomicLong PROVIDERS = new AtomicLong();

    /**
     * @param keyName    CKA_ID and CKA_LABEL for the key pair generated in this session (one key, a device's identity),
     *                   or null to leave them to SunPKCS11's key store (the vault's keys: many per session)
     * @param generation after a lost token: greater than 0 also rescans the library's slots ({@link Pkcs11Slots#slotOf})
     */
    static TokenSession open(Pkcs11Settings settings, String keyName, long generation) {
        long slot = Pkcs11Slots.slotOf(settings.library(), settings.token(), generation > 0);
        // Config values are tokens of SunPKCS11's own parser: a byte string is written 0h<hex>.
        String names = keyName == null ? "" : """
                  CKA_ID = 0h%1$s
                  CKA_LABEL = 0h%1$s
                """.formatted(HexFormat.of().formatHex(keyName.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        String config = """
                --name = hallmark-%d
                library = %s
                slot = %d
                attributes(generate, CKO_PRIVATE_KEY, *) = {
                  CKA_TOKEN = true
                  CKA_PRIVATE = true
                  CKA_SENSITIVE = true
                  CKA_EXTRACTABLE = false
                  CKA_SIGN = true
                  CKA_DECRYPT = false
                  CKA_UNWRAP = false
                %s}
                attributes(generate, CKO_PUBLIC_KEY, *) = {
                  CKA_TOKEN = true
                %s}
                """.formatted(PROVIDERS.getAndIncrement(), settings.library(), slot, names, names);
        Provider provider;
        try {
            Pkcs11Slots.handedOver(settings.library());
            Provider base = java.security.Security.getProvider("SunPKCS11");
            if (base == null) throw HallmarkException.unavailable("this Java runtime has no SunPKCS11 provider", null);
            provider = base.configure(config); // text, not a file name: it starts with "--"
        } catch (java.security.ProviderException e) {
            throw HallmarkException.unavailable("cannot open PKCS#11 token '" + settings.token() + "' in " + settings.library() + ": " + rootMessage(e), e);
        }
        char[] pin = settings.pin();
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            return new TokenSession(provider, ks, generation);
        } catch (java.io.IOException e) {
            throw HallmarkException.unauthenticated("cannot log in to PKCS#11 token '" + settings.token() + "' with the PIN in "
                    + settings.pinFile() + ": " + rootMessage(e));
        } catch (GeneralSecurityException | java.security.ProviderException e) {
            throw HallmarkException.unavailable("cannot open the key store of PKCS#11 token '" + settings.token() + "': " + rootMessage(e), e);
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}

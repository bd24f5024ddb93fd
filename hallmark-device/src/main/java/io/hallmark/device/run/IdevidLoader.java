package io.hallmark.device.run;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.DeviceCredential;
import io.hallmark.device.DeviceCredentials;
import io.hallmark.device.SecretFiles;

import java.util.Arrays;

/** The IDevID the configuration names: exactly one of PEM files, PKCS#12, or PKCS#11. */
public final class IdevidLoader {

    private IdevidLoader() {
    }

    public static DeviceCredential load(AgentConfig.Idevid idevid) {
        if (idevid == null) throw HallmarkException.badInput("the configuration has no 'idevid' (cert + key, p12 + p12-password-file, or pkcs11)");
        boolean pem = idevid.cert() != null || idevid.key() != null;
        int ways = (pem ? 1 : 0) + (idevid.p12() != null ? 1 : 0) + (idevid.pkcs11() != null ? 1 : 0);
        if (ways != 1) throw HallmarkException.badInput("idevid: give exactly one of cert + key, p12 + p12-password-file, or pkcs11");
        if (pem) {
            if (idevid.cert() == null || idevid.key() == null) throw HallmarkException.badInput("idevid: cert and key go together");
            return DeviceCredentials.fromPem(idevid.cert(), idevid.key());
        }
        if (idevid.p12() != null) {
            if (idevid.p12PasswordFile() == null) throw HallmarkException.badInput("idevid: p12 needs p12-password-file");
            char[] password = SecretFiles.firstLine(idevid.p12PasswordFile());
            try {
                return DeviceCredentials.fromPkcs12(idevid.p12(), password);
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        AgentConfig.Pkcs11 p = idevid.pkcs11();
        if (p.library() == null || p.token() == null || p.pinFile() == null) {
            throw HallmarkException.badInput("idevid.pkcs11 needs library, token and pin-file (key-label when the token holds several keys)");
        }
        char[] pin = SecretFiles.firstLine(p.pinFile());
        try {
            return DeviceCredentials.fromPkcs11(p.library(), p.token(), pin, p.keyLabel());
        } finally {
            Arrays.fill(pin, '\0');
        }
    }
}

package io.hallmark.core.crypto;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;
import java.security.Security;

/**
 * Installs the JCA providers once per process. Crypto speed decides factory and OCSP throughput, so the
 * Amazon Corretto Crypto Provider (AWS-LC, roughly 10x SunEC for P-256) goes first when its native
 * library loads on this platform; otherwise the JDK's own providers serve, with BouncyCastle last for
 * what the JDK lacks. {@link #describe()} says which one actually signs, for benchmarks and logs.
 */
public final class CryptoProviders {

    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static volatile String accpStatus;

    private CryptoProviders() {
    }

    public static synchronized void install() {
        if (accpStatus != null) {
            return;
        }
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        if (Boolean.getBoolean("hallmark.crypto.noAccp") || "false".equalsIgnoreCase(System.getenv("HALLMARK_ACCP"))) {
            accpStatus = "disabled by configuration";
            return;
        }
        accpStatus = installAccp();
    }

    private static String installAccp() {
        try {
            Class<?> type = Class.forName(ACCP_CLASS);
            Provider instance = (Provider) type.getField("INSTANCE").get(null);
            Object loadingError = type.getMethod("getLoadingError").invoke(instance);
            if (loadingError != null) {
                return "not loaded: " + loadingError;
            }
            type.getMethod("install").invoke(null);
            return "installed";
        } catch (ClassNotFoundException e) {
            return "not on the class path";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "not loaded: " + e;
        }
    }

    /** The provider that serves a JCA signature algorithm here, e.g. "AmazonCorrettoCryptoProvider". */
    public static String providerFor(String signatureAlgorithm) {
        install();
        Provider[] providers = Security.getProviders("Signature." + signatureAlgorithm);
        return providers == null || providers.length == 0 ? "none" : providers[0].getName() + " " + providers[0].getVersionStr();
    }

    /** One line for logs and benchmark reports. */
    public static String describe() {
        install();
        return "P-256 signatures by " + providerFor("SHA256withECDSA") + " (ACCP " + accpStatus + ")";
    }
}

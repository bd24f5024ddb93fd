package io.hallmark.cli;

import io.hallmark.core.publication.Publication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "publication", description = {"Show or change where CRLs and OCSP are published (config key 'publication').",
        "Certificates issued afterwards carry a CRL distribution point and AIA (OCSP, caIssuers) under the base URL:",
        "  BASE/crl/CA.crl, BASE/crl/CA-K.crl (partition K), BASE/crl/CA-delta.crl,",
        "  BASE/ocsp, BASE/ca/CA.crt",
        "Options not given keep their current value. A change is in force on every serving node within two seconds.",
        "A loopback base URL (localhost, 127.0.0.0/8, ::1) points relying parties at themselves: it is warned about, and profiles "
                + "whose certificates never expire (idevid) refuse to issue under it unless --allow-loopback-urls is set."})
final class PublicationCommand implements Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--base-url", paramLabel = "URL", description = "e.g. http://pki.example.com; \"\" to stop adding CDP/AIA.")
    String baseUrl;

    @Option(names = "--partitions", paramLabel = "CA=N", description = "CRL partitions of a CA (repeatable); can grow, never shrink.")
    Map<String, Integer> partitions;

    @Option(names = "--crl-validity", paramLabel = "DURATION", description = "Complete CRL lifetime (default 7d).")
    String crlValidity;

    @Option(names = "--delta-validity", paramLabel = "DURATION", description = "Delta CRL lifetime (default 1d).")
    String deltaValidity;

    @Option(names = "--crl-refresh", paramLabel = "DURATION", description = "Re-sign a CA-wide CRL at most this often after revocations (default 5m).")
    String crlRefresh;

    @Option(names = "--ocsp-validity", paramLabel = "DURATION", description = "OCSP response lifetime (default 4h).")
    String ocspValidity;

    @Option(names = "--cache-window", paramLabel = "DURATION", description = "How long an HTTP cache (CDN, proxy) may serve an OCSP "
            + "answer to a GET or a CRL without asking again, so the longest a revocation stays unseen behind one (default "
            + Publication.DEFAULT_CACHE_WINDOW + ").")
    String cacheWindow;

    @Option(names = "--allow-loopback-urls", negatable = true, description = "Let never-expiring certificates (IDevIDs) carry a loopback "
            + "base URL too: a lab or test bench whose devices never leave it (--no-allow-loopback-urls restores the refusal).")
    Boolean allowLoopbackUrls;

    @Mixin
    Output.JsonOption output;

    /** The setting as shown: the stored fields, and whether the base URL is a loopback one. */
    record View(String baseUrl, boolean loopback, boolean allowLoopbackUrls, Map<String, Integer> partitions, String crlValidity,
                String deltaValidity, String crlRefresh, String ocspValidity, String cacheWindow) {
        static View of(Publication p) {
            return new View(p.baseUrl(), p.loopback(), Boolean.TRUE.equals(p.allowLoopbackUrls()), p.partitions(), p.crlValidity(),
                    p.deltaValidity(), p.crlRefresh(), p.ocspValidity(), p.cacheWindowOrDefault());
        }
    }

    /** {@code p} with another base URL (null: none), every other field kept. */
    static Publication withBaseUrl(Publication p, String baseUrl) {
        return new Publication(baseUrl, p.partitions(), p.crlValidity(), p.deltaValidity(), p.crlRefresh(), p.ocspValidity(), p.allowLoopbackUrls(),
                p.cacheWindow());
    }

    @Override
    public Integer call() {
        var settings = root.open().publication();
        Publication p = settings.current();
        boolean change = baseUrl != null || partitions != null || crlValidity != null || deltaValidity != null || crlRefresh != null || ocspValidity != null
                || allowLoopbackUrls != null || cacheWindow != null;
        if (change) {
            p = settings.set(p.changed(baseUrl, partitions, crlValidity, deltaValidity, crlRefresh, ocspValidity, allowLoopbackUrls, cacheWindow),
                    HallmarkCommand.actor());
            Notices.publication(p);
        }
        if (output.json) {
            Output.json(View.of(p));
        } else {
            Output.fields(System.out, "base URL", p.baseUrl() == null ? "(none: certificates carry no CDP/AIA)"
                            : p.baseUrl() + (p.loopback() ? " (loopback: reachable from this machine only)" : ""),
                    "loopback URLs", p.loopback() || Boolean.TRUE.equals(p.allowLoopbackUrls())
                            ? (Boolean.TRUE.equals(p.allowLoopbackUrls()) ? "allowed in never-expiring certificates" : "refused in never-expiring certificates")
                            : null,
                    "partitions", p.partitions().isEmpty() ? "(none)" : p.partitions().toString(), "CRL validity", p.crlValidity(),
                    "delta validity", p.deltaValidity(), "CRL refresh", p.crlRefresh(), "OCSP validity", p.ocspValidity(),
                    "cache window", p.cacheWindowOrDefault());
        }
        return 0;
    }
}

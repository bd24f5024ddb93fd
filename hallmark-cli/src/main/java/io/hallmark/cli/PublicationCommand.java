package io.hallmark.cli;

import io.hallmark.core.publication.Publication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "publication", description = {"Show or change where CRLs and OCSP are published (config key 'publication').",
        "Certificates issued afterwards carry a CRL distribution point and AIA (OCSP, caIssuers) under the base URL:",
        "  BASE/crl/CA.crl, BASE/crl/CA-K.crl (partition K), BASE/crl/CA-delta.crl,",
        "  BASE/ocsp, BASE/ca/CA.crt",
        "Options not given keep their current value. A change is in force on every serving node within two seconds."})
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

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        var settings = root.open().publication();
        Publication p = settings.current();
        boolean change = baseUrl != null || partitions != null || crlValidity != null || deltaValidity != null || crlRefresh != null || ocspValidity != null;
        if (change) {
            Map<String, Integer> parts = new TreeMap<>(p.partitions());
            if (partitions != null) parts.putAll(partitions);
            p = settings.set(new Publication(baseUrl == null ? p.baseUrl() : baseUrl.isBlank() ? null : baseUrl, parts,
                    crlValidity == null ? p.crlValidity() : crlValidity, deltaValidity == null ? p.deltaValidity() : deltaValidity,
                    crlRefresh == null ? p.crlRefresh() : crlRefresh, ocspValidity == null ? p.ocspValidity() : ocspValidity), HallmarkCommand.actor());
        }
        if (output.json) {
            Output.json(p);
        } else {
            Output.fields(System.out, "base URL", p.baseUrl() == null ? "(none: certificates carry no CDP/AIA)" : p.baseUrl(),
                    "partitions", p.partitions().isEmpty() ? "(none)" : p.partitions().toString(), "CRL validity", p.crlValidity(),
                    "delta validity", p.deltaValidity(), "CRL refresh", p.crlRefresh(), "OCSP validity", p.ocspValidity());
        }
        return 0;
    }
}

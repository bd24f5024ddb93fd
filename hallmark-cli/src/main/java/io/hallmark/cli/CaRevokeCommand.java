package io.hallmark.cli;

import io.hallmark.core.store.CertificateAuthority;
import io.hallmark.core.store.CertificateRecord;
import io.hallmark.core.store.RevocationReason;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "revoke", description = {
        "Revoke a CA's own certificate: a key-ceremony act, for a CA whose key is compromised or retired.",
        "From then on Hallmark refuses to issue under the CA and under every CA below it, on every node, with the reason;",
        "the revocation is published on the issuing CA's CRL and OCSP. It cannot be undone; over the REST API only an admin can, with \"confirm\": true.",
        "  hallmark ca revoke idevid-ca --reason keyCompromise --confirm"})
final class CaRevokeCommand implements Callable<Integer> {

    @ParentCommand
    CaCommand ca;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The CA to revoke.")
    String name;
    @Option(names = "--reason", required = true, paramLabel = "REASON", description = "RFC 5280 reason, e.g. keyCompromise, cACompromise, cessationOfOperation, superseded.")
    String reason;
    @Option(names = "--invalidity-date", paramLabel = "TIME", description = "When the key is known or suspected to have been compromised (ISO-8601).")
    String invalidityDate;
    @Option(names = "--confirm", description = "Required: says you mean to stop this CA and every CA below it for good.")
    boolean confirm;

    @Override
    public Integer call() {
        RevocationReason r = RevocationReason.parse(reason);
        Instant invalidity = RevokeCommand.invalidityDate(invalidityDate);
        var hallmark = ca.root.open();
        CertificateAuthority authority = hallmark.cas().get(name);
        List<String> below = hallmark.cas().descendants(name).stream().map(CertificateAuthority::name).toList();
        if (!confirm) {
            throw new CommandLine.ParameterException(spec.commandLine(), "revoking CA " + name + " stops it"
                    + (below.isEmpty() ? "" : " and " + String.join(", ", below) + " below it") + " from issuing, for good; add --confirm to proceed");
        }
        CertificateRecord revoked = hallmark.revoker().revokeCa(name, authority.serial(), r, invalidity, HallmarkCommand.actor());
        System.out.println("revoked CA " + name + " (certificate " + revoked.serial() + ", " + r + "); Hallmark will issue nothing under "
                + name + (below.isEmpty() ? "" : " or " + String.join(", ", below)));
        return 0;
    }
}

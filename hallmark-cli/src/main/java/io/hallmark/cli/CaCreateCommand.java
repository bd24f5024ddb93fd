package io.hallmark.cli;

import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.profile.Validity;
import io.hallmark.core.report.CaSummary;
import io.hallmark.core.store.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "create", description = {
        "Create one CA after init: a new root, or a CA under an existing one, with any key algorithm Hallmark makes,",
        "e.g. a post-quantum chain beside the classical one (docs/hierarchy.md, \"Post-quantum and parallel hierarchies\").",
        "Writes DATA/ca/NAME.pem and DATA/ca/NAME-chain.pem.",
        "  hallmark ca create --name pq-root --algorithm ml-dsa-65 --path-len 1",
        "  hallmark ca create --name pq-ldevid-ca --parent pq-root --algorithm ml-dsa-44 --profiles ldevid"})
final class CaCreateCommand implements Callable<Integer> {

    @ParentCommand
    CaCommand ca;
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the new CA (lowercase letters, digits, '-').")
    String name;
    @Option(names = "--algorithm", defaultValue = "ec-p256", paramLabel = "ALG",
            description = "Key algorithm (default ec-p256): ec-p256, ec-p384, ed25519, rsa-2048/3072/4096, ml-dsa-44/65/87, "
                    + "slh-dsa-sha2-128s/128f/192s/256s, slh-dsa-shake-128s, or a composite: mldsa44-ecdsa-p256-sha256, mldsa44-ed25519-sha512, "
                    + "mldsa65-ecdsa-p256-sha512, mldsa65-ecdsa-p384-sha512, mldsa65-ed25519-sha512, mldsa87-ecdsa-p384-sha512.")
    String algorithm;
    @Option(names = "--parent", paramLabel = "NAME", description = "The CA that signs this one; without it, a self-signed root.")
    String parent;
    @Option(names = "--subject", paramLabel = "DN", description = "Distinguished name (default CN=NAME).")
    String subject;
    @Option(names = "--validity", paramLabel = "DURATION", description = "Validity, e.g. 10y or forever (default 20y, cut to the parent's).")
    String validity;
    @Option(names = "--path-len", paramLabel = "N", description = "pathLenConstraint (default 1 for a root, 0 under a parent).")
    Integer pathLen;
    @Option(names = "--profiles", split = ",", paramLabel = "PROFILE", description = "End-entity profiles this CA issues (comma-separated).")
    List<String> profiles;
    @Option(names = "--vault", paramLabel = "SCHEME", description = "Vault for the key: soft or pkcs11 (default: the installation's).")
    String vault;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        var hallmark = ca.root.open();
        KeyAlgorithm alg = KeyAlgorithm.parse(algorithm);
        var spec = new CaSpec(name, parent, subject == null ? "CN=" + name : subject, alg, validity == null ? null : Validity.parse(validity),
                pathLen, profiles, vault);
        CertificateAuthority created = hallmark.cas().createOne(spec, hallmark.profiles(), HallmarkCommand.actor());
        Exports.caFiles(hallmark, ca.root.dataDir());
        CaSummary c = CaSummary.of(created, null);
        if (output.json) {
            Output.json(c);
        } else {
            Output.fields(System.out, "created", c.name(), "parent", c.parent() == null ? "(self-signed root)" : c.parent(),
                    "subject", c.subject(), "algorithm", c.algorithm(), "serial", c.serial(), "not after", c.notAfter(),
                    "issues", c.profiles().isEmpty() ? "CA certificates only" : String.join(", ", c.profiles()),
                    "key", c.keyRef(), "certificate", ca.root.dataDir().resolve("ca").resolve(c.name() + ".pem").toString());
        }
        return 0;
    }
}

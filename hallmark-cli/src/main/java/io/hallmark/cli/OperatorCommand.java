package io.hallmark.cli;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.issue.IssuedCertificate;
import io.hallmark.core.principal.Role;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

@Command(name = "operator", description = "Operator credentials for the REST API: client certificates from clients-ca.",
        subcommands = {OperatorCommand.Create.class})
final class OperatorCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "create", description = "Issue an operator client certificate with a role; writes NAME.pem, NAME.key (0600) and NAME-chain.pem.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        OperatorCommand operator;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The operator (letters, digits, '.', '_', '-').")
        String name;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator or auditor.")
        String role;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the credentials.")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (!name.matches("[A-Za-z0-9._-]{1,64}")) throw HallmarkException.badInput("--name must be letters, digits, '.', '_' or '-'");
            Role r = Role.parse(role);
            Path key = out.resolve(name + ".key");
            if (Files.exists(key)) throw HallmarkException.conflict(key + " exists; not overwriting a key");
            var hallmark = operator.root.open();
            KeyPair keys = KeyAlgorithm.EC_P256.generate();
            byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "Hallmark operators").addRDN(BCStyle.CN, name).build());
            IssuedCertificate issued = hallmark.issuer().issue(new IssuanceRequest("clients-ca", "client", csr, null, null, HallmarkCommand.actor()));
            hallmark.credentials().registerCertificate(Pem.x509(issued.certificate().der()), r, name, HallmarkCommand.actor());
            OwnerOnlyFile.create(key, Csrs.privateKeyPem(keys).getBytes(StandardCharsets.US_ASCII));
            Files.writeString(out.resolve(name + ".pem"), Pem.certificate(issued.certificate().der()));
            Files.writeString(out.resolve(name + "-chain.pem"), Exports.pem(issued.chain()));
            System.out.println("operator " + name + " (" + r.id() + "): " + out.resolve(name + ".pem") + ", key " + key);
            return 0;
        }
    }
}

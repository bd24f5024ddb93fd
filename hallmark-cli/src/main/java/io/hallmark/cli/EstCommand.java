package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.enroll.EnrollmentLabel;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.server.est.EstLabels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "est", description = "Configure EST: labels select the issuing CA and profile, the manufacturer CAs trusted for IDevIDs, and bootstrap.",
        subcommands = {EstCommand.Label.class})
final class EstCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "label", description = "EST labels (/.well-known/est/<label>/...). The empty name '' is the default label.",
            subcommands = {Set.class, ListLabels.class, DeleteLabel.class})
    static final class Label {
        @ParentCommand
        EstCommand est;
    }

    @Command(name = "set", description = "Add or replace a label; in force on every serving node within two seconds.")
    static final class Set implements Callable<Integer> {
        @ParentCommand
        Label label;
        @Option(names = "--name", required = true, paramLabel = "LABEL", description = "Label name; '' for the default.")
        String name;
        @Option(names = "--ca", defaultValue = "ldevid-ca", description = "Issuing CA (default ${DEFAULT-VALUE}).")
        String ca;
        @Option(names = "--profile", defaultValue = "ldevid", description = "Profile (default ${DEFAULT-VALUE}).")
        String profile;
        @Option(names = "--idevid-issuer", paramLabel = "CA", description = "Hallmark CA whose IDevIDs may enroll (repeatable; default idevid-ca).")
        List<String> issuers = new ArrayList<>();
        @Option(names = "--trust-anchor", paramLabel = "FILE", description = "PEM of another manufacturer's IDevID CA whose devices may enroll (repeatable).")
        List<Path> anchors = new ArrayList<>();
        @Option(names = "--allow-bootstrap", description = "Allow one-time enrollment tokens (HTTP Basic) for devices without an IDevID.")
        boolean bootstrap;
        @Option(names = "--accept-imported", paramLabel = "CA", description = {"A CA whose imported device certificates ('hallmark import fleet') may "
                + "enroll here with that certificate as TLS client certificate, and get this label's profile (repeatable; default: none).",
                "Only certificates imported into the inventory are accepted, unrevoked and unexpired; see docs/platforms.md."})
        List<String> acceptImported = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            var hallmark = label.est.root.open();
            List<String> issuerNames = issuers.isEmpty() ? List.of("idevid-ca") : issuers;
            List<String> pems = new ArrayList<>();
            for (Path anchor : anchors) {
                byte[] bytes = IssueCommand.read(anchor);
                List<byte[]> certs = Pem.blocks(bytes, "CERTIFICATE");
                if (certs.isEmpty()) throw HallmarkException.badInput(anchor + " holds no PEM certificate");
                for (byte[] der : certs) {
                    var cert = Pem.x509(der);
                    if (cert.getBasicConstraints() < 0) throw HallmarkException.badInput(anchor + ": " + cert.getSubjectX500Principal() + " is not a CA certificate");
                    pems.add(Pem.certificate(der));
                }
            }
            EnrollmentLabel l = EstLabels.checked(hallmark.cas(), new EnrollmentLabel(name, ca, profile, issuerNames, pems, bootstrap, acceptImported));
            new EstLabels(hallmark.store(), hallmark.sharedConfig()).put(l, HallmarkCommand.actor(), hallmark.clock().instant());
            System.out.println("EST label '" + name + "': " + ca + "/" + profile + ", IDevIDs from " + Output.safe(String.join(", ", issuerNames))
                    + (pems.isEmpty() ? "" : " and " + pems.size() + " imported CA(s)") + (bootstrap ? ", bootstrap tokens allowed" : "")
                    + (acceptImported.isEmpty() ? "" : ", imported certificates from " + Output.safe(String.join(", ", acceptImported))));
            return 0;
        }
    }

    @Command(name = "list", description = "List configured labels.")
    static final class ListLabels implements Callable<Integer> {
        @ParentCommand
        Label label;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            var hallmark = label.est.root.open();
            var labels = new EstLabels(hallmark.store(), hallmark.sharedConfig()).configured();
            if (output.json) {
                Output.json(labels);
            } else {
                Output.table(System.out, List.of("LABEL", "CA", "PROFILE", "IDEVID ISSUERS", "IMPORTED", "BOOTSTRAP", "ACCEPTS IMPORTED FROM"),
                        labels.stream().map(l -> List.of(l.name().isEmpty() ? "''" : l.name(), l.ca(), l.profile(), String.join(",", l.idevidIssuers()),
                                Integer.toString(l.foreignAnchors().size()), Boolean.toString(l.allowBootstrap()),
                                l.importedIssuers().isEmpty() ? "-" : String.join(",", l.importedIssuers()))).toList());
            }
            return 0;
        }
    }

    @Command(name = "delete", description = {"Remove a label; its paths answer 404 on every serving node within two seconds.",
            "Removing the default label '' brings back the built-in default (ldevid-ca, ldevid)."})
    static final class DeleteLabel implements Callable<Integer> {
        @ParentCommand
        Label label;
        @Option(names = "--name", required = true, paramLabel = "LABEL", description = "Label name; '' for the default.")
        String name;

        @Override
        public Integer call() {
            var hallmark = label.est.root.open();
            var gone = new EstLabels(hallmark.store(), hallmark.sharedConfig()).remove(name, HallmarkCommand.actor(), hallmark.clock().instant());
            System.out.println("EST label '" + Output.safe(name) + "' (" + gone.ca() + "/" + gone.profile() + ") removed");
            return 0;
        }
    }
}

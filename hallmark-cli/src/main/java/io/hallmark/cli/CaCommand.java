package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.report.CaSummary;
import io.hallmark.core.store.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ca", description = "List, show, create, export, revoke, import, roll over and cross-sign CAs.",
        subcommands = {CaCommand.ListCas.class, CaCommand.Show.class, CaCommand.Export.class, CaRevokeCommand.class, CaImportCommand.class,
                CaRolloverCommand.class, CaCrossSignCommand.class, CaCreateCommand.class})
final class CaCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "list", description = "List the CAs.")
    static final class ListCas implements Callable<Integer> {
        @ParentCommand
        CaCommand ca;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            var service = ca.root.open().cas();
            List<CaSummary> cas = service.list().stream().map(c -> CaSummary.of(c, service.revocation(c).orElse(null))).toList();
            if (output.json) {
                Output.json(cas);
            } else {
                Output.table(System.out, List.of("NAME", "PARENT", "ALGORITHM", "NOT AFTER", "STATUS", "ISSUES", "SUBJECT"),
                        cas.stream().map(c -> List.of(c.name(), c.parent() == null ? "-" : c.parent(), c.algorithm(),
                                c.notAfter(), c.revokedAt() == null ? "active" : "REVOKED", c.profiles().isEmpty() ? "CAs" : String.join(",", c.profiles()),
                                c.subject())).toList());
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show one CA.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        CaCommand ca;
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            var service = ca.root.open().cas();
            CertificateAuthority authority = service.get(name);
            CaSummary c = CaSummary.of(authority, service.revocation(authority).orElse(null));
            if (output.json) {
                Output.json(c);
            } else {
                Output.fields(System.out, "name", c.name(), "parent", c.parent() == null ? "(self-signed root)" : c.parent(),
                        "subject", c.subject(), "algorithm", c.algorithm(), "serial", c.serial(), "not before", c.notBefore(),
                        "not after", c.notAfter(), "path length", c.pathLen() == null ? "unlimited" : c.pathLen(),
                        "issues", !authority.hasKey() ? "nothing (imported as a certificate only; its key is not in Hallmark)"
                                : c.profiles().isEmpty() ? "CA certificates only" : String.join(", ", c.profiles()),
                        "key", c.keyRef(), "subject key id", c.subjectKeyId(), "sha256", c.sha256(),
                        "status", c.revokedAt() == null ? "active" : "REVOKED at " + c.revokedAt() + " (" + c.revocationReason() + "): issues nothing");
            }
            return 0;
        }
    }

    @Command(name = "export", description = "Export a CA certificate (with --chain, followed by its issuers up to the root).")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        CaCommand ca;
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--chain", description = "Append the issuing CAs up to the root (PEM only).")
        boolean chain;
        @Option(names = "--format", defaultValue = "pem", paramLabel = "pem|der", description = "Output format (default pem).")
        String format;
        @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
        Path out;

        @Override
        public Integer call() {
            var hallmark = ca.root.open();
            byte[] bytes = switch (format.toLowerCase(java.util.Locale.ROOT)) {
                case "pem" -> (chain ? Exports.chainPem(hallmark, name) : Pem.certificate(hallmark.cas().get(name).certificate()))
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                case "der" -> {
                    if (chain) throw HallmarkException.badInput("DER holds one certificate; use --format pem for a chain");
                    CertificateAuthority c = hallmark.cas().get(name);
                    yield c.certificate();
                }
                default -> throw HallmarkException.badInput("unknown format '" + format + "' (pem or der)");
            };
            write(out, bytes);
            return 0;
        }
    }

    static void write(Path out, byte[] bytes) {
        try {
            if (out == null) {
                System.out.write(bytes);
                System.out.flush();
            } else {
                Path parent = out.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Files.write(out, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }
}

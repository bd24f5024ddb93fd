package io.hallmark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "import", description = {"Bring certificates issued before Hallmark took their CA over into the inventory, so they can be "
        + "listed, revoked and answered for by OCSP.",
        "DIR: every *.pem, *.crt, *.cer and *.der file in it (a PEM file may hold several certificates). --csv FILE: lines "
                + "'file[,device]' (an optional header line starting with 'file'; paths relative to the CSV's directory).",
        "Each certificate must carry the signature of a CA Hallmark knows. Serials already stored are skipped, so importing again "
                + "is harmless. Bad files are reported one by one; exit 3 if any failed, 0 otherwise."})
final class CertImportCommand implements Callable<Integer> {

    @ParentCommand
    CertCommand cert;
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "A directory of certificate files.")
    Path dir;
    @Option(names = "--csv", paramLabel = "FILE", description = "A list of certificate files, one per line, with an optional device id.")
    Path csv;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        CertificateFiles.Read read = CertificateFiles.read(dir, csv, item -> item);
        return CertificateFiles.importAndReport(cert.root.open(), read, output.json);
    }
}

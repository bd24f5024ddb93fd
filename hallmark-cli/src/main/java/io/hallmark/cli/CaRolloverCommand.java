package io.hallmark.cli;

import io.hallmark.core.ca.CaRollover;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "rollover", description = {
        "Roll a root CA over to a new key: a successor root of the same subject (named NAME-2 unless --name), the link",
        "certificates NewWithOld (new key, signed by the old) and OldWithNew (old key, signed by the new), and new certificates",
        "for the issuing CAs below under the successor (same keys, so certificates they issued verify either way).",
        "The old root stays, for verification and its CRLs; EST /cacerts serves the link certificates until it expires.",
        "Writes DATA/ca/SUCCESSOR.pem, DATA/ca/SUCCESSOR-by-NAME.pem (NewWithOld), DATA/ca/NAME-by-SUCCESSOR.pem (OldWithNew).",
        "Issuing CAs are not rolled over: add a new one under the same root instead (docs/key-custody.md).",
        "  hallmark ca rollover root"})
final class CaRolloverCommand implements Callable<Integer> {

    /** What the command reports, without the certificates' bytes. */
    record Report(String oldRoot, String newRoot, String newKey, String newSerial, String newWithOldSerial, String oldWithNewSerial,
                  List<String> recertified, List<String> leftBehind, List<String> files) {
    }

    @ParentCommand
    CaCommand ca;
    @Parameters(paramLabel = "NAME", description = "The root CA to roll over.")
    String name;
    @Option(names = "--name", paramLabel = "SUCCESSOR", description = "Name of the successor CA (default NAME-2, or root-3 after root-2).")
    String successor;
    @Option(names = "--algorithm", paramLabel = "ALG", description = "Key algorithm of the successor (default: the old root's), e.g. ec-p256, ec-p384, rsa-3072, ed25519.")
    String algorithm;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        var hallmark = ca.root.open();
        KeyAlgorithm alg = algorithm == null ? null : KeyAlgorithm.parse(algorithm);
        CaRollover.Outcome o = hallmark.cas().rollover(name, successor, alg, HallmarkCommand.actor());
        Exports.caFiles(hallmark, ca.root.dataDir());
        Path dir = ca.root.dataDir().resolve("ca");
        Path newWithOld = dir.resolve(o.newRoot() + "-by-" + o.oldRoot() + ".pem");
        Path oldWithNew = dir.resolve(o.oldRoot() + "-by-" + o.newRoot() + ".pem");
        CaCommand.write(newWithOld, Pem.certificate(o.newWithOld()).getBytes(StandardCharsets.US_ASCII));
        CaCommand.write(oldWithNew, Pem.certificate(o.oldWithNew()).getBytes(StandardCharsets.US_ASCII));
        var report = new Report(o.oldRoot(), o.newRoot(), o.newKeyRef(), o.newSerial(), o.newWithOldSerial(), o.oldWithNewSerial(),
                o.recertified(), o.leftBehind(), List.of(dir.resolve(o.newRoot() + ".pem").toString(), newWithOld.toString(), oldWithNew.toString()));
        if (output.json) {
            Output.json(report);
        } else {
            Output.fields(System.out, "old root", o.oldRoot() + " (kept: verification and CRLs only)", "new root", o.newRoot() + " (serial " + o.newSerial() + ")",
                    "new key", o.newKeyRef(), "NewWithOld", o.newWithOldSerial() + " -> " + newWithOld,
                    "OldWithNew", o.oldWithNewSerial() + " -> " + oldWithNew,
                    "re-certified", o.recertified().isEmpty() ? "(none)" : String.join(", ", o.recertified()),
                    "left under " + o.oldRoot(), o.leftBehind().isEmpty() ? "(none)" : String.join(", ", o.leftBehind()));
        }
        return 0;
    }
}

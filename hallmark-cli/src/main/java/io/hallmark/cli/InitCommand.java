package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.error.HallmarkException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

@Command(name = "init", description = {"Create the CA hierarchy from a hierarchy file (default: root, idevid-ca, ldevid-ca).",
        "CAs that already exist are left untouched, so running it again is safe.",
        "New profiles and CAs are in force on every serving node of the same database within two seconds."})
final class InitCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--hierarchy", paramLabel = "FILE", description = "Hierarchy YAML; see docs/hierarchy.md. Default: the built-in one.")
    Path hierarchy;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        HierarchySpec spec = read(hierarchy);
        Hallmark hallmark = root.open(true);
        List<CaService.InitOutcome> outcomes = hallmark.init(spec, HallmarkCommand.actor());
        Exports.caFiles(hallmark, root.dataDir());
        if (output.json) {
            Output.json(new Report(root.dataDir().toAbsolutePath().toString(), hallmark.store().describe(), outcomes));
        } else {
            Notices.passphrase(root.passphrase());
            for (CaService.InitOutcome o : outcomes) {
                System.out.printf("%-12s %s%n", o.name(), o.created() ? "created" : o.note());
            }
            System.out.println("CA certificates exported to " + root.dataDir().resolve("ca").toAbsolutePath());
        }
        return 0;
    }

    record Report(String dataDir, String store, List<CaService.InitOutcome> cas) {
    }

    static HierarchySpec read(Path file) {
        if (file == null) {
            return HierarchySpec.defaults();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return HierarchySpec.parse(in, file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw HallmarkException.notFound("hierarchy file " + file + " does not exist");
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }
}

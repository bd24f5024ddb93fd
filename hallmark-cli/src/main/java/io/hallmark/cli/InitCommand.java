package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.publication.Publication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

@Command(name = "init", description = {"Create the CA hierarchy from a hierarchy file (default: root, idevid-ca and ldevid-ca, "
        + "and clients-ca, which signs operator and factory station client certificates and the server's TLS certificate).",
        "Never overwrites anything. On an installation that already holds a hierarchy it creates only what the file adds "
                + "(new CAs, changed profiles), and refuses, exit 5, with nothing changed: a file that differs from an existing CA "
                + "(subject, validity, algorithm, parent, pathLen, profiles: each is named), a file that adds nothing, and a data "
                + "directory and a database that belong to different installations.",
        "New profiles and CAs are in force on every serving node of the same database within two seconds.",
        "Certificates carry CRL and OCSP URLs under the publication base URL (--base-url here, or 'hallmark publication "
                + "--base-url'); without one they carry none."})
final class InitCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--hierarchy", paramLabel = "FILE", description = "Hierarchy YAML; see docs/hierarchy.md. Default: the built-in one.")
    Path hierarchy;

    @Option(names = "--base-url", paramLabel = "URL", description = "Public base URL of CRLs and OCSP, put into every certificate "
            + "issued (e.g. http://pki.example.com:8080, where 'serve --http-listen' is reached); see 'hallmark publication'.")
    String baseUrl;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        HierarchySpec spec = read(hierarchy);
        Publication publication = baseUrl == null ? null : new Publication(baseUrl, null, null, null, null, null); // checked before anything is opened
        Hallmark hallmark = InitGuard.open(root);
        refuseWhenNothingToAdd(hallmark, spec);
        List<CaService.InitOutcome> outcomes = hallmark.init(spec, HallmarkCommand.actor());
        Exports.caFiles(hallmark, root.dataDir());
        Publication current = hallmark.publication().current();
        if (publication != null && !java.util.Objects.equals(current.baseUrl(), publication.baseUrl())) {
            current = hallmark.publication().set(PublicationCommand.withBaseUrl(current, publication.baseUrl()), HallmarkCommand.actor());
        }
        Notices.publication(current);
        if (output.json) {
            Output.json(new Report(root.dataDir().toAbsolutePath().toString(), hallmark.store().describe(), outcomes, current.baseUrl()));
        } else {
            Notices.passphrase(root.passphrase());
            for (CaService.InitOutcome o : outcomes) {
                System.out.printf("%-12s %s%n", o.name(), o.created() ? "created" : o.note());
            }
            System.out.println("CA certificates exported to " + root.dataDir().resolve("ca").toAbsolutePath());
            System.out.println("publication base URL: " + (current.baseUrl() == null ? "(none: certificates carry no CRL or OCSP URL)" : current.baseUrl()));
        }
        return 0;
    }

    /**
     * On an installation that holds a hierarchy, init may only add to it. A CA that differs from the file is a
     * different hierarchy (or a rollover, which is not init's), and a file that adds nothing leaves nothing to do:
     * both are refused before anything is written, with what differs named.
     */
    private void refuseWhenNothingToAdd(Hallmark hallmark, HierarchySpec spec) {
        List<CaService.Comparison> comparison = hallmark.cas().compare(spec);
        if (comparison.stream().noneMatch(CaService.Comparison::existing)) {
            return;
        }
        List<String> differing = comparison.stream().filter(c -> !c.differences().isEmpty())
                .map(c -> "CA " + c.name() + " exists with " + String.join(", ", c.differences())).toList();
        if (!differing.isEmpty()) {
            throw HallmarkException.conflict(String.join("; ", differing) + ": init never changes an existing CA (a new subject, key or "
                    + "validity is a new CA, or a rollover); nothing was changed");
        }
        boolean adds = comparison.stream().anyMatch(c -> !c.existing()) || hallmark.initChangesProfiles(spec);
        if (!adds) {
            throw HallmarkException.conflict(root.dataDir() + " already holds this hierarchy (" + hallmark.cas().list().size() + " CAs in "
                    + hallmark.store().describe() + "): nothing to create, nothing was changed"
                    + (baseUrl == null ? "" : "; change the base URL with 'hallmark publication --base-url'"));
        }
    }

    record Report(String dataDir, String store, List<CaService.InitOutcome> cas, String baseUrl) {
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

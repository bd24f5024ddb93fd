package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.publication.Publication;
import io.hallmark.core.vault.Pkcs11Settings;
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

    @Option(names = "--vault", paramLabel = "soft|pkcs11", defaultValue = "soft", description = "Where new CA keys are made: "
            + "'soft' (encrypted PKCS#8 files in DATA/keys, default) or 'pkcs11' (generated on a PKCS#11 token, never extractable; "
            + "Ed25519 is refused there). A CA's 'vault:' in the hierarchy file overrides it. See docs/key-custody.md.")
    String vault;

    @Option(names = "--pkcs11-library", paramLabel = "PATH", description = "The token's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so.")
    Path pkcs11Library;

    @Option(names = "--pkcs11-token", paramLabel = "LABEL", description = "The token's label (softhsm2-util --init-token --label LABEL).")
    String pkcs11Token;

    @Option(names = "--pkcs11-pin-file", paramLabel = "FILE", description = "File holding the token's user PIN (read at each start; "
            + "its path, not the PIN, is kept in DATA/" + Pkcs11Settings.FILE + ").")
    Path pkcs11PinFile;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        HierarchySpec spec = read(hierarchy);
        Publication publication = baseUrl == null ? null : new Publication(baseUrl, null, null, null, null, null); // checked before anything is opened
        Path settingsFile = root.dataDir().resolve(Pkcs11Settings.FILE);
        boolean newSettings = configureVault();
        List<CaService.InitOutcome> outcomes;
        Hallmark hallmark = null;
        try {
            hallmark = InitGuard.open(root);
            refuseWhenNothingToAdd(hallmark, spec);
            outcomes = hallmark.init(spec, HallmarkCommand.actor());
        } catch (RuntimeException e) {
            // Removed only while no CA uses the token: a CA made before the failure needs them to be found again.
            if (newSettings && !usesToken(hallmark)) {
                try {
                    Files.deleteIfExists(settingsFile); // a failed init leaves the directory as it found it
                } catch (IOException ignored) {
                    // the error being reported matters more
                }
            }
            throw e;
        }
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

    /** Whether a CA of {@code hallmark} has its key on a token; when that cannot be told, it is assumed to. */
    private static boolean usesToken(Hallmark hallmark) {
        if (hallmark == null) return false;
        try {
            return hallmark.cas().list().stream().anyMatch(ca -> ca.keyRef().startsWith("pkcs11:"));
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * {@code --vault pkcs11}: checks the token's settings and keeps them in the data directory, where every later
     * command finds them. Returns whether the settings file was written now (to be removed if init then fails).
     */
    private boolean configureVault() {
        switch (vault) {
            case "soft" -> {
                if (pkcs11Library != null || pkcs11Token != null || pkcs11PinFile != null) {
                    throw HallmarkException.badInput("--pkcs11-library, --pkcs11-token and --pkcs11-pin-file need --vault pkcs11");
                }
                return false;
            }
            case "pkcs11" -> {
                Pkcs11Settings settings = new Pkcs11Settings(pkcs11Library, pkcs11Token, pkcs11PinFile).check();
                java.util.Optional<Pkcs11Settings> existing = Pkcs11Settings.read(root.dataDir());
                if (existing.isPresent()) {
                    if (!existing.get().equals(settings)) {
                        throw HallmarkException.conflict(root.dataDir().resolve(Pkcs11Settings.FILE) + " already names token '" + existing.get().token()
                                + "' in " + existing.get().library() + " with PIN file " + existing.get().pinFile() + "; init never changes it, nothing was changed");
                    }
                    return false;
                }
                settings.write(root.dataDir());
                return true;
            }
            default -> throw HallmarkException.badInput("--vault must be 'soft' or 'pkcs11', not '" + vault + "'");
        }
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

package io.hallmark.cli;

import io.hallmark.cli.ceremony.RootCeremony;
import io.hallmark.cli.ceremony.RootRestore;
import io.hallmark.cli.ceremony.ShareRefusedException;
import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.CaService;
import io.hallmark.core.ca.CaSpec;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ceremony", description = {"The root key ceremony: create a new installation's root CA with its key backed up, "
        + "the backup key split among share holders (any M of N restore it), and a transcript the root signs; and restore "
        + "that root from the backup and M shares. See docs/key-custody.md."},
        subcommands = {CeremonyCommand.Root.class, CeremonyCommand.Restore.class})
final class CeremonyCommand {

    @ParentCommand
    HallmarkCommand root;

    @Command(name = "root", description = {"Create the root CA of a new installation (an empty --data) in a recorded ceremony.",
            "Writes to --out (an empty directory): root.pem; root-backup.enc, the root key encrypted with AES-256-GCM under a "
                    + "random 256-bit backup key; share-1 .. share-N, that key split with Shamir's scheme over GF(256), any M of "
                    + "which rebuild it; transcript.txt (steps, times, participants, fingerprints, share ids) and transcript.p7s, "
                    + "its detached CMS signature by the new root (openssl cms -verify checks it).",
            "Only the root is created: run 'hallmark init' with the same --hierarchy afterwards for the CAs below it.",
            "A root whose vault keeps keys that cannot leave it (an HSM) is refused: back the token up the vendor's way."})
    static final class Root implements Callable<Integer> {
        @ParentCommand
        CeremonyCommand ceremony;

        @Option(names = "--shares", required = true, paramLabel = "N", description = "How many shares to make (2..255).")
        int shares;

        @Option(names = "--threshold", required = true, paramLabel = "M", description = "How many shares restore the key (2..N).")
        int threshold;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Empty (or new) directory for the shares, the backup and the transcript.")
        Path out;

        @Option(names = "--participant", paramLabel = "NAME", description = "A person present, with their role "
                + "(e.g. 'Alice Smith, ceremony administrator'); repeat for each. Written into the transcript.")
        List<String> participants = new ArrayList<>();

        @Option(names = "--share-holder", paramLabel = "NAME", description = "Who receives each share, in share order "
                + "(give N or none); written into each share and the transcript.")
        List<String> holders = new ArrayList<>();

        @Option(names = "--hierarchy", paramLabel = "FILE", description = "Hierarchy YAML whose root (its CA without parent) "
                + "the ceremony creates. Default: the built-in one's.")
        Path hierarchy;

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            HierarchySpec spec = InitCommand.read(hierarchy);
            CaSpec rootSpec = spec.cas().stream().filter(c -> c.parent() == null).findFirst()
                    .orElseThrow(() -> HallmarkException.badInput("the hierarchy has no root (a CA without parent)"));
            HallmarkCommand top = ceremony.root;
            Hallmark hallmark = InitGuard.open(top);
            CaService.validate(spec, spec.profiles().isEmpty() ? hallmark.profiles() : new io.hallmark.core.profile.Profiles(spec.profiles()));
            refuseUnlessEmpty(hallmark, top, "a root key ceremony starts a new installation");
            var request = new RootCeremony.Request(rootSpec, shares, threshold, out, participants, holders,
                    top.dataDir().toAbsolutePath().toString(), hallmark.store().describe(), HallmarkCommand.actor());
            RootCeremony.Result result = new RootCeremony(hallmark).run(request);
            Exports.caFiles(hallmark, top.dataDir());
            if (output.json) {
                Output.json(result);
                return 0;
            }
            Notices.passphrase(top.passphrase());
            Output.fields(System.out, "ceremony", result.ceremony(), "root", result.ca() + " (" + result.subject() + ")",
                    "serial", result.serial(), "SHA-256 fingerprint", result.rootSha256(), "public key SHA-256", result.spkiSha256(),
                    "key", result.keyRef(), "shares", "any " + result.threshold() + " of " + result.total(),
                    "checked", result.combinationsChecked() + " of " + result.combinations() + " combinations of shares open the backup",
                    "written to", result.out() + " (" + String.join(", ", result.files()) + ")");
            System.out.println("Hand share-1 .. share-" + result.total() + " to their holders and keep root-backup.enc apart from them; "
                    + "write the fingerprint down with the witnesses. Next: 'hallmark init"
                    + (hierarchy == null ? "" : " --hierarchy " + hierarchy) + "' creates the CAs below the root.");
            return 0;
        }
    }

    @Command(name = "restore", description = {"Restore a ceremony's root key and root CA into an installation that holds no CA "
            + "(an empty --data), from the backup and at least M of its shares.",
            "Every share is checked first (its checksum, its ceremony, the ceremony's record of it); one that fails is named and "
                    + "nothing is restored, exit 7. Fewer than M shares restore nothing, exit 3. The key restored must be the one "
                    + "of the backup's root certificate.",
            "Afterwards the installation signs as that root: 'hallmark init' adds CAs under it, 'hallmark crl generate --ca root' signs its CRL."})
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        CeremonyCommand ceremony;

        @Option(names = "--backup", required = true, paramLabel = "FILE", description = "The ceremony's root-backup.enc.")
        Path backup;

        @Option(names = "--share", required = true, paramLabel = "FILE", description = "A share file; repeat for each (M at least).")
        List<Path> shares = new ArrayList<>();

        @Mixin
        Output.JsonOption output;

        @Override
        public Integer call() {
            HallmarkCommand top = ceremony.root;
            Hallmark hallmark = InitGuard.open(top);
            refuseUnlessEmpty(hallmark, top, "a root is restored into a new installation");
            RootRestore.Result result;
            try {
                result = new RootRestore(hallmark).run(backup, shares, HallmarkCommand.actor());
            } catch (ShareRefusedException e) {
                System.err.println("hallmark: " + Output.safe(e.getMessage()));
                return ExitCodes.AUDIT_BROKEN;
            }
            Exports.caFiles(hallmark, top.dataDir());
            if (output.json) {
                Output.json(result);
                return 0;
            }
            Notices.passphrase(top.passphrase());
            Output.fields(System.out, "ceremony", result.ceremony(), "root", result.ca() + " (" + result.subject() + ")",
                    "SHA-256 fingerprint", result.rootSha256(), "key", result.keyRef(), "shares used", result.sharesUsed().toString());
            System.out.println("Root restored into " + top.dataDir().toAbsolutePath() + "; compare the fingerprint with the ceremony's transcript.");
            return 0;
        }
    }

    private static void refuseUnlessEmpty(Hallmark hallmark, HallmarkCommand top, String why) {
        List<CertificateAuthority> cas = hallmark.cas().list();
        if (!cas.isEmpty()) {
            throw HallmarkException.conflict(top.dataDir() + " already holds " + cas.size() + " CAs (" + cas.getFirst().name() + ", ...): "
                    + why + " (an empty --data); nothing was changed");
        }
    }
}

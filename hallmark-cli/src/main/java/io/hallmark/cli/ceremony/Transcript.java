package io.hallmark.cli.ceremony;

import io.hallmark.core.crypto.Serials;
import io.hallmark.core.store.CertificateAuthority;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The ceremony's record: each step with the time it ended, the participants, the root certificate's fingerprints,
 * the backup's hash and each share's id. Plain text, to be printed and signed on paper by the witnesses too; the
 * root signs it ({@link TranscriptSigner}), so it cannot be edited afterwards without the signature failing.
 */
final class Transcript {

    private final Clock clock;
    private final Instant started;
    private final List<String> steps = new ArrayList<>();

    Transcript(Clock clock) {
        this.clock = clock;
        this.started = now();
    }

    /** To the millisecond: what a witness compares with a wall clock, and short enough to read out. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    void step(String what) {
        steps.add(now() + "  " + (steps.size() + 1) + ". " + what);
    }

    String render(String ceremony, RootCeremony.Request r, CertificateAuthority ca, String rootSha256, String spkiSha256,
                  String backupSha256, List<String> shareLines) {
        StringBuilder t = new StringBuilder();
        t.append("Hallmark root key ceremony\n")
                .append("format: hallmark-ceremony-transcript/1\n")
                .append("ceremony: ").append(ceremony).append('\n')
                .append("started: ").append(started).append('\n')
                .append("run by: ").append(r.actor()).append('\n')
                .append("installation: ").append(r.dataDir()).append(" (").append(r.store()).append(")\n")
                .append("\nparticipants:\n");
        if (r.participants().isEmpty()) t.append("  (none named)\n");
        r.participants().forEach(p -> t.append("  ").append(p).append('\n'));
        t.append("\nsteps:\n");
        steps.forEach(s -> t.append("  ").append(s).append('\n'));
        var cert = ca.holder();
        t.append("\nroot certificate (").append(RootCeremony.ROOT_PEM).append("):\n")
                .append("  CA name: ").append(ca.name()).append('\n')
                .append("  subject: ").append(cert.getSubject()).append('\n')
                .append("  serial: ").append(Serials.hex(cert.getSerialNumber())).append('\n')
                .append("  not before: ").append(cert.getNotBefore().toInstant()).append('\n')
                .append("  not after: ").append(cert.getNotAfter().toInstant()).append('\n')
                .append("  key: ").append(ca.algorithm().id()).append(", in the vault as ").append(ca.keyRef()).append('\n')
                .append("  SHA-256 fingerprint: ").append(rootSha256).append("\n")
                .append("    (openssl x509 -in root.pem -noout -fingerprint -sha256)\n")
                .append("  SHA-256 of the public key (SubjectPublicKeyInfo, DER): ").append(spkiSha256).append('\n')
                .append("    (openssl x509 -in root.pem -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256)\n")
                .append("\nbackup (").append(RootCeremony.BACKUP).append("): the root key, AES-256-GCM under the backup key\n")
                .append("  file sha256: ").append(backupSha256).append('\n')
                .append("\nshares: any ").append(r.threshold()).append(" of ").append(r.shares())
                .append(" rebuild the backup key; fewer reveal nothing of it\n");
        shareLines.forEach(s -> t.append("  ").append(s).append('\n'));
        t.append("\nfinished: ").append(now()).append('\n')
                .append("\nThis transcript is signed by the root key it records (").append(RootCeremony.SIGNATURE).append("). To check it:\n")
                .append("  openssl cms -verify -binary -inform PEM -in transcript.p7s -content transcript.txt \\\n")
                .append("          -CAfile root.pem -purpose any -out /dev/null\n")
                .append("and compare root.pem's fingerprint with the one above, as written down at the ceremony.\n");
        return t.toString();
    }
}

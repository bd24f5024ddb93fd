package io.hallmark.cli.broker;

import io.hallmark.core.Hallmark;
import io.hallmark.core.text.SafeText;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Keeps an export fresh, the way serving nodes keep their OCSP answers and CRLs fresh: revocations and
 * configuration changes made in this process are heard after their commit (listeners), those of other processes
 * and nodes by polling the store's revocation and configuration sequences every second. When either moved, or
 * crl.pem is due, it exports again; a rewritten file is followed by the reload. A failing round (the database
 * away, a reload refused) is reported and tried again at the next tick. {@link #stop} ends it between rounds.
 */
public final class BundleWatcher {

    static final Duration TICK = Duration.ofSeconds(1);

    private final Hallmark hallmark;
    private final BrokerExport export;
    private final Reload reload;
    private final PrintStream out;
    private final PrintStream err;
    private final Semaphore wake = new Semaphore(0);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    public BundleWatcher(Hallmark hallmark, BrokerExport export, Reload reload, PrintStream out, PrintStream err) {
        this.hallmark = hallmark;
        this.export = export;
        this.reload = reload;
        this.out = out;
        this.err = err;
        hallmark.revoker().addListener(revoked -> wake.release());
        hallmark.store().addConfigListener(seq -> wake.release());
    }

    /** Runs until {@link #stop}, starting from {@code first}, the export made before (whose files are on disk). */
    public void run(BrokerExport.Outcome first) {
        try {
            long revocations = first.revocationSeq();
            long config = first.configSeq();
            Instant due = first.crlDueAt();
            while (!stopping) {
                try {
                    wake.tryAcquire(TICK.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    break;
                }
                if (stopping) break;
                try {
                    long[] seqs = export.sequences();
                    Instant now = hallmark.clock().instant();
                    if (seqs[0] == revocations && seqs[1] == config && now.isBefore(due)) continue;
                    BrokerExport.Outcome o = export.export();
                    revocations = o.revocationSeq();
                    config = o.configSeq();
                    due = o.crlDueAt();
                    if (!o.written().isEmpty()) {
                        out.println(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " " + describe(o) + "; " + reloadNow());
                    }
                } catch (RuntimeException e) {
                    err.println("hallmark: " + SafeText.escape(String.valueOf(e.getMessage())) + "; trying again in " + TICK.toSeconds() + " s");
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    /** The reload after a rewrite, or why it failed (the watch goes on: the next rewrite reloads again). */
    private String reloadNow() {
        try {
            return reload.reload();
        } catch (RuntimeException e) {
            return "reload FAILED: " + SafeText.escape(String.valueOf(e.getMessage()));
        }
    }

    /** "wrote crl.pem (ldevid-ca: 2 revoked, root: 0 revoked)". */
    public static String describe(BrokerExport.Outcome o) {
        String crls = o.bundle().crls().stream().map(c -> c.ca() + ": " + c.entries() + " revoked").collect(Collectors.joining(", "));
        return "wrote " + String.join(", ", o.written()) + (o.crlWritten() ? " (" + crls + ")" : "");
    }

    /** Ends the watch after the round under way, and waits (bounded) until it has. */
    public boolean stop(Duration wait) {
        stopping = true;
        wake.release();
        try {
            return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package io.hallmark.server.tls;

import io.hallmark.core.Hallmark;
import io.hallmark.core.store.CertificateAuthority;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS listener's TLS: its settings ({@link TlsSettings}), the identity it serves, and that identity's
 * replacement while serving. A new identity goes in through Jetty's {@link SslContextFactory#reload}: new handshakes
 * get the new certificate, while connections already open keep the session (and certificate) they were set up with,
 * so nothing is dropped.
 *
 * <ul>
 *   <li>Operator files ({@link TlsSource.Supplied}) are read every {@link #POLL}; when their content changed they are
 *   loaded again, and a pair that is unusable (half-written, mismatched, expired) is refused with a log line while
 *   the current identity stays. A certificate two thirds through its life gets a warning a day.</li>
 *   <li>The built-in identity ({@link TlsSource.BuiltIn}) is renewed at {@link BuiltInIdentity#renewAt}, or at once if
 *   its certificate was revoked (checked every {@link #CHECK}); a failed renewal is logged and retried every
 *   {@link #CHECK} while the current certificate serves on.</li>
 * </ul>
 */
public final class ServerTls implements AutoCloseable {

    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration CHECK = Duration.ofMinutes(1);
    private static final Duration EXPIRY_WARNING_EVERY = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final Hallmark hallmark;
    private final TlsSource source;
    private final BuiltInIdentity builtIn;
    private final Duration check;
    private final SslContextFactory.Server factory = TlsSettings.server();
    private volatile ServerIdentity current;
    private ScheduledExecutorService scheduler;
    private byte[] seenFiles; // digest of the supplied files last loaded or refused: each change is tried once
    private Instant expiryWarned = Instant.MIN;

    /** @param hostnames the names the built-in certificate covers (not used with supplied files) */
    public ServerTls(Hallmark hallmark, TlsSource source, List<String> hostnames) {
        this(hallmark, source, hostnames, CHECK);
    }

    /** @param check how often the built-in certificate's revocation is looked at, and a failed renewal retried */
    ServerTls(Hallmark hallmark, TlsSource source, List<String> hostnames, Duration check) {
        this.check = check;
        this.hallmark = hallmark;
        this.source = source;
        this.builtIn = source instanceof TlsSource.BuiltIn b ? new BuiltInIdentity(hallmark, hostnames, b.dir()) : null;
    }

    /** For the HTTPS connector; it has no identity until {@link #load}. */
    public SslContextFactory.Server factory() {
        return factory;
    }

    /**
     * Reads the supplied files, or takes the kept built-in identity or issues one, and installs it. Called once the
     * listeners have their ports, so that a start that cannot bind issues (and records) nothing.
     */
    public ServerIdentity load() throws Exception {
        ServerIdentity identity = switch (source) {
            case TlsSource.Supplied s -> {
                seenFiles = digest(s);
                yield SuppliedIdentity.read(s.certificate(), s.key(), hallmark.clock().instant());
            }
            case TlsSource.BuiltIn b -> builtIn.atStart();
        };
        factory.setSslContext(context(identity));
        current = identity;
        LOG.info("TLS: serving {}{}", identity.describe(), builtIn == null ? "" : "; renewal at " + BuiltInIdentity.renewAt(identity));
        return identity;
    }

    /** Starts watching the supplied files, or renewing the built-in identity. */
    public synchronized void watch() {
        if (scheduler != null) return;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "hallmark-tls");
            t.setDaemon(true);
            return t;
        });
        // Closing lets a renewal under way finish (it writes to the store, which closes next) and runs nothing later.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        scheduler = executor;
        switch (source) {
            case TlsSource.Supplied s -> scheduler.scheduleWithFixedDelay(() -> guarded("checking " + s.certificate(), () -> pollFiles(s)),
                    POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
            case TlsSource.BuiltIn b -> scheduleRenewal(untilDue());
        }
    }

    /** The identity new handshakes get. */
    public ServerIdentity current() {
        return current;
    }

    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = scheduler;
            scheduler = null;
        }
        if (stopping == null) return;
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(30, TimeUnit.SECONDS)) stopping.shutdownNow();
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void pollFiles(TlsSource.Supplied s) {
        byte[] digest = digest(s);
        Instant now = hallmark.clock().instant();
        if (!Arrays.equals(digest, seenFiles)) {
            seenFiles = digest;
            ServerIdentity next;
            try {
                next = SuppliedIdentity.read(s.certificate(), s.key(), now);
            } catch (RuntimeException e) {
                LOG.warn("TLS: refused the changed {} and {}: {}; still serving serial {}", s.certificate(), s.key(), e.getMessage(),
                        current.serial());
                return;
            }
            install(next, "reloaded " + s.certificate());
            expiryWarned = Instant.MIN;
        }
        if (!now.isBefore(BuiltInIdentity.renewAt(current)) && !now.isBefore(expiryWarned.plus(EXPIRY_WARNING_EVERY))) {
            expiryWarned = now;
            LOG.warn("TLS: the certificate in {} (serial {}) expires at {}: replace {} and {}; they are reloaded when they change",
                    s.certificate(), current.serial(), current.notAfter(), s.certificate(), s.key());
        }
    }

    /** After a failed renewal the next try waits {@link #check}, so a CA that cannot sign is not asked in a loop. */
    private synchronized void scheduleRenewal(Duration delay) {
        if (scheduler == null) return; // closed
        scheduler.schedule(() -> scheduleRenewal(guarded("renewing the server certificate", this::renewIfDue) ? untilDue() : check),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Until the renewal time, but at most {@link #check} (revocation) and at least a second (a certificate of a few seconds' life). */
    private Duration untilDue() {
        Duration d = Duration.between(hallmark.clock().instant(), BuiltInIdentity.renewAt(current));
        Duration least = Duration.ofSeconds(1);
        return d.compareTo(least) < 0 ? least : d.compareTo(check) > 0 ? check : d;
    }

    private void renewIfDue() {
        Instant now = hallmark.clock().instant();
        String why = !now.isBefore(BuiltInIdentity.renewAt(current)) ? "due since " + BuiltInIdentity.renewAt(current)
                : builtIn.revoked(current) ? "serial " + current.serial() + " was revoked" : null;
        if (why == null) return;
        ServerIdentity next = builtIn.issue();
        install(next, "renewed (" + why + ")");
    }

    private void install(ServerIdentity next, String what) {
        try {
            SSLContext context = context(next);
            factory.reload(f -> f.setSslContext(context));
        } catch (Exception e) {
            LOG.warn("TLS: cannot install {}: {}; still serving serial {}", next.describe(), e.getMessage(), current.serial());
            return;
        }
        ServerIdentity before = current;
        current = next;
        LOG.info("TLS: {}: now serving {}{}; connections already open keep serial {}", what, next.describe(),
                builtIn == null ? "" : ", renewal at " + BuiltInIdentity.renewAt(next), before.serial());
    }

    /** A failure must not end the schedule: it is logged, and a later round tries again. */
    private boolean guarded(String what, Runnable work) {
        try {
            work.run();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("TLS: {} failed: {}; still serving serial {}, trying again later", what,
                    e.getMessage() == null ? e.toString() : e.getMessage(), current.serial());
            return false;
        }
    }

    private SSLContext context(ServerIdentity identity) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] pw = "in-memory".toCharArray();
        store.setKeyEntry("server", identity.key(), pw, identity.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, pw);
        // Read again at every reload, so a CA added meanwhile is among the hints.
        List<X509Certificate> acceptedIssuers = hallmark.cas().list().stream().map(CertificateAuthority::x509).toList();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), new TrustManager[]{new AnyClientCertificate(acceptedIssuers)}, null);
        return context;
    }

    /** Both files' content: a changed modification time alone (touch) reloads nothing, a rewrite within one second does. */
    private static byte[] digest(TlsSource.Supplied s) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path p : List.of(s.certificate(), s.key())) {
                try {
                    sha.update(Files.readAllBytes(p));
                } catch (IOException e) {
                    sha.update(("unreadable " + e).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                sha.update((byte) 0);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

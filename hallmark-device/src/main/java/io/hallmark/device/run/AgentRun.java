package io.hallmark.device.run;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.issue.Issuer;
import io.hallmark.device.DeviceAgent;
import io.hallmark.device.DeviceCredential;
import io.hallmark.device.DeviceCredentials;
import io.hallmark.device.LdevidState;
import io.hallmark.device.RenewalPolicy;
import io.hallmark.device.https.HttpsLink;
import io.hallmark.device.mqtt.MqttLink;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One device, running: an LDevID (enrolled with the IDevID when there is none, or none still valid), a
 * connection to every configured MQTT backend with it, a heartbeat on each, a call to every HTTPS backend,
 * and a renewal check that re-enrolls when the policy says so and moves every connection to the renewed certificate.
 */
public final class AgentRun implements AutoCloseable {

    /** What the run did, for the final report. */
    public record Summary(String device, String serial, boolean enrolled, int renewals, int renewalFailures, List<MqttLink.Stats> links,
                          List<HttpsLink.Stats> https) {
    }

    private final AgentConfig config;
    private final Supplier<DeviceCredential> idevid;
    private final ScheduledExecutorService threads;
    private final Consumer<String> log;
    private final Clock clock;
    private final LdevidState state;
    private final DeviceAgent agent;
    private final RenewalPolicy policy;
    private final List<MqttLink> links = new ArrayList<>();
    private final List<HttpsLink> httpsLinks = new ArrayList<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final List<ScheduledFuture<?>> heartbeats = new ArrayList<>(); // heartbeats and HTTPS calls: stopped first by drain()
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger renewalFailures = new AtomicInteger();
    private volatile LdevidState.Stored current;
    private boolean enrolled;
    private String device;

    /**
     * @param idevid  read only when an enrollment is needed (a PKCS#11 token is then opened once)
     * @param threads virtual-thread scheduler for heartbeats, renewal checks and the MQTT clients ({@code PahoThreads})
     */
    public AgentRun(AgentConfig config, Supplier<DeviceCredential> idevid, ScheduledExecutorService threads, Consumer<String> log, Clock clock) {
        this.config = config;
        this.idevid = idevid;
        this.threads = threads;
        this.log = log;
        this.clock = clock;
        this.state = new LdevidState(config.state());
        List<X509Certificate> anchors = new ArrayList<>();
        for (var file : config.est().trust()) anchors.addAll(DeviceCredentials.certificates(file));
        URI url;
        try {
            url = URI.create(config.est().url());
        } catch (IllegalArgumentException e) {
            throw HallmarkException.badInput("est.url '" + config.est().url() + "' is not a URL");
        }
        this.agent = new DeviceAgent(new DeviceAgent.Server(url, config.est().label(), anchors), state, clock, log);
        this.policy = new RenewalPolicy(config.renewal().shareOrDefault());
    }

    /** Enrolls if needed (blocking), then starts the connections and the timers; returns once they are started. */
    public AgentRun start() {
        current = ensureLdevid();
        X509Certificate cert = current.certificate();
        device = deviceId(cert);
        DeviceCredential credential = current.credential();
        for (AgentConfig.MqttGroup group : config.mqtt()) {
            List<X509Certificate> brokerAnchors = DeviceCredentials.certificates(group.ca());
            String clientId = expand(group.clientId() != null ? group.clientId() : "{device}");
            MqttLink link = new MqttLink(new MqttLink.Settings(group.name(), group.urls(), brokerAnchors, device, clientId,
                    group.publishTopic() == null ? null : expand(group.publishTopic()), group.qos() == null ? 1 : group.qos(),
                    group.subscribe().stream().map(this::expand).toList(), group.keepAliveSeconds() == null ? 30 : group.keepAliveSeconds()),
                    credential, threads, log, clock);
            links.add(link.start());
            if (group.publishTopic() != null) {
                long every = Math.max(10, Math.round((group.publishSeconds() == null ? 10 : group.publishSeconds()) * 1000));
                heartbeats.add(threads.scheduleAtFixedRate(link::publishHeartbeat, every, every, TimeUnit.MILLISECONDS));
            }
        }
        for (AgentConfig.HttpsEndpoint endpoint : config.https()) {
            HttpsLink link = new HttpsLink(URI.create(endpoint.url()), DeviceCredentials.certificates(endpoint.ca()), credential, log);
            httpsLinks.add(link);
            long every = Math.round((endpoint.everySeconds() == null ? 10 : endpoint.everySeconds()) * 1000);
            heartbeats.add(threads.scheduleWithFixedDelay(link::call, 0, every, TimeUnit.MILLISECONDS));
        }
        long check = Math.round(config.renewal().checkSecondsOrDefault() * 1000);
        tasks.add(threads.scheduleWithFixedDelay(this::renewIfDue, check, check, TimeUnit.MILLISECONDS));
        return this;
    }

    public List<MqttLink> links() {
        return List.copyOf(links);
    }

    public String device() {
        return device;
    }

    /** Waits until every backend has been connected once; false on timeout. */
    public boolean awaitConnected(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (MqttLink link : links) {
            if (!link.awaitConnected(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) return false;
        }
        return true;
    }

    public Summary summary() {
        LdevidState.Stored c = current;
        return new Summary(device, c == null ? null : c.certificate().getSerialNumber().toString(16), enrolled, renewals.get(), renewalFailures.get(),
                links.stream().map(MqttLink::stats).toList(), httpsLinks.stream().map(HttpsLink::stats).toList());
    }

    private LdevidState.Stored ensureLdevid() {
        var stored = state.current();
        Instant now = clock.instant();
        if (stored.isPresent() && now.isBefore(stored.get().certificate().getNotAfter().toInstant())) {
            log.accept("using LDevID serial " + stored.get().certificate().getSerialNumber().toString(16) + " from " + state.directory()
                    + " (valid until " + stored.get().certificate().getNotAfter().toInstant() + ")");
            return stored.get();
        }
        if (stored.isPresent()) log.accept("the LDevID in " + state.directory() + " expired; enrolling again with the IDevID");
        DeviceAgent.Outcome outcome = agent.enroll(idevid.get(), null, policy);
        enrolled = true;
        X509Certificate c = outcome.ldevid().certificate();
        log.accept("enrolled: LDevID serial " + c.getSerialNumber().toString(16) + " for device " + deviceId(c) + " from " + config.est().url()
                + " (valid until " + c.getNotAfter().toInstant() + ", renewal after " + outcome.renewAfter() + ")");
        return outcome.ldevid();
    }

    /** The renewal timer: re-enroll when due, then move every connection to the new certificate. */
    void renewIfDue() {
        try {
            LdevidState.Stored before = current;
            DeviceAgent.Outcome outcome;
            if (clock.instant().isAfter(before.certificate().getNotAfter().toInstant())) {
                log.accept("the LDevID expired before it could be renewed; enrolling again with the IDevID");
                outcome = agent.enroll(idevid.get(), null, policy);
            } else if (!DeviceAgent.presentableInTls(before.certificate())) {
                // A post-quantum LDevID cannot be this agent's TLS client certificate (DeviceAgent.presentableInTls): the IDevID
                // authenticates its renewal, and the server's policy keeps it on its target CA and algorithm.
                if (!policy.due(before.certificate(), clock.instant())) return;
                log.accept("renewing through the IDevID: the LDevID's post-quantum key cannot be presented in TLS here");
                outcome = agent.enroll(idevid.get(), null, policy);
            } else {
                try {
                    outcome = agent.reenroll(policy, false);
                } catch (HallmarkException e) {
                    if (!supersededElsewhere(e)) throw e;
                    // A move to another CA revokes the old LDevID as superseded in the same transaction as the new one;
                    // when that answer never arrived, the device holds a certificate it can no longer renew with. Superseded
                    // is no security verdict (a compromised key is revoked for keyCompromise and stays locked out), so the
                    // IDevID, which the server still judges on its own, may ask again.
                    log.accept("the LDevID was superseded by a certificate this device never received (" + e.getMessage()
                            + "); enrolling again with the IDevID");
                    outcome = agent.enroll(idevid.get(), null, policy);
                }
                if (outcome.action() == DeviceAgent.Action.NOT_DUE) return;
            }
            current = outcome.ldevid();
            renewals.incrementAndGet();
            X509Certificate c = current.certificate();
            log.accept("renewed: LDevID serial " + before.certificate().getSerialNumber().toString(16) + " -> " + c.getSerialNumber().toString(16)
                    + " (valid until " + c.getNotAfter().toInstant() + ", next renewal after " + outcome.renewAfter() + ")");
            DeviceCredential renewed = current.credential();
            for (MqttLink link : links) link.rotate(renewed);
            for (HttpsLink link : httpsLinks) link.rotate(renewed);
        } catch (RuntimeException e) {
            renewalFailures.incrementAndGet();
            log.accept("renewal failed, retrying at the next check: " + e.getMessage());
        }
    }

    /** The server refused re-enrollment because the LDevID presented was revoked as superseded (ClientCertificates' wording). */
    static boolean supersededElsewhere(HallmarkException e) {
        return e.kind() == HallmarkException.Kind.FORBIDDEN && e.getMessage() != null && e.getMessage().contains(" is revoked (superseded,");
    }

    private String expand(String template) {
        return template.replace("{device}", device);
    }

    /** The device id the server put in the subject's serialNumber; the CN when there is none. */
    static String deviceId(X509Certificate cert) {
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        String serial = Issuer.serialNumberOf(subject);
        if (serial != null) return serial;
        var cn = subject.getRDNs(BCStyle.CN);
        return cn.length > 0 ? IETFUtils.valueToString(cn[0].getFirst().getValue()) : cert.getSerialNumber().toString(16);
    }

    /**
     * Stops the heartbeats and waits until every queued message has been acknowledged, so that a clean stop
     * sends what was queued; false when some are still queued at the timeout (a backend is away).
     */
    public boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
        for (ScheduledFuture<?> task : heartbeats) task.cancel(false);
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (links.stream().anyMatch(l -> l.stats().queued() > 0)) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(50);
        }
        return true;
    }

    /** Stops timers and connections; safe to call twice. */
    @Override
    public void close() {
        for (ScheduledFuture<?> task : heartbeats) task.cancel(false);
        for (ScheduledFuture<?> task : tasks) task.cancel(false);
        links.parallelStream().forEach(MqttLink::close);
        httpsLinks.forEach(HttpsLink::close);
    }
}

package io.hallmark.device.mqtt;

import io.hallmark.device.DeviceCredential;
import io.hallmark.device.TlsContexts;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One MQTT backend, held connected over mutual TLS with the device's current credential.
 * <p>
 * Messages go through a queue of this link's own, not Paho's: a message leaves it only when the broker has
 * acknowledged it (QoS 1), and whatever was in flight when a connection ends goes back to its head. So a
 * reconnect with a renewed certificate, or a failover to the next URL of the group, loses nothing; a message
 * whose acknowledgement was lost with the connection is sent twice, which QoS 1 allows (and the counters tell).
 * Each connection is a fresh Paho client, because its TLS socket factory carries the credential.
 */
public final class MqttLink implements AutoCloseable {

    /** How many messages may await their acknowledgement at once (Paho's own default limit). */
    static final int MAX_IN_FLIGHT = 10;
    /** Beyond this many queued messages the oldest heartbeat is dropped (and counted): memory is bounded while a backend is away. */
    static final int MAX_QUEUED = 100_000;
    private static final long CONNECT_TIMEOUT_MS = 15_000;
    private static final long MAX_BACKOFF_MS = 30_000;

    public record Settings(String name, List<String> urls, List<X509Certificate> brokerAnchors, String device, String clientId,
                           String publishTopic, int qos, List<String> subscribe, int keepAliveSeconds) {
        public Settings {
            urls = List.copyOf(urls);
            brokerAnchors = List.copyOf(brokerAnchors);
            subscribe = List.copyOf(subscribe);
        }
    }

    /**
     * @param published distinct messages the broker acknowledged
     * @param received  distinct heartbeats of this device that came back through a subscription
     */
    public record Stats(String name, String connectedTo, boolean connected, long queued, long published, long resent, long dropped,
                        long received, long receivedTotal, long connects, long failovers, long refusals, String lastError) {
    }

    private record Outbound(long seq, String topic, byte[] payload) {
    }

    /** One Paho client and the permits of its in-flight window; a new connection never inherits the old one's. */
    private record Connection(MqttAsyncClient client, String url, Semaphore window, CountDownLatch lost) {
    }

    private final Settings settings;
    private final ScheduledExecutorService pahoThreads;
    private final Consumer<String> log;
    private final Clock clock;

    private final LinkedBlockingDeque<Outbound> pending = new LinkedBlockingDeque<>();
    private final Map<Long, Outbound> inFlight = new ConcurrentHashMap<>();
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final Set<Long> receivedSeqs = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextSeq = new AtomicLong(1);
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong receivedTotal = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final CountDownLatch firstConnect = new CountDownLatch(1);

    private volatile DeviceCredential credential;
    private volatile boolean rotate;
    private volatile boolean closed;
    private volatile Connection connection;
    private volatile String lastError;
    private int urlIndex;
    private String lastConnectedUrl;
    private Thread worker;

    public MqttLink(Settings settings, DeviceCredential credential, ScheduledExecutorService pahoThreads, Consumer<String> log, Clock clock) {
        this.settings = settings;
        this.credential = credential;
        this.pahoThreads = pahoThreads;
        this.log = log;
        this.clock = clock;
    }

    public MqttLink start() {
        worker = Thread.ofVirtual().name("link-" + settings.name()).start(this::run);
        return this;
    }

    /** Queues the next heartbeat on the publish topic; it goes out as soon as (and as often as) a connection allows. */
    public void publishHeartbeat() {
        if (settings.publishTopic() == null) return;
        long seq = nextSeq.getAndIncrement();
        if (pending.size() >= MAX_QUEUED && pending.pollFirst() != null) dropped.incrementAndGet();
        pending.addLast(new Outbound(seq, settings.publishTopic(), new Telemetry(settings.device(), seq, clock.instant()).payload()));
    }

    /** Reconnects with {@code renewed} (after the LDevID was renewed); queued messages wait and go out on the new connection. */
    public void rotate(DeviceCredential renewed) {
        this.credential = renewed;
        this.rotate = true; // the worker looks at it within 200 ms; an interrupt could abort a connect under way and pass for a failure
    }

    /** Waits until the first connection is up; false on timeout. */
    public boolean awaitConnected(long timeout, TimeUnit unit) throws InterruptedException {
        return firstConnect.await(timeout, unit);
    }

    public Stats stats() {
        Connection c = connection;
        boolean up = c != null && c.client().isConnected();
        return new Stats(settings.name(), up ? c.url() : null, up, pending.size() + inFlight.size(), acked.size(), resent.get(), dropped.get(),
                receivedSeqs.size(), receivedTotal.get(), connects.get(), failovers.get(), refusals.get(), lastError);
    }

    /** The heartbeats sent so far (the next one's number minus one). */
    public long heartbeats() {
        return nextSeq.get() - 1;
    }

    private void run() {
        long backoff = 500;
        while (!closed) {
            Connection c = connection;
            try {
                if (c == null) {
                    rotate = false; // a new connection takes the current credential anyway
                    c = connectWithFailover();
                    if (c == null) {
                        sleep(backoff);
                        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
                        continue;
                    }
                    backoff = 500;
                    connection = c;
                    firstConnect.countDown();
                }
                if (rotate) {
                    rotate = false;
                    log.accept(settings.name() + ": reconnecting with the renewed LDevID (serial " + serial(credential) + ")");
                    drop(c, true);
                    continue;
                }
                if (c.lost().getCount() == 0) {
                    drop(c, false);
                    continue;
                }
                if (!c.window().tryAcquire(200, TimeUnit.MILLISECONDS)) continue;
                Outbound next = pending.pollFirst(200, TimeUnit.MILLISECONDS);
                if (next == null) {
                    c.window().release();
                    continue;
                }
                send(c, next);
            } catch (InterruptedException e) {
                // close() woke us; the loop looks at the flag
            }
        }
        Connection c = connection;
        if (c != null) drop(c, true);
    }

    private void send(Connection c, Outbound m) {
        inFlight.put(m.seq(), m);
        MqttMessage message = new MqttMessage(m.payload());
        message.setQos(settings.qos());
        try {
            c.client().publish(m.topic(), message, m, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked.add(m.seq());
                    inFlight.remove(m.seq());
                    c.window().release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    if (inFlight.remove(m.seq()) != null) requeue(List.of(m));
                    c.window().release();
                }
            });
        } catch (MqttException e) {
            if (inFlight.remove(m.seq()) != null) requeue(List.of(m));
            c.window().release();
            c.lost().countDown();
        }
    }

    /** Back to the head of the queue, oldest first, so the order of heartbeats survives a reconnect. */
    private void requeue(List<Outbound> messages) {
        List<Outbound> sorted = new ArrayList<>(messages);
        sorted.sort(Comparator.comparingLong(Outbound::seq).reversed());
        for (Outbound m : sorted) {
            pending.addFirst(m);
            resent.incrementAndGet();
        }
    }

    /** Ends a connection (politely when it is still up) and puts what it left unacknowledged back in the queue. */
    private void drop(Connection c, boolean polite) {
        connection = null;
        try {
            if (polite && c.client().isConnected()) c.client().disconnect(2_000).waitForCompletion(5_000);
        } catch (MqttException e) {
            // gone anyway
        }
        try {
            c.client().close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
        List<Outbound> unacked = new ArrayList<>();
        for (Long seq : List.copyOf(inFlight.keySet())) {
            Outbound m = inFlight.remove(seq);
            if (m != null && !acked.contains(seq)) unacked.add(m);
        }
        requeue(unacked);
    }

    /** Tries each URL of the group once, starting with the one last used; null when none answered. */
    private Connection connectWithFailover() {
        List<String> urls = settings.urls();
        for (int attempt = 0; attempt < urls.size() && !closed; attempt++) {
            String url = urls.get(urlIndex);
            try {
                Connection c = connect(url);
                connects.incrementAndGet();
                if (lastConnectedUrl != null && !lastConnectedUrl.equals(url)) {
                    failovers.incrementAndGet();
                    log.accept(settings.name() + ": failover from " + lastConnectedUrl + " to " + url);
                }
                lastConnectedUrl = url;
                log.accept(settings.name() + ": connected to " + url + " as " + settings.clientId() + " with certificate serial " + serial(credential)
                        + (pending.isEmpty() ? "" : " (" + pending.size() + " queued)"));
                return c;
            } catch (MqttException e) {
                // An attempt cut short by stop() says nothing about the broker: keep the last real reason.
                if (closed) return null;
                String reason = MqttReasons.describe(e);
                if (MqttReasons.refused(e)) refusals.incrementAndGet();
                lastError = url + ": " + reason;
                log.accept(settings.name() + ": cannot connect to " + url + ": " + reason
                        + (urls.size() > 1 ? "; trying " + urls.get((urlIndex + 1) % urls.size()) : ""));
                urlIndex = (urlIndex + 1) % urls.size();
            }
        }
        return null;
    }

    private Connection connect(String url) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, settings.clientId(), new MemoryPersistence(),
                new ScheduledExecutorPingSender(pahoThreads), pahoThreads);
        CountDownLatch lost = new CountDownLatch(1);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                if (!closed) {
                    lastError = url + ": " + MqttReasons.describe(cause);
                    log.accept(settings.name() + ": connection to " + url + " lost: " + MqttReasons.describe(cause));
                }
                lost.countDown();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                receivedTotal.incrementAndGet();
                Telemetry.seqOf(message.getPayload(), settings.device()).ifPresent(receivedSeqs::add);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // counted in the publish listener, which knows the message
            }
        });
        MqttConnectOptions options = new MqttConnectOptions();
        // The broker keeps this device's subscriptions and their undelivered QoS 1 messages across a reconnect.
        options.setCleanSession(false);
        options.setAutomaticReconnect(false); // this class reconnects: with the current credential, and to the next URL
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout((int) (CONNECT_TIMEOUT_MS / 1000));
        options.setMaxInflight(MAX_IN_FLIGHT);
        options.setSocketFactory(TlsContexts.create(settings.brokerAnchors(), credential).getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        try {
            client.connect(options).waitForCompletion(CONNECT_TIMEOUT_MS);
            if (!settings.subscribe().isEmpty()) {
                int[] qos = settings.subscribe().stream().mapToInt(t -> settings.qos()).toArray();
                IMqttToken token = client.subscribe(settings.subscribe().toArray(String[]::new), qos);
                token.waitForCompletion(CONNECT_TIMEOUT_MS);
                for (int granted : token.getGrantedQos()) {
                    if (granted == 0x80) throw new MqttException(MqttException.REASON_CODE_NOT_AUTHORIZED);
                }
            }
            return new Connection(client, url, new Semaphore(MAX_IN_FLIGHT), lost);
        } catch (MqttException e) {
            try {
                if (client.isConnected()) client.disconnectForcibly(1_000, 1_000);
                client.close(true);
            } catch (MqttException ignored) {
                // the connection failed; nothing to close
            }
            throw e;
        }
    }

    private static String serial(DeviceCredential c) {
        return c.certificate().getSerialNumber().toString(16);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            // woken by close()
        }
    }

    /** Stops: what is still queued stays unsent (and is counted in the last stats). */
    @Override
    public void close() {
        closed = true;
        Thread w = worker;
        if (w == null) return;
        w.interrupt();
        try {
            w.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

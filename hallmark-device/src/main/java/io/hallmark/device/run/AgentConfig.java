package io.hallmark.device.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hallmark.core.error.HallmarkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The agent's configuration file, YAML or JSON (JSON is YAML, so one parser reads both). Keys are kebab-case;
 * an unknown key is an error, so a typo is not silently a default. Relative paths are relative to the file.
 */
public record AgentConfig(Est est, Idevid idevid, Path state, Renewal renewal, List<MqttGroup> mqtt, List<HttpsEndpoint> https) {

    /** Refused before parsing: a configuration is a few kilobytes, anything far larger is the wrong file. */
    static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public AgentConfig {
        if (est == null) throw HallmarkException.badInput("the configuration needs 'est' (url, trust)");
        if (state == null) throw HallmarkException.badInput("the configuration needs 'state': the LDevID state directory");
        if (renewal == null) renewal = new Renewal(null, null);
        mqtt = mqtt == null ? List.of() : List.copyOf(mqtt);
        https = https == null ? List.of() : List.copyOf(https);
        if (mqtt.isEmpty() && https.isEmpty()) throw HallmarkException.badInput("the configuration names no endpoint: add an 'mqtt' list (or 'https')");
    }

    /** Where the EST server is and the CA certificate(s) its TLS certificate chains to. */
    public record Est(String url, String label, List<Path> trust) {
        public Est {
            if (url == null || url.isBlank()) throw HallmarkException.badInput("est.url is missing, e.g. https://est.example.com:8443");
            if (trust == null || trust.isEmpty()) throw HallmarkException.badInput("est.trust is missing: the CA certificate file(s) the EST server chains to");
            trust = List.copyOf(trust);
        }
    }

    /**
     * The IDevID: PEM files ({@code cert}, {@code key}), a PKCS#12 file ({@code p12}, {@code p12-password-file}), or a key
     * on a PKCS#11 token ({@code pkcs11}). {@code directory} is for {@code device simulate}: one NAME.pem + NAME.key per device.
     */
    public record Idevid(Path cert, Path key, Path p12, Path p12PasswordFile, Pkcs11 pkcs11, Path directory) {
    }

    /** A device key on a token: the vendor's library, the token's label, the PIN file, and the key's label (needed when the token holds several). */
    public record Pkcs11(Path library, String token, Path pinFile, String keyLabel) {
    }

    /** Renew at this share of the validity; look every {@code check-seconds}. */
    public record Renewal(Double share, Double checkSeconds) {
        public double shareOrDefault() {
            return share != null ? share : io.hallmark.device.RenewalPolicy.DEFAULT_SHARE;
        }

        public double checkSecondsOrDefault() {
            double s = checkSeconds != null ? checkSeconds : 60;
            if (!(s >= 0.1 && s <= 86_400)) throw HallmarkException.badInput("renewal.check-seconds must be between 0.1 and 86400, got " + s);
            return s;
        }
    }

    /**
     * One backend: its broker URLs in failover order (all the same backend), the CA its server certificates chain
     * to, and what to publish and subscribe. {@code {device}} in topics and the client id is the device id.
     */
    public record MqttGroup(String name, List<String> urls, @JsonProperty("ca") Path ca, String clientId, String publishTopic,
                            Double publishSeconds, Integer qos, List<String> subscribe, Integer keepAliveSeconds) {
        public MqttGroup {
            if (urls == null || urls.isEmpty()) throw HallmarkException.badInput("an mqtt entry needs 'urls': ssl://host:8883 (more URLs of the same backend for failover)");
            urls = List.copyOf(urls);
            for (String url : urls) {
                if (!url.startsWith("ssl://")) throw HallmarkException.badInput("mqtt URL '" + url + "' must be ssl://host:port: the agent connects with mutual TLS only");
            }
            if (ca == null) throw HallmarkException.badInput("mqtt entry " + urls.getFirst() + " needs 'ca': the CA certificate file its broker's certificate chains to");
            if (qos != null && (qos < 0 || qos > 2)) throw HallmarkException.badInput("mqtt qos must be 0, 1 or 2, got " + qos);
            if (publishSeconds != null && !(publishSeconds >= 0.01)) throw HallmarkException.badInput("mqtt publish-seconds must be at least 0.01, got " + publishSeconds);
            subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
            if (name == null) name = urls.getFirst();
        }
    }

    /** An HTTPS backend called with the LDevID (GET every {@code every-seconds}, default 10), e.g. nginx with ssl_verify_client on. */
    public record HttpsEndpoint(String url, @JsonProperty("ca") Path ca, Double everySeconds) {
        public HttpsEndpoint {
            if (url == null || !url.startsWith("https://")) throw HallmarkException.badInput("an https entry needs 'url': https://host:port/path");
            if (ca == null) throw HallmarkException.badInput("https entry " + url + " needs 'ca': the CA certificate file its server certificate chains to");
            if (everySeconds != null && !(everySeconds >= 0.1)) throw HallmarkException.badInput("https every-seconds must be at least 0.1, got " + everySeconds);
        }
    }

    public static AgentConfig read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) throw HallmarkException.badInput(file + " is larger than " + MAX_BYTES + " bytes: not an agent configuration");
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return YAML.readValue(text, AgentConfig.class).relativeTo(file.toAbsolutePath().getParent());
        } catch (NoSuchFileException e) {
            throw HallmarkException.notFound("no such configuration file: " + file);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof HallmarkException h) throw HallmarkException.badInput(file + ": " + h.getMessage());
            throw HallmarkException.badInput(file + ": " + firstLine(e.getOriginalMessage()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            var at = e.getLocation();
            throw HallmarkException.badInput(file + (at == null ? "" : " line " + at.getLineNr()) + " is not a valid agent configuration: "
                    + firstLine(e.getOriginalMessage()) + " (quote values holding { } [ ] or ': ')");
        } catch (IOException e) {
            throw HallmarkException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Paths in the file are relative to the file's directory, as a reader of the file would take them. */
    AgentConfig relativeTo(Path base) {
        Est e = new Est(est.url(), est.label(), est.trust().stream().map(base::resolve).toList());
        Idevid i = idevid == null ? null : new Idevid(resolve(base, idevid.cert()), resolve(base, idevid.key()), resolve(base, idevid.p12()),
                resolve(base, idevid.p12PasswordFile()),
                idevid.pkcs11() == null ? null : new Pkcs11(resolve(base, idevid.pkcs11().library()), idevid.pkcs11().token(),
                        resolve(base, idevid.pkcs11().pinFile()), idevid.pkcs11().keyLabel()),
                resolve(base, idevid.directory()));
        List<MqttGroup> m = mqtt.stream().map(g -> new MqttGroup(g.name(), g.urls(), base.resolve(g.ca()), g.clientId(), g.publishTopic(),
                g.publishSeconds(), g.qos(), g.subscribe(), g.keepAliveSeconds())).toList();
        List<HttpsEndpoint> h = https.stream().map(x -> new HttpsEndpoint(x.url(), base.resolve(x.ca()), x.everySeconds())).toList();
        return new AgentConfig(e, i, base.resolve(state), renewal, m, h);
    }

    private static Path resolve(Path base, Path p) {
        return p == null ? null : base.resolve(p);
    }
}

package io.hallmark.cli;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.device.DeviceAgent;
import io.hallmark.device.DeviceCredentials;
import io.hallmark.device.LdevidState;
import io.hallmark.device.RenewalPolicy;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** What every agent command needs: the EST server, how to trust it, and the state directory. */
final class DeviceOptions {

    @Option(names = "--server", required = true, paramLabel = "URL", description = "EST server, e.g. https://127.0.0.1:8443.")
    URI server;

    @Option(names = "--ca-cert", required = true, paramLabel = "FILE", description = "CA certificate(s) the server's TLS certificate must chain to (PEM), e.g. root.pem.")
    Path caCert;

    @Option(names = "--label", paramLabel = "L", description = "EST label (/.well-known/est/L/...); default: none.")
    String label;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "Agent state directory: STATE/current/{ldevid.pem,ldevid.key,ca-chain.pem}.")
    Path state;

    @Option(names = "--renew-at", defaultValue = "0.66", paramLabel = "SHARE",
            description = "Renew once this share of the LDevID's validity has passed (default ${DEFAULT-VALUE}).")
    double renewAt;

    DeviceAgent agent() {
        List<X509Certificate> anchors = DeviceCredentials.certificates(caCert);
        return new DeviceAgent(new DeviceAgent.Server(server, label, anchors), new LdevidState(state), Clock.systemUTC(),
                line -> System.err.println(line)); // which key it makes and why: the move a migration policy asks for
    }

    RenewalPolicy policy() {
        return new RenewalPolicy(renewAt);
    }

    /** What the agent did, for people and for scripts. */
    record Report(String action, String deviceId, String subject, String serial, Instant notBefore, Instant notAfter,
                  Instant renewAfter, String certificate, String key, String caChain, String current) {

        static Report of(DeviceAgent.Outcome o, LdevidState state) {
            X509Certificate c = o.ldevid().certificate();
            X500Name subject = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
            Path current = state.directory().resolve(LdevidState.CURRENT);
            return new Report(o.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    io.hallmark.core.issue.Issuer.serialNumberOf(subject), subject.toString(), c.getSerialNumber().toString(16),
                    c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), o.renewAfter(),
                    o.ldevid().certificateFile().toString(), o.ldevid().keyFile().toString(), o.ldevid().caChainFile().toString(),
                    current.toString());
        }

        void print(Output.JsonOption output) {
            if (output.json) {
                Output.json(this);
                return;
            }
            System.out.println(switch (action) {
                case "enrolled" -> "enrolled: new LDevID for device " + Output.safe(deviceId);
                case "renewed" -> "renewed: new LDevID for device " + Output.safe(deviceId);
                default -> "not due: the LDevID is fresh; renewal after " + renewAfter;
            });
            Output.fields(System.out, "subject", subject, "serial", serial, "valid", notBefore + " .. " + notAfter,
                    "renew after", renewAfter, "certificate", current + "/" + LdevidState.CERTIFICATE,
                    "key", current + "/" + LdevidState.KEY, "CA chain", current + "/" + LdevidState.CA_CHAIN);
        }
    }

    static void requireFile(Path file, String option) {
        if (file != null && !java.nio.file.Files.isRegularFile(file)) {
            throw HallmarkException.notFound(option + ": no such file: " + file);
        }
    }
}

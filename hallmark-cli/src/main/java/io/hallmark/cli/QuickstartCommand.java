package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.HierarchySpec;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.files.OwnerOnlyFile;
import io.hallmark.core.issue.IssuanceRequest;
import io.hallmark.core.profile.HardwareModuleName;
import io.hallmark.core.store.CertificateRecord;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "quickstart", description = {"Set up a working installation in the data directory: the default CA hierarchy "
                + "and a few demo devices with IDevIDs (keys included, for trying things out), then run the server.",
        "--hostname NAME is the name devices and relying parties reach this server by: certificates carry CRL and OCSP URLs "
                + "under http://NAME:PORT (PORT of --http-listen), the server's TLS certificate names it, and both listeners bind "
                + "all interfaces unless --listen/--http-listen say otherwise. Without it the URLs name 127.0.0.1, which is "
                + "warned about: fine on one machine, useless to any device (the demo IDevIDs then carry no URL, as a "
                + "never-expiring certificate may not carry a loopback one).",
        "Safe to run again: nothing existing is replaced or duplicated. A data directory and a database that belong to "
                + "different installations are refused (exit 5) with nothing changed."})
final class QuickstartCommand implements Callable<Integer> {

    /**
     * hwType of the demo devices: a UUID-based OID (ITU-T X.667, arc 2.25), which anyone may mint without
     * registration. Real products use an OID from the manufacturer's own arc.
     */
    static final String DEMO_HW_TYPE = "2.25.58297243260124027659267949140435482258";

    @ParentCommand
    HallmarkCommand root;

    @Option(names = "--devices", defaultValue = "5", description = "Demo devices to provision (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--no-serve", description = "Set up only; do not start the server.")
    boolean noServe;

    @Option(names = "--hostname", paramLabel = "NAME", description = "The DNS name (or IP address) devices reach this server by: "
            + "the base of the CRL and OCSP URLs in certificates, and a name of the server's TLS certificate.")
    String hostname;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "HTTPS address (default $HALLMARK_LISTEN, else 127.0.0.1:8443; 0.0.0.0:8443 with --hostname).")
    String listen;

    @Option(names = "--http-listen", paramLabel = "HOST:PORT",
            description = "Plain HTTP address (default $HALLMARK_HTTP_LISTEN, else 127.0.0.1:8080; 0.0.0.0:8080 with --hostname).")
    String httpListen;

    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() throws Exception {
        if (devices < 0 || devices > 1000) throw HallmarkException.badInput("--devices must be between 0 and 1000");
        String any = hostname == null ? "127.0.0.1" : "0.0.0.0";
        if (listen == null) listen = env("HALLMARK_LISTEN", any + ":8443");
        if (httpListen == null) httpListen = env("HALLMARK_HTTP_LISTEN", any + ":8080");
        // Port 0 (any free one) is chosen here, not by the server: the base URL certificates carry, and the hints
        // printed below, must name the port the server will answer on.
        listen = concretePort(listen, "--listen");
        httpListen = concretePort(httpListen, "--http-listen");
        // Checked before anything is opened: a bad name or address changes nothing.
        if (hostname != null) hostname = Hostnames.require(hostname, "--hostname");
        String named = hostname == null ? null : baseUrl(hostname, ServeCommand.HostPort.parse(httpListen, "--http-listen").port());
        ServeCommand.HostPort.parse(listen, "--listen");
        Hallmark hallmark = InitGuard.open(root);
        var outcomes = hallmark.init(HierarchySpec.defaults(), HallmarkCommand.actor());
        Exports.caFiles(hallmark, root.dataDir());
        String before = hallmark.publication().current().baseUrl();
        Path demo = root.dataDir().resolve("demo");
        List<DemoDevice> provisioned = new ArrayList<>();
        // With a hostname the demo IDevIDs carry its URLs; without one they are issued before the loopback URL is set,
        // since a certificate that never expires may not carry a loopback one (Publication.requireLastingUrlsFor).
        if (named != null) publishAt(hallmark, named);
        for (int i = 1; i <= devices; i++) {
            provisioned.add(provision(hallmark, demo, "DEMO-%04d".formatted(i)));
        }
        if (named == null) publishAtLoopback(hallmark, httpListen);
        var publication = hallmark.publication().current();
        Notices.publication(publication);
        List<String> names = hostname == null ? List.of() : List.of(hostname);
        Path ca = root.dataDir().resolve("ca").toAbsolutePath();
        if (output.json) {
            Output.json(new Report(root.dataDir().toAbsolutePath().toString(), hallmark.store().describe(), outcomes, publication.baseUrl(), provisioned));
            return noServe ? 0 : ServeCommand.serve(hallmark, root, listen, httpListen, names);
        }
        Notices.passphrase(root.passphrase());
        System.out.println("Hallmark is set up in " + root.dataDir().toAbsolutePath());
        System.out.println("  store:        " + hallmark.store().describe());
        System.out.println("  base URL:     " + (publication.baseUrl() == null ? "(none: certificates carry no CRL or OCSP URL)" : publication.baseUrl())
                + (before != null && !before.equals(publication.baseUrl()) ? " (was " + before + "; certificates issued before keep it)" : ""));
        for (var o : outcomes) {
            System.out.printf("  CA %-10s %s%n", o.name(), o.created() ? "created" : o.note());
        }
        System.out.println("  CA certs:     " + ca + "/{root,idevid-ca,ldevid-ca,clients-ca}.pem");
        long fresh = provisioned.stream().filter(d -> d.created).count();
        System.out.println("  demo devices: " + provisioned.size() + " IDevIDs in " + demo.toAbsolutePath() + " (" + fresh + " new)");
        if (!provisioned.isEmpty()) {
            DemoDevice d = provisioned.getFirst();
            System.out.println();
            System.out.println("Try:");
            System.out.println("  openssl verify -x509_strict -CAfile " + ca + "/root.pem -untrusted " + ca + "/idevid-ca.pem " + d.certificate);
            // How the user started this command: the installed launcher says (hallmark.command), the source tree's is ./hallmark.
            System.out.println("  " + System.getProperty("hallmark.command", "./hallmark") + " --data " + root.dataDir() + " cert list");
            if (!noServe) {
                ServeCommand.HostPort https = ServeCommand.HostPort.parse(listen, "--listen");
                String host = hostname != null ? hostname : https.host().equals("0.0.0.0") || https.host().equals("::") ? "127.0.0.1" : https.host();
                String base = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + https.port() + "/.well-known/est";
                System.out.println("  openssl req -new -key " + d.key + " -subj /CN=demo -outform DER | base64 > csr.b64");
                System.out.println("  curl --cert " + d.certificate + " --key " + d.key + " --cacert " + ca + "/root.pem \\");
                System.out.println("       -H 'Content-Type: application/pkcs10' --data-binary @csr.b64 " + base + "/simpleenroll");
            }
        }
        System.out.println();
        return noServe ? 0 : ServeCommand.serve(hallmark, root, listen, httpListen, names);
    }

    /** {@code http://NAME:PORT}, an IPv6 address in brackets, no port for 80. */
    /** {@code HOST:0} with a port free on HOST now; any other address as it is. */
    static String concretePort(String address, String option) {
        ServeCommand.HostPort hp = ServeCommand.HostPort.parse(address, option);
        if (hp.port() != 0) return address;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(hp.host()))) {
            return (hp.host().contains(":") ? "[" + hp.host() + "]" : hp.host()) + ":" + probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw HallmarkException.badInput("cannot find a free port on " + hp.host() + " for " + option + ": " + e.getMessage());
        }
    }

    static String baseUrl(String host, int port) {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + (port == 80 ? "" : ":" + port);
    }

    /** The name given is what devices reach: it replaces whatever base URL was set (certificates issued before keep theirs). */
    private static void publishAt(Hallmark hallmark, String baseUrl) {
        var current = hallmark.publication().current();
        if (!baseUrl.equals(current.baseUrl())) {
            hallmark.publication().set(PublicationCommand.withBaseUrl(current, baseUrl), HallmarkCommand.actor());
        }
    }

    /**
     * Without --hostname, a fresh installation publishes CRLs and OCSP on the server quickstart starts, at the
     * address it listens on (127.0.0.1 for all interfaces), so that what it issues carries CDP and AIA pointing
     * there; the caller warns that this is a loopback URL. A publication setting made before (even an empty one) is kept.
     */
    private static void publishAtLoopback(Hallmark hallmark, String httpListen) {
        boolean configured = hallmark.store().read(tx -> tx.config().get(io.hallmark.core.publication.Publication.CONFIG_KEY)).isPresent();
        if (!configured) {
            ServeCommand.HostPort http = ServeCommand.HostPort.parse(httpListen, "--http-listen");
            String host = http.host().equals("0.0.0.0") || http.host().equals("::") ? "127.0.0.1" : http.host();
            hallmark.publication().set(new io.hallmark.core.publication.Publication("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http.port(),
                    null, null, null, null, null), HallmarkCommand.actor());
        }
    }

    record DemoDevice(String serialNumber, String serial, String certificate, String key, boolean created) {
    }

    record Report(String dataDir, String store, List<io.hallmark.core.ca.CaService.InitOutcome> cas, String baseUrl, List<DemoDevice> devices) {
    }

    /** A device that already has its IDevID keeps it: a second run re-exports it and issues nothing. */
    private static DemoDevice provision(Hallmark hallmark, Path dir, String serialNumber) {
        Path keyFile = dir.resolve(serialNumber + ".key");
        Path certFile = dir.resolve(serialNumber + ".pem");
        var existing = hallmark.store().inTransaction(tx -> tx.devices().identity(serialNumber, "idevid").flatMap(tx.certificates()::find));
        CertificateRecord cert;
        boolean created = existing.isEmpty();
        if (created) {
            KeyPair keys = KeyAlgorithm.EC_P256.generate();
            byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=Hallmark demo sensor,O=Hallmark Demo"));
            var hw = new HardwareModuleName(new ASN1ObjectIdentifier(DEMO_HW_TYPE), serialNumber.getBytes(StandardCharsets.US_ASCII));
            cert = hallmark.issuer().issue(new IssuanceRequest("idevid-ca", "idevid", csr, serialNumber, hw, HallmarkCommand.actor())).certificate();
            try {
                Files.deleteIfExists(keyFile); // a stale key from a deleted data directory's demo
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            OwnerOnlyFile.create(keyFile, Csrs.privateKeyPem(keys).getBytes(StandardCharsets.US_ASCII));
        } else {
            cert = existing.get();
        }
        CaCommand.write(certFile, Pem.certificate(cert.der()).getBytes(StandardCharsets.US_ASCII));
        return new DemoDevice(serialNumber, cert.serial(), certFile.toAbsolutePath().toString(), keyFile.toAbsolutePath().toString(), created);
    }

    /** serve's defaults, the same variables (the docs runner and service files set them). */
    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}

package io.hallmark.cli;

import io.hallmark.core.crypto.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export's choices and refusals that need no broker running: which CAs, what each snippet says, errors and exit codes. */
class ExportBrokerCliTest {

    @TempDir
    Path dir;

    @Test
    void emqxNeedsTheDistributionPointsAndSaysSoWhenThereAreNone() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        Cli.ok(data, "export", "broker", "--type", "emqx", "--out", dir.resolve("bare").toString());
        String bare = Files.readString(dir.resolve("bare/emqx.conf"));
        assertTrue(bare.contains("WARNING: no publication base URL is set"), bare);

        Cli.ok(data, "publication", "--base-url", "http://pki.example.com");
        Cli.ok(data, "export", "broker", "--type", "emqx", "--out", dir.resolve("emqx").toString(), "--listen", "10.0.0.5:8884");
        String conf = Files.readString(dir.resolve("emqx/emqx.conf"));
        for (String line : List.of("listeners.ssl.default {", "bind = \"10.0.0.5:8884\"", "verify = verify_peer", "fail_if_no_peer_cert = true",
                "enable_crl_check = true", "mqtt.peer_cert_as_username = cn", "cacertfile = \"" + dir.resolve("emqx/ca.pem").toAbsolutePath() + "\"",
                "under http://pki.example.com")) {
            assertTrue(conf.contains(line), line + " in\n" + conf);
        }
        assertFalse(conf.contains("WARNING"), conf);
    }

    @Test
    void hivemqGetsAWellFormedConfigATruststoreOfTheChainAndTheTruthAboutRevocation() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        Cli.ok(data, "export", "broker", "--type", "hivemq", "--out", dir.resolve("hivemq").toString());
        Path xml = dir.resolve("hivemq/hivemq-config.xml");
        Document doc;
        try (InputStream in = Files.newInputStream(xml)) {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
        assertEquals("REQUIRED", doc.getElementsByTagName("client-authentication-mode").item(0).getTextContent());
        assertEquals("8883", doc.getElementsByTagName("port").item(0).getTextContent());
        assertTrue(Files.readString(xml).contains("HiveMQ CE DOES NOT CHECK REVOCATION"));

        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("hivemq/truststore.p12"))) {
            trust.load(in, "changeit".toCharArray());
        }
        assertEquals(List.of("ldevid-ca", "root"), Collections.list(trust.aliases()).stream().sorted().toList());
        assertTrue(trust.isCertificateEntry("ldevid-ca"));
    }

    @Test
    void theDefaultIsTheLdevidChainAndCaNamesAnother() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        Path out = dir.resolve("m");
        Cli.Run first = Cli.ok(data, "export", "broker", "--type", "mosquitto", "--out", out.toString());
        assertTrue(first.out().contains("wrote ca.pem, crl.pem, mosquitto.conf"), first.out());
        assertEquals(List.of("CN=Hallmark LDevID Issuing CA,O=Hallmark", "CN=Hallmark Root CA,O=Hallmark"), subjects(out.resolve("ca.pem")));
        assertEquals(2, Pem.blocks(Files.readAllBytes(out.resolve("crl.pem")), "X509 CRL").size(), "a CRL per CA of the chain");

        // Nothing changed: nothing rewritten, not even crl.pem, whose new signature alone would differ.
        FileTime crlTime = FileTime.fromMillis(0);
        Files.setLastModifiedTime(out.resolve("crl.pem"), crlTime);
        Cli.Run again = Cli.ok(data, "export", "broker", "--type", "mosquitto", "--out", out.toString());
        assertTrue(again.out().contains("up to date"), again.out());
        assertEquals(crlTime, Files.getLastModifiedTime(out.resolve("crl.pem")));

        Cli.ok(data, "export", "broker", "--type", "nginx", "--out", dir.resolve("n").toString(), "--ca", "idevid-ca", "--ca", "ldevid-ca");
        assertEquals(List.of("CN=Hallmark IDevID Issuing CA,O=Hallmark", "CN=Hallmark LDevID Issuing CA,O=Hallmark", "CN=Hallmark Root CA,O=Hallmark"),
                subjects(dir.resolve("n/ca.pem")));
        String nginx = Files.readString(dir.resolve("n/nginx.conf"));
        assertTrue(nginx.contains("ssl_verify_depth 2;"), nginx);
        assertTrue(nginx.contains("ssl_verify_client on;") && nginx.contains("ssl_crl " + dir.resolve("n/crl.pem").toAbsolutePath() + ";"), nginx);
        assertTrue(nginx.contains("proxy_set_header X-Client-Subject $ssl_client_s_dn;"), nginx);
    }

    @Test
    void badInputIsOneLineAndAnExitCode() throws Exception {
        Path data = dir.resolve("data");
        Cli.ok(data, "init");
        String out = dir.resolve("x").toString();
        assertExit(3, "--type must be one of", data, "export", "broker", "--type", "rabbitmq", "--out", out);
        assertExit(4, "no CA named 'nope'", data, "export", "broker", "--type", "mosquitto", "--out", out, "--ca", "nope");
        assertExit(3, "--server-cert and --server-key go together", data, "export", "broker", "--type", "mosquitto", "--out", out, "--server-cert", "a.pem");
        assertExit(3, "--json reports one export", data, "export", "broker", "--type", "mosquitto", "--out", out, "--json", "--watch");
        assertExit(3, "--backend is for --type nginx", data, "export", "broker", "--type", "mosquitto", "--out", out, "--backend", "http://127.0.0.1:1");
        assertExit(3, "--listen must be HOST:PORT", data, "export", "broker", "--type", "nginx", "--out", out, "--listen", "nowhere");
        assertExit(2, "mutually exclusive", data, "export", "broker", "--type", "nginx", "--out", out, "--reload-pid", "p", "--reload-command", "true");
        assertExit(4, "no pid file", data, "export", "broker", "--type", "nginx", "--out", out, "--reload-pid", dir.resolve("none.pid").toString());
        Files.writeString(dir.resolve("bad.pid"), "12; rm -rf /\n");
        Files.writeString(dir.resolve("x/ca.pem"), "changed, so the next export writes and reloads\n");
        assertExit(3, "holds no process id", data, "export", "broker", "--type", "nginx", "--out", out, "--reload-pid", dir.resolve("bad.pid").toString());
        Files.writeString(dir.resolve("x/ca.pem"), "changed again\n");
        assertExit(8, "reload command exited 3", data, "export", "broker", "--type", "nginx", "--out", out, "--reload-command", "echo no; exit 3");
    }

    private static void assertExit(int code, String message, Path data, String... args) {
        Cli.Run r = Cli.run(data, args);
        assertEquals(code, r.exit(), r::toString);
        assertTrue(r.err().contains(message), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
    }

    private static List<String> subjects(Path pem) throws Exception {
        return Pem.blocks(Files.readAllBytes(pem), "CERTIFICATE").stream().map(der -> Pem.holder(der).getSubject().toString()).sorted().toList();
    }
}

package io.hallmark.bench;

import io.hallmark.cli.Output;
import io.hallmark.core.crypto.CryptoProviders;
import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.crypto.Serials;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.BatchOutcome;
import io.hallmark.core.factory.BatchProgress;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.FactoryResult;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.ResultReader;
import io.hallmark.core.factory.ResultSink;
import io.hallmark.core.factory.wire.WireFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The factory wire formats' own cost per item, in one thread, without TLS, signing or a store: what the
 * station and the server spend turning items and results into bytes and back, NDJSON against frames.
 */
@Command(name = "wire", description = "Encode and decode cost per item of the factory wire formats (NDJSON, frames), one thread, "
        + "no TLS, signing or store: station encodes items, server decodes them to the CSR bytes the signer takes, "
        + "server encodes results from the certificate DER, station decodes them to the DER. Reports medians.")
final class BenchWire implements Callable<Integer> {

    @Option(names = "--items", defaultValue = "10000", paramLabel = "N", description = "Distinct devices (P-256 CSR, certificate) per round (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--rounds", defaultValue = "15", paramLabel = "R", description = "Timed rounds per format, alternating (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "10", paramLabel = "W", description = "Untimed rounds per format first, for the JIT (default ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    Output.JsonOption output;

    /** Median µs per item of each step, and bytes per item on the wire. */
    record Format(String format, double stationEncodeUs, double serverDecodeUs, double serverEncodeUs, double stationDecodeUs,
                  double totalUs, double requestBytes, double responseBytes) {
    }

    record Result(int items, int rounds, double csrBytes, double certificateBytes, List<Format> formats) {
    }

    private static final String[] STEPS = {"stationEncode", "serverDecode", "serverEncode", "stationDecode", "total"};

    @Override
    public Integer call() throws Exception {
        if (items < 1 || rounds < 1 || warmup < 0) {
            throw io.hallmark.core.error.HallmarkException.badInput("--items and --rounds must be positive, --warmup not negative");
        }
        CryptoProviders.install();
        List<FactoryItem> devices = new ArrayList<>(items);
        List<FactoryResult> answers = new ArrayList<>(items);
        makeDevices(devices, answers);
        double csrBytes = devices.stream().mapToInt(d -> d.csrDer().length).average().orElse(0);
        double certBytes = answers.stream().mapToInt(a -> a.certificateDer().length).average().orElse(0);

        Map<WireFormat, double[][]> samples = new EnumMap<>(WireFormat.class);
        Map<WireFormat, long[]> sizes = new EnumMap<>(WireFormat.class);
        for (WireFormat f : WireFormat.values()) samples.put(f, new double[STEPS.length][rounds]);
        for (int r = -warmup; r < rounds; r++) {
            for (WireFormat f : WireFormat.values()) {
                double[] t = round(f, devices, answers, sizes);
                if (r >= 0) for (int s = 0; s < STEPS.length; s++) samples.get(f)[s][r] = t[s];
            }
        }
        List<Format> formats = new ArrayList<>();
        for (WireFormat f : WireFormat.values()) {
            double[][] s = samples.get(f);
            formats.add(new Format(f.id(), median(s[0]), median(s[1]), median(s[2]), median(s[3]), median(s[4]),
                    (double) sizes.get(f)[0] / items, (double) sizes.get(f)[1] / items));
        }
        Result result = new Result(items, rounds, csrBytes, certBytes, formats);
        if (output.json) {
            Output.json(result);
        } else {
            System.out.printf("%d items (CSR %.0f bytes, certificate %.0f bytes), median of %d rounds, µs per item:%n", items, csrBytes, certBytes, rounds);
            System.out.printf("%-8s %15s %15s %15s %15s %9s %14s %14s%n", "format", "station encode", "server decode", "server encode",
                    "station decode", "total", "request B/item", "response B/item");
            for (Format f : formats) {
                System.out.printf("%-8s %15.2f %15.2f %15.2f %15.2f %9.2f %14.0f %14.0f%n", f.format(), f.stationEncodeUs(), f.serverDecodeUs(),
                        f.serverEncodeUs(), f.stationDecodeUs(), f.totalUs(), f.requestBytes(), f.responseBytes());
            }
        }
        return 0;
    }

    /** One pass over every item in each of the four steps; µs per item of each, and the total. */
    private static double[] round(WireFormat f, List<FactoryItem> devices, List<FactoryResult> answers, Map<WireFormat, long[]> sizes) throws Exception {
        int n = devices.size();
        long sink = 0;
        // Station: items (held as DER, as the simulator and DER files make them) to a request body.
        long t0 = System.nanoTime();
        WireFormat.ItemEncoder encoder = f.itemEncoder();
        ByteArrayOutputStream request = new ByteArrayOutputStream(n * 1024);
        for (FactoryItem d : devices) request.writeBytes(encoder.encode(d));
        long t1 = System.nanoTime();
        // Server: the request body to the CSR bytes the signer takes (base64 decoded for NDJSON).
        byte[] body = request.toByteArray();
        try (ItemSource source = f.items(new ByteArrayInputStream(body))) {
            for (BatchItem b = source.next(); b != null; b = source.next()) sink += b.item().csrBytes().length;
        }
        long t2 = System.nanoTime();
        // Server: results as the engine makes them (certificate as DER) to a response body.
        ByteArrayOutputStream response = new ByteArrayOutputStream(n * 2048);
        ResultSink results = f.results(response);
        for (FactoryResult a : answers) results.accept(new BatchOutcome(a, null, null));
        results.chunkDone(new BatchProgress(n, n, 0, 0, 0));
        long t3 = System.nanoTime();
        // Station: the response body to each certificate's DER (what goes into the device).
        ResultReader reader = f.resultReader(new ByteArrayInputStream(response.toByteArray()));
        for (FactoryResult r = reader.next(); r != null; r = reader.next()) sink += r.certificateDer().length;
        long t4 = System.nanoTime();
        if (sink == 0) throw new IllegalStateException("nothing decoded");
        sizes.put(f, new long[]{body.length, response.size()});
        double per = 1000.0 * n;
        return new double[]{(t1 - t0) / per, (t2 - t1) / per, (t3 - t2) / per, (t4 - t3) / per, (t4 - t0) / per};
    }

    /** Distinct P-256 CSRs, and for each a certificate of an IDevID's shape and size signed by one throwaway CA key. */
    private void makeDevices(List<FactoryItem> devices, List<FactoryResult> answers) throws Exception {
        KeyPair ca = KeyAlgorithm.EC_P256.generate();
        X500Name issuer = new X500Name("CN=Hallmark IDevID CA,O=Hallmark Bench");
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate());
        var ext = new JcaX509ExtensionUtils();
        java.util.Date from = new java.util.Date(), to = new java.util.Date(253402300799000L);
        for (int i = 0; i < items; i++) {
            String serial = String.format("BENCH-%08d", i);
            KeyPair keys = KeyAlgorithm.EC_P256.generate();
            byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, new X500Name("CN=device"));
            devices.add(FactoryItem.withDer(serial, csr, null, null, "secure-element"));
            BigInteger certSerial = Serials.random();
            byte[] der = new JcaX509v3CertificateBuilder(issuer, certSerial, from, to,
                    new X500Name("SERIALNUMBER=" + serial + ",CN=device,O=Hallmark Bench"), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.getPublic()))
                    .build(signer).getEncoded();
            answers.add(FactoryResult.withDer(i, serial, FactoryResult.ISSUED, Serials.hex(certSerial), der, Fingerprints.sha256Hex(der),
                    Fingerprints.sha256Hex(keys.getPublic().getEncoded()), "9999-12-31T23:59:59Z", null, null));
        }
    }

    private static double median(double[] values) {
        return BenchSupport.median(Arrays.stream(values).boxed().toList());
    }
}

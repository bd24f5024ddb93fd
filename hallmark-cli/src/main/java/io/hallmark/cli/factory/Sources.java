package io.hallmark.cli.factory;

import io.hallmark.core.crypto.Csrs;
import io.hallmark.core.crypto.KeyAlgorithm;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.factory.BatchItem;
import io.hallmark.core.factory.FactoryItem;
import io.hallmark.core.factory.ItemSource;
import io.hallmark.core.factory.wire.Ndjson;
import io.hallmark.core.issue.CheckedCsr;
import org.bouncycastle.asn1.x500.X500Name;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** The CLI's item sources. Each streams: none reads its whole input into memory. */
public final class Sources {

    private Sources() {
    }

    /** Every {@code *.csr}, {@code *.pem} or {@code *.der} file; the device serial is the file name without extension. */
    public static ItemSource csrDir(Path dir, String keyStorage) throws IOException {
        if (!Files.isDirectory(dir)) throw HallmarkException.notFound("no such directory: " + dir);
        DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{csr,pem,der}");
        Iterator<Path> it = files.iterator();
        return new ItemSource() {
            @Override
            public BatchItem next() {
                if (!it.hasNext()) return null;
                Path f = it.next();
                String name = f.getFileName().toString();
                String serial = name.substring(0, name.lastIndexOf('.'));
                try {
                    if (Files.size(f) > CheckedCsr.MAX_BYTES) {
                        return BatchItem.unreadable(f + " is too large to be a CSR");
                    }
                    return BatchItem.of(item(serial, Files.readAllBytes(f), null, null, keyStorage));
                } catch (IOException e) {
                    return BatchItem.unreadable("cannot read " + f + ": " + e.getMessage());
                }
            }

            @Override
            public void close() throws IOException {
                files.close();
            }
        };
    }

    public static long countCsrDir(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{csr,pem,der}")) {
            long n = 0;
            for (Path ignored : files) n++;
            return n;
        }
    }

    /**
     * CSV with a header naming its columns: {@code deviceSerial,csr} and optionally {@code hwType,hwSerial,keyStorage}.
     * {@code csr} is a file (relative to the CSV's directory) or the DER in base64.
     */
    public static ItemSource csv(Path file, String defaultKeyStorage) throws IOException {
        BufferedReader reader = open(file);
        String headerLine = reader.readLine();
        if (headerLine == null) throw HallmarkException.badInput(file + " is empty; expected a header line deviceSerial,csr[,hwType,hwSerial,keyStorage]");
        List<String> header = splitCsv(headerLine);
        int serial = header.indexOf("deviceSerial"), csr = header.indexOf("csr");
        int hwType = header.indexOf("hwType"), hwSerial = header.indexOf("hwSerial"), storage = header.indexOf("keyStorage");
        if (serial < 0 || csr < 0) throw HallmarkException.badInput(file + ": the header must name the columns deviceSerial and csr");
        Path base = file.toAbsolutePath().getParent();
        return new ItemSource() {
            long line = 1;

            @Override
            public BatchItem next() throws IOException {
                String text;
                do {
                    text = reader.readLine();
                    line++;
                    if (text == null) return null;
                } while (text.isBlank());
                List<String> cells = splitCsv(text);
                if (cells.size() < header.size()) {
                    return BatchItem.unreadable(file.getFileName() + " line " + line + ": " + cells.size() + " columns, header has " + header.size());
                }
                String csrValue = cells.get(csr);
                Path csrFile = base.resolve(csrValue.isBlank() ? "." : csrValue);
                String keyStorage = storage >= 0 && !cells.get(storage).isBlank() ? cells.get(storage) : defaultKeyStorage;
                try {
                    if (!csrValue.isBlank() && Files.isRegularFile(csrFile)) {
                        return BatchItem.of(item(cells.get(serial), Files.readAllBytes(csrFile), get(cells, hwType), get(cells, hwSerial), keyStorage));
                    }
                } catch (IOException | java.nio.file.InvalidPathException e) {
                    return BatchItem.unreadable("cannot read " + csrFile + ": " + e.getMessage());
                }
                return BatchItem.of(new FactoryItem(cells.get(serial), csrValue, get(cells, hwType), get(cells, hwSerial), keyStorage));
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    public static ItemSource ndjson(Path file) throws IOException {
        return Ndjson.items(Files.newInputStream(file));
    }

    public static long countLines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    /**
     * Devices made up on the spot: a fresh P-256 key and CSR each, serials {@code PREFIX00000001} on. The
     * key travels with the item (as its attachment) to the bundle writer and is never stored by Hallmark.
     */
    public static ItemSource simulate(long count, String prefix) {
        X500Name subject = new X500Name("CN=Hallmark simulated device,O=Hallmark Factory Simulation");
        return new ItemSource() {
            long made;

            @Override
            public BatchItem next() {
                if (made == count) return null;
                made++;
                KeyPair keys = KeyAlgorithm.EC_P256.generate();
                byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, subject);
                return new BatchItem(FactoryItem.withDer(prefix + String.format("%08d", made), csr, null, null, "software"), null, keys);
            }
        };
    }

    /**
     * Like {@link #simulate}, but each device's key is derived from {@code seed} and its serial, so running
     * the batch again sends the same keys and gets the same certificates back ({@code existing}) instead of
     * being refused a second key. Remote mode uses it: the seed and prefix are kept in the output directory.
     */
    public static ItemSource simulateReproducible(long count, String prefix, byte[] seed) {
        X500Name subject = new X500Name("CN=Hallmark simulated device,O=Hallmark Factory Simulation");
        return new ItemSource() {
            long made;
            final java.util.ArrayDeque<BatchItem> ready = new java.util.ArrayDeque<>();

            @Override
            public BatchItem next() {
                if (ready.isEmpty() && made < count) {
                    // Made 512 at a time on all cores, handed out in order: one thread would cap a batch at ~2,000/s.
                    long from = made;
                    int n = (int) Math.min(512, count - made);
                    made += n;
                    ready.addAll(java.util.stream.LongStream.rangeClosed(from + 1, from + n).parallel().mapToObj(i -> {
                        String serial = prefix + String.format("%08d", i);
                        KeyPair keys = derivedP256(seed, serial);
                        byte[] csr = Csrs.create(keys, KeyAlgorithm.EC_P256, subject);
                        return new BatchItem(FactoryItem.withDer(serial, csr, null, null, "software"), null, keys);
                    }).toList());
                }
                return ready.pollFirst();
            }
        };
    }

    /** A P-256 key pair that is a function of (seed, name): the JDK's generator fed by HMAC-SHA256 in counter mode. */
    static KeyPair derivedP256(byte[] seed, String name) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(seed, "HmacSHA256"));
            byte[] label = name.getBytes(StandardCharsets.UTF_8);
            java.security.SecureRandom random = new java.security.SecureRandom(new java.security.SecureRandomSpi() {
                long counter;

                @Override
                protected void engineSetSeed(byte[] s) {
                }

                @Override
                protected void engineNextBytes(byte[] bytes) {
                    for (int off = 0; off < bytes.length; ) {
                        mac.update(label);
                        mac.update(java.nio.ByteBuffer.allocate(8).putLong(counter++).array());
                        byte[] block = mac.doFinal();
                        int n = Math.min(block.length, bytes.length - off);
                        System.arraycopy(block, 0, bytes, off, n);
                        off += n;
                    }
                }

                @Override
                protected byte[] engineGenerateSeed(int n) {
                    byte[] b = new byte[n];
                    engineNextBytes(b);
                    return b;
                }
            }, null) {
            };
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC", "SunEC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new HallmarkException(HallmarkException.Kind.INTERNAL, "cannot derive a device key: " + e.getMessage(), e);
        }
    }

    /** A CSR file's item: PEM stays text, anything else is taken as DER and kept as bytes (no base64 unless NDJSON needs it). */
    private static FactoryItem item(String serial, byte[] csr, String hwType, String hwSerial, String keyStorage) {
        String text = new String(csr, 0, Math.min(csr.length, 4096), StandardCharsets.US_ASCII);
        return text.contains("-----BEGIN") ? new FactoryItem(serial, new String(csr, StandardCharsets.US_ASCII), hwType, hwSerial, keyStorage)
                : FactoryItem.withDer(serial, csr, hwType, hwSerial, keyStorage);
    }

    private static String get(List<String> cells, int i) {
        return i < 0 || cells.get(i).isBlank() ? null : cells.get(i);
    }

    private static BufferedReader open(Path file) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw HallmarkException.notFound("no such file: " + file);
        }
    }

    /** RFC 4180 cells: commas separate, double quotes enclose, doubled quotes escape. */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }
}

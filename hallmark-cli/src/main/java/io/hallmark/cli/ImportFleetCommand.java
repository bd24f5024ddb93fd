package io.hallmark.cli;

import io.hallmark.core.Hallmark;
import io.hallmark.core.ca.CaImporter;
import io.hallmark.core.ca.CertificateImporter;
import io.hallmark.core.crypto.Fingerprints;
import io.hallmark.core.crypto.Pem;
import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.store.CertificateAuthority;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "fleet", description = {"Register device certificates issued elsewhere (another PKI, or exported from a cloud platform with their CA), "
        + "so they are inventoried, can be revoked, and can move to Hallmark LDevIDs over EST.",
        "--ca-cert registers the issuing CA first: as a certificate only (Hallmark inventories and blocks its devices but signs nothing for it), "
                + "or with --ca-key / --ca-pkcs11-uri taken over like 'hallmark ca import', after which revocations also show in its CRL and OCSP answers. "
                + "A CA already registered with the same certificate is reused; without --ca-cert the CA must be registered already.",
        "Each certificate must carry that CA's signature. Its device id comes from the CSV's second column, else the subject's serialNumber, "
                + "else its CN. Serials already stored are skipped, so importing again is harmless; exit 3 if any certificate failed.",
        "The devices may enroll over EST with their old certificate only on a label that accepts the CA: "
                + "'hallmark est label set --name NAME --accept-imported CA' (never implicit)."})
final class ImportFleetCommand implements Callable<Integer> {

    @ParentCommand
    ImportCommand importCommand;

    static final class Source {
        @Option(names = "--certs", paramLabel = "DIR", description = "A directory of certificate files (*.pem, *.crt, *.cer, *.der; a PEM file may hold several).")
        Path dir;
        @Option(names = "--csv", paramLabel = "FILE", description = "Lines 'file[,device]' (optional header 'file,...'; paths relative to the CSV's directory).")
        Path csv;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;
    @Option(names = "--ca-cert", paramLabel = "FILE", description = "The issuing CA's certificate (PEM or DER), to register before the devices.")
    Path caCert;
    @Option(names = "--ca-name", paramLabel = "NAME", description = "Its name in Hallmark (lowercase letters, digits, '-'); default fleet-<first 8 hex of its SHA-256>.")
    String caName;
    @Option(names = "--ca-key", paramLabel = "FILE", description = "Its private key, if you have it and want Hallmark to publish its CRL and OCSP answers.")
    Path caKey;
    @Option(names = "--ca-pkcs11-uri", paramLabel = "URI", description = "Its key on a token (RFC 7512 pkcs11: URI), instead of --ca-key.")
    String caPkcs11Uri;
    @Option(names = "--ca-key-passphrase-file", paramLabel = "FILE", description = "The passphrase of an encrypted --ca-key (first line).")
    Path caKeyPassphraseFile;
    @Option(names = "--ca-parent", paramLabel = "NAME", description = "The Hallmark CA that signed the issuing CA, if any.")
    String caParent;
    @Mixin
    Output.JsonOption output;

    @Override
    public Integer call() {
        if (caCert == null && (caName != null || caKey != null || caPkcs11Uri != null || caParent != null)) {
            throw HallmarkException.badInput("--ca-name, --ca-key, --ca-pkcs11-uri and --ca-parent describe --ca-cert FILE; give it too");
        }
        if (caKey != null && caPkcs11Uri != null) {
            throw HallmarkException.badInput("give --ca-key or --ca-pkcs11-uri, not both");
        }
        Hallmark hallmark = importCommand.root.open();
        if (caCert != null) {
            CertificateAuthority ca = registerCa(hallmark);
            (output.json ? System.err : System.out).println((output.json ? "hallmark: " : "") + "issuing CA: " + ca.name() + " ("
                    + Output.safe(ca.subject()) + (ca.hasKey() ? ", key in the vault" : ", certificate only") + ")");
        }
        CertificateFiles.Read read = CertificateFiles.read(source.dir, source.csv, ImportFleetCommand::withDevice);
        int exit = CertificateFiles.importAndReport(hallmark, read, output.json);
        if (!output.json) {
            System.out.println("to let these devices enroll over EST with their old certificate: hallmark est label set --name LABEL --accept-imported CA");
        }
        return exit;
    }

    /** The CA of --ca-cert: the one already registered with these very bytes, or a new one. */
    private CertificateAuthority registerCa(Hallmark hallmark) {
        byte[] bytes = BoundedFiles.read(caCert, CaImportCommand.MAX_FILE);
        byte[] der = Pem.derOf(bytes, "CERTIFICATE");
        Optional<CertificateAuthority> known = hallmark.cas().list().stream().filter(c -> Arrays.equals(c.certificate(), der)).findFirst();
        if (known.isPresent()) {
            if (caName != null && !caName.equals(known.get().name())) {
                throw HallmarkException.conflict("that CA certificate is registered already, as '" + known.get().name() + "'");
            }
            return known.get();
        }
        String name = caName != null ? caName : "fleet-" + Fingerprints.sha256Hex(der).substring(0, 8);
        CaImporter.KeySource key = caKey == null && caPkcs11Uri == null ? new CaImporter.KeySource.None()
                : CaImportCommand.keySource(hallmark, caKey, caPkcs11Uri, caKeyPassphraseFile);
        return hallmark.caImporter().importCa(name, der, key, caParent, List.of(), hallmark.profiles(), HallmarkCommand.actor());
    }

    /** The device a certificate names: its subject's serialNumber, else its CN; none if neither is a usable device id. */
    static CertificateImporter.Item withDevice(CertificateImporter.Item item) {
        try {
            X500Name subject = Pem.holder(Pem.derOf(item.bytes(), "CERTIFICATE")).getSubject();
            for (ASN1ObjectIdentifier type : List.of(BCStyle.SERIALNUMBER, BCStyle.CN)) {
                RDN[] rdns = subject.getRDNs(type);
                if (rdns.length == 1) {
                    var v = rdns[0].getFirst().getValue();
                    String value = v instanceof org.bouncycastle.asn1.ASN1String text ? text.getString() : IETFUtils.valueToString(v);
                    if (CertificateFiles.validDevice(value)) return new CertificateImporter.Item(item.source(), item.bytes(), value);
                }
            }
        } catch (HallmarkException e) {
            // unreadable: the importer reports it with its reason
        }
        return item;
    }
}

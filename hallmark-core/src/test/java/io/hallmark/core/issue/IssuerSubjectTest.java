package io.hallmark.core.issue;

import io.hallmark.core.error.HallmarkException;
import io.hallmark.core.profile.Profiles;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IssuerSubjectTest {

    private static String rejected(X500Name requested, String serial, io.hallmark.core.profile.Profile profile) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> Issuer.subject(requested, serial, profile));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        return e.getMessage();
    }

    @Test
    void addsTheSerialNumberWhenTheCsrHasNone() {
        X500Name subject = Issuer.subject(new X500Name("CN=Sensor,O=Acme"), "SN-0001", Profiles.IDEVID);
        assertEquals("SN-0001", Issuer.serialNumberOf(subject));
        assertEquals(3, subject.getRDNs().length);
        assertEquals("Sensor", subject.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString());
        assertEquals("Acme", subject.getRDNs(BCStyle.O)[0].getFirst().getValue().toString());
        // X.520 serialNumber is a PrintableString.
        assertInstanceOf(DERPrintableString.class, subject.getRDNs(BCStyle.SERIALNUMBER)[0].getFirst().getValue());
    }

    @Test
    void anEmptySubjectBecomesTheSerialNumberAlone() {
        X500Name subject = Issuer.subject(new X500Name(new RDN[0]), "SN-0001", Profiles.IDEVID);
        assertEquals(1, subject.getRDNs().length);
        assertEquals("SN-0001", Issuer.serialNumberOf(subject));
    }

    @Test
    void acceptsTheSameSerialNumberAsTheCsr() {
        X500Name requested = new X500Name("CN=Sensor,SERIALNUMBER=SN-0001");
        assertSame(requested, Issuer.subject(requested, "SN-0001", Profiles.IDEVID));
        assertSame(requested, Issuer.subject(requested, null, Profiles.IDEVID));
    }

    @Test
    void rejectsADifferentSerialNumber() {
        String message = rejected(new X500Name("CN=Sensor,SERIALNUMBER=SN-0001"), "SN-0002", Profiles.IDEVID);
        assertTrue(message.contains("SN-0001") && message.contains("SN-0002") && message.contains("differs"), message);
    }

    @Test
    void rejectsSerialNumbersThatAreNotPrintableStrings() {
        assertTrue(rejected(new X500Name("CN=Sensor"), "abc\u00e9", Profiles.IDEVID).contains("printable"));
        assertTrue(rejected(new X500Name("CN=Sensor"), "a*b", Profiles.IDEVID).contains("printable"));
        assertTrue(rejected(new X500Name("CN=Sensor"), "", Profiles.IDEVID).contains("1 to 64"));
        assertTrue(rejected(new X500Name("CN=Sensor"), "x".repeat(65), Profiles.IDEVID).contains("1 to 64"));
        assertEquals("x".repeat(64), Issuer.serialNumberOf(Issuer.subject(new X500Name("CN=Sensor"), "x".repeat(64), Profiles.IDEVID)));
        assertEquals("A-1 (rev.2)/x:y=z?", Issuer.serialNumberOf(Issuer.subject(new X500Name("CN=Sensor"), "A-1 (rev.2)/x:y=z?", Profiles.IDEVID)));
    }

    @Test
    void idevidWithoutAnySerialNumberIsRefused() {
        assertTrue(rejected(new X500Name("CN=Sensor"), null, Profiles.IDEVID).contains("needs the device serial number"));
    }

    @Test
    void ldevidMayHaveNoSerialNumberButNotAnEmptySubject() {
        X500Name requested = new X500Name("CN=gateway-7");
        assertSame(requested, Issuer.subject(requested, null, Profiles.LDEVID));
        assertNull(Issuer.serialNumberOf(requested));
        assertTrue(rejected(new X500Name(new RDN[0]), null, Profiles.LDEVID).contains("empty subject"));
    }

    @Test
    void twoSerialNumbersAreAmbiguous() {
        String message = rejected(new X500Name("SERIALNUMBER=A,SERIALNUMBER=B"), null, Profiles.LDEVID);
        assertTrue(message.contains("more than one serialNumber"), message);
    }
}

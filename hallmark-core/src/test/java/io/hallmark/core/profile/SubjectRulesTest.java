package io.hallmark.core.profile;

import io.hallmark.core.error.HallmarkException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SubjectRulesTest {

    private static String refused(X500Name subject) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> SubjectRules.X520.check(subject));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static X500Name one(org.bouncycastle.asn1.ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new X500NameBuilder().addRDN(type, value).build();
    }

    @Test
    void boundsCountCharactersNotUtf16UnitsOrOctets() {
        String emoji = "\ud83d\ude00"; // one character, two UTF-16 units, four UTF-8 octets
        SubjectRules.X520.check(one(BCStyle.CN, new DERUTF8String(emoji.repeat(64))));
        assertEquals("subject commonName has 65 characters; X.520 allows at most 64", refused(one(BCStyle.CN, new DERUTF8String(emoji.repeat(65)))));
    }

    @Test
    void countryNameIsExactlyTwo() {
        SubjectRules.X520.check(one(BCStyle.C, new DERPrintableString("DE")));
        assertEquals("subject countryName has 1 characters; X.520 requires exactly 2", refused(one(BCStyle.C, new DERPrintableString("D"))));
    }

    @Test
    void directoryStringsArePrintableOrUtf8Only() {
        String bmp = refused(one(BCStyle.CN, new DERBMPString("sensor")));
        assertEquals("subject commonName is a BMPString; it must be a UTF8String or a PrintableString (RFC 5280 4.1.2.6)", bmp);
        assertTrue(refused(one(BCStyle.CN, new DERSequence())).contains("is a Sequence"));
        assertTrue(refused(one(BCStyle.EmailAddress, new DERUTF8String("a@example.com"))).contains("must be a IA5String"));
        assertTrue(refused(one(BCStyle.EmailAddress, new DERIA5String("\u00e9@example.com", false))).contains("cannot (ASCII only)"));
    }

    @Test
    void malformedUtf8IsRefusedNotThrownAsAnInternalError() throws Exception {
        ASN1Encodable badContinuation = ASN1Primitive.fromByteArray(new byte[]{0x0c, 0x02, (byte) 0xc3, 0x28});
        assertEquals("subject commonName is not a well-formed UTF8String", refused(one(BCStyle.CN, badContinuation)));
        ASN1Encodable encodedSurrogate = ASN1Primitive.fromByteArray(new byte[]{0x0c, 0x03, (byte) 0xed, (byte) 0xa0, (byte) 0x80}); // CESU-8 U+D800
        assertEquals("subject commonName is not a well-formed UTF8String", refused(one(BCStyle.CN, encodedSurrogate)));
    }

    @Test
    void loneSurrogatesInTextAreRefused() {
        SubjectAttribute cn = SubjectRules.X520.attribute(BCStyle.CN);
        HallmarkException e = assertThrows(HallmarkException.class, () -> cn.check("a\ud800b", SubjectStringType.UTF8));
        assertEquals("subject commonName is not well-formed Unicode (a lone surrogate at character 2)", e.getMessage());
        assertThrows(HallmarkException.class, () -> cn.check("ab\udc00", SubjectStringType.UTF8));
        cn.check("a\ud83d\ude00b", SubjectStringType.UTF8);
    }

    @Test
    void multiValuedRdnsAreCheckedValueByValue() {
        X500Name multi = new X500NameBuilder().addMultiValuedRDN(new AttributeTypeAndValue[]{
                new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String("ok")),
                new AttributeTypeAndValue(BCStyle.SERIALNUMBER, new DERPrintableString("SN\u001b1", false))}).build();
        assertTrue(refused(multi).startsWith("subject serialNumber contains the control character U+001B at character 3"));
    }

    @Test
    void attributeTypesOutsideTheListAreRefusedByName() {
        String street = refused(one(BCStyle.STREET, new DERUTF8String("Main St 1")));
        assertTrue(street.startsWith("subject attribute STREET 2.5.4.9 is not accepted in a device subject (accepted: commonName, countryName,"), street);
    }

    @Test
    void atMostSixteenAttributes() {
        X500NameBuilder b = new X500NameBuilder();
        for (int i = 0; i < SubjectRules.MAX_ATTRIBUTES; i++) b.addRDN(BCStyle.OU, "unit " + i);
        SubjectRules.X520.check(b.build());
        b.addRDN(BCStyle.OU, "one more");
        assertEquals("the subject has more than 16 attributes", refused(b.build()));
    }

    @Test
    void theSerialNumberRuleServesIssuerToo() {
        SubjectAttribute serial = SubjectRules.X520.attribute(BCStyle.SERIALNUMBER);
        assertTrue(serial.accepts("A-1 (rev.2)/x:y=z?"));
        assertFalse(serial.accepts("a*b"));
        assertFalse(serial.accepts("x".repeat(65)));
        assertFalse(serial.accepts(""));
        assertFalse(serial.accepts("SN\u001b[2J"));
    }
}

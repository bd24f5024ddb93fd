package io.hallmark.core.error;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParseFailureTest {

    @Test
    void aParsersReasonLosesTheExceptionNamesInIt() {
        assertEquals("ObjectIdentifier() -- Invalid DER encoding, not ended",
                ParseFailure.reason(new java.security.cert.CertificateException("java.io.IOException: ObjectIdentifier() -- Invalid DER encoding, not ended")));
        assertEquals("truncated", ParseFailure.reason(new java.io.EOFException()));
        assertEquals("malformed", ParseFailure.reason(new IllegalStateException()));
        assertEquals("malformed", ParseFailure.reason(new IllegalArgumentException("org.bouncycastle.asn1.ASN1Exception")));
        assertEquals("malformed", ParseFailure.reason(new IllegalArgumentException("failed: java.lang.NullPointerException")));
        assertEquals("malformed", ParseFailure.reason(new IllegalArgumentException(
                "malformed data: unknown object in getInstance: org.bouncycastle.asn1.DERPrintableString")));
        assertEquals("corrupted stream - out of bounds length found: 99 >= 3", ParseFailure.reason(
                new java.io.IOException("corrupted stream - out of bounds length found: 99 >= 3\n\tat somewhere")));
    }
}

package io.hallmark.core.crypto;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The hand-written DER agrees with BouncyCastle's encoder at every length-form boundary. */
class DerTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 253, 254, 65531, 65532, 70000})
    void tlvAndFirstElementMatchBouncyCastle(int size) throws Exception {
        byte[] content = new byte[size];
        for (int i = 0; i < size; i++) content[i] = (byte) i;
        byte[] octets = new DEROctetString(content).getEncoded(ASN1Encoding.DER);
        byte[] sequence = new DERSequence(new DEROctetString(content)).getEncoded(ASN1Encoding.DER);

        assertArrayEquals(octets, Der.tlv((byte) 0x04, content));
        assertArrayEquals(sequence, Der.tlv(Der.SEQUENCE, Der.header((byte) 0x04, size), content));
        assertArrayEquals(octets, Der.firstElement(sequence));
    }
}

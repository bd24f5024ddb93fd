package io.hallmark.core.vault;

import io.hallmark.core.error.HallmarkException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Pkcs11UriTest {

    @Test
    void percentEncodedValuesAreDecodedAndTheCanonicalFormRoundTrips() {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=My%20HSM;object=root-1a2b;id=%01%02%ff;type=private");
        assertEquals("My HSM", uri.token());
        assertEquals("root-1a2b", uri.object());
        assertArrayEquals(new byte[]{1, 2, (byte) 0xff}, uri.id());
        assertEquals("pkcs11:token=My%20HSM;object=root-1a2b;id=%01%02%FF;type=private", uri.toString());
        assertEquals(uri, Pkcs11Uri.parse(uri.toString()));
    }

    @Test
    void rfc7512ExamplesWithAttributesThatDoNotSelectAKeyAreAccepted() {
        // RFC 7512 section 3.3's shape: identifying attributes of the token and library are allowed and ignored.
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=Software%20PKCS%2311%20softtoken;manufacturer=Snake%20Oil,%20Inc.;object=my-key");
        assertEquals("Software PKCS#11 softtoken", uri.token());
        assertEquals("my-key", uri.alias());
        assertNull(uri.id());
    }

    @Test
    void anIdAloneNamesTheKeyByItsBytesAsText() {
        Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:token=t;id=%72%6f%6f%74");
        assertEquals("root", uri.alias());
        assertEquals("root", new String(uri.id(), StandardCharsets.UTF_8));
    }

    @Test
    void pinsLibrariesAndUnknownAttributesAreRefusedByName() {
        assertRefused("pkcs11:token=t;object=k?pin-value=1234", "'pin-value' is refused");
        assertRefused("pkcs11:token=t;object=k?module-path=/tmp/evil.so", "'module-path' is refused");
        assertRefused("pkcs11:token=t;object=k;colour=blue", "unknown attribute 'colour'");
        assertRefused("pkcs11:token=t;object=k;type=cert", "type=cert is not a private key");
        assertRefused("pkcs11:object=k", "names no token");
        assertRefused("pkcs11:token=t", "needs an 'object'");
        assertRefused("pkcs11:token=t;object=a;object=b", "given twice");
        assertRefused("pkcs11:token=t;object=%4", "truncated percent-encoding");
        assertRefused("pkcs11:token=t;object=%zz", "bad percent-encoding");
        assertRefused("pkcs11:token=t;object=a b", "must be percent-encoded");
        assertRefused("soft:root-1", "not a PKCS#11 URI");
    }

    private static void assertRefused(String uri, String expected) {
        HallmarkException e = assertThrows(HallmarkException.class, () -> Pkcs11Uri.parse(uri));
        assertEquals(HallmarkException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

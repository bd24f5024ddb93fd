package io.hallmark.server;

import io.hallmark.core.factory.wire.WireFormat;
import io.hallmark.server.factory.FactoryMediaTypes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which media type labels which factory wire format (moved from core's FramesTest with the types). */
class FactoryMediaTypesTest {

    @Test
    void eachFormatHasItsMediaTypeAndBack() {
        assertEquals("application/x-ndjson", FactoryMediaTypes.of(WireFormat.NDJSON));
        assertEquals("application/vnd.hallmark.factory-frames", FactoryMediaTypes.of(WireFormat.FRAMES));
        for (WireFormat f : WireFormat.values()) {
            assertEquals(f, FactoryMediaTypes.forMediaType(FactoryMediaTypes.of(f)));
        }
        assertNull(FactoryMediaTypes.forMediaType("application/json"));
        assertNull(FactoryMediaTypes.forMediaType(null));
    }

    @Test
    void a415NamesEveryAcceptedTypeAndWhatItIs() {
        String accepted = FactoryMediaTypes.accepted();
        assertEquals("application/x-ndjson (one JSON device request a line) or application/vnd.hallmark.factory-frames (length-prefixed CBOR frames)",
                accepted);
        assertTrue(accepted.contains(FactoryMediaTypes.FRAMES), accepted);
    }
}

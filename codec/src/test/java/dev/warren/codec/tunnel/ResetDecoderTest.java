package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.warren.codec.tunnel.WireBuilder.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResetDecoderTest
{
    private final ResetDecoder decoder = new ResetDecoder();

    @Test
    void shouldReadCodeAndMessage()
    {
        final byte[] payload = wire().u8(0xEE).u16(WireCode.DNS_ERROR).string("no such host: ä").toArray();

        assertTrue(decoder.wrap(new FencedBuffer(payload, 1, payload.length), 1, payload.length - 1));
        assertEquals(WireCode.DNS_ERROR, decoder.code());
        assertEquals("no such host: ä", decoder.message());
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 99, 103, 0xFFFF})
    void shouldReadAnUnknownCodeAsProtocolError(final int code)
    {
        final byte[] payload = wire().u16(code).string("").toArray();

        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
        assertEquals(WireCode.PROTOCOL_ERROR, decoder.code());
    }

    @Test
    void shouldAcceptAMessageOfExactly512Bytes()
    {
        final byte[] payload = wire().u16(1).string('m', 512).toArray();

        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
        assertEquals("m".repeat(512), decoder.message());
    }

    @Test
    void shouldRefuseAnOverlongMessage()
    {
        final byte[] payload = wire().u16(1).string('m', 513).toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
    }

    @Test
    void shouldRefuseTrailingOrMissingBytes()
    {
        final byte[] payload = wire().u16(1).string("abc").u8(0).toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length - 1));
        for (int length = 0; length < payload.length - 1; length++)
        {
            assertFalse(decoder.wrap(new FencedBuffer(payload, 0, length), 0, length), "payload of " + length);
        }
    }
}

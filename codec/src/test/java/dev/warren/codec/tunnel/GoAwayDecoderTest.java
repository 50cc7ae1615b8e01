package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.warren.codec.tunnel.WireBuilder.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoAwayDecoderTest
{
    private final GoAwayDecoder decoder = new GoAwayDecoder();

    @Test
    void shouldReadCodeLastStreamIdAndMessage()
    {
        final byte[] payload = wire().u8(0xEE).u16(WireCode.AUTH_FAILED).u32(0xFFFF_FFFFL).string("denied").toArray();

        assertTrue(decoder.wrap(new FencedBuffer(payload, 1, payload.length), 1, payload.length - 1));
        assertEquals(WireCode.AUTH_FAILED, decoder.code());
        assertEquals(-1, decoder.lastStreamId());
        assertEquals("denied", decoder.message());
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 99, 103, 0xFFFF})
    void shouldReadAnUnknownCodeAsProtocolError(final int code)
    {
        final byte[] payload = wire().u16(code).u32(1).string("").toArray();

        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
        assertEquals(WireCode.PROTOCOL_ERROR, decoder.code());
    }

    @Test
    void shouldRefuseAnOverlongMessage()
    {
        final byte[] longest = wire().u16(0).u32(0).string('m', 512).toArray();
        final byte[] overlong = wire().u16(0).u32(0).string('m', 513).toArray();

        assertTrue(decoder.wrap(FencedBuffer.exact(longest), 0, longest.length));
        assertFalse(decoder.wrap(FencedBuffer.exact(overlong), 0, overlong.length));
    }

    @Test
    void shouldRefuseTrailingOrMissingBytes()
    {
        final byte[] payload = wire().u16(0).u32(3).string("bye").u8(0).toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length - 1));
        for (int length = 0; length < payload.length - 1; length++)
        {
            assertFalse(decoder.wrap(new FencedBuffer(payload, 0, length), 0, length), "payload of " + length);
        }
    }
}

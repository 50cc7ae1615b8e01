package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.warren.codec.tunnel.WireBuilder.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenDecoderTest
{
    private final OpenDecoder decoder = new OpenDecoder();

    @Test
    void shouldReadEveryField()
    {
        final byte[] payload = wire().u8(0xEE).u8(2).u8(0).u16(65_535).u32(0xFFFF_FFFFL).string("example.org")
            .toArray();
        final FencedBuffer buffer = new FencedBuffer(payload, 1, payload.length);

        assertTrue(decoder.wrap(buffer, 1, payload.length - 1));
        assertEquals(TunnelFrameEncoder.KIND_HTTP, decoder.kind());
        assertEquals(65_535, decoder.port());
        assertEquals(-1, decoder.connectTimeoutMs());
        assertEquals("example.org", decoder.host());
    }

    @Test
    void shouldAcceptAHostOfExactly255Bytes()
    {
        final byte[] payload = wire().u8(1).u8(0).u16(1).u32(0).string('h', 255).toArray();

        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
        assertEquals("h".repeat(255), decoder.host());
    }

    @Test
    void shouldIgnoreTheReservedByte()
    {
        final byte[] payload = wire().u8(1).u8(0xFF).u16(22).u32(0).string("h").toArray();

        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 4, 0x7F, 0x80, 0xFF})
    void shouldRefuseAnUnknownKind(final int kind)
    {
        final byte[] payload = wire().u8(kind).u8(0).u16(80).u32(0).string("h").toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
    }

    @Test
    void shouldRefusePortZero()
    {
        final byte[] payload = wire().u8(1).u8(0).u16(0).u32(0).string("h").toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
    }

    @Test
    void shouldRefuseAnEmptyOrOverlongHost()
    {
        final byte[] empty = wire().u8(1).u8(0).u16(80).u32(0).string("").toArray();
        final byte[] overlong = wire().u8(1).u8(0).u16(80).u32(0).string('h', 256).toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(empty), 0, empty.length));
        assertFalse(decoder.wrap(FencedBuffer.exact(overlong), 0, overlong.length));
    }

    @Test
    void shouldRefuseTrailingOrMissingBytes()
    {
        final byte[] payload = wire().u8(1).u8(0).u16(80).u32(0).string("host").u8(0).toArray();
        final FencedBuffer buffer = FencedBuffer.exact(payload);

        assertFalse(decoder.wrap(buffer, 0, payload.length));
        assertTrue(decoder.wrap(buffer, 0, payload.length - 1));
        for (int length = 0; length < payload.length - 1; length++)
        {
            assertFalse(decoder.wrap(new FencedBuffer(payload, 0, length), 0, length), "payload of " + length);
        }
    }
}

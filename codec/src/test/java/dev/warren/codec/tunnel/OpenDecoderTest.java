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

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 0x80, 0xFF})
    void shouldRefuseFlagsOnATcpOpen(final int flags)
    {
        final byte[] payload = wire().u8(1).u8(flags).u16(22).u32(0).string("h").string("sni").toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {TunnelFrameEncoder.OPEN_VERIFY_FULL, TunnelFrameEncoder.OPEN_VERIFY_CA,
        TunnelFrameEncoder.OPEN_VERIFY_DISABLED})
    void shouldRoundTripAnHttpsOpen(final int verification)
    {
        final org.agrona.ExpandableArrayBuffer buffer = new org.agrona.ExpandableArrayBuffer();
        final int length = TunnelFrameEncoder.open(buffer, 0, 7, TunnelFrameEncoder.KIND_HTTP, "10.0.0.5", 8443, 1500,
            TunnelFrameEncoder.OPEN_TLS | verification, "anything.example");
        final byte[] payload = new byte[length - FrameHeader.LENGTH];
        buffer.getBytes(FrameHeader.LENGTH, payload);
        final FencedBuffer fenced = new FencedBuffer(payload, 0, payload.length);

        assertTrue(decoder.wrap(fenced, 0, payload.length));
        assertEquals(TunnelFrameEncoder.KIND_HTTP, decoder.kind());
        assertTrue(decoder.isTls());
        assertEquals(verification, decoder.verification());
        assertEquals("10.0.0.5", decoder.host());
        assertEquals(8443, decoder.port());
        assertEquals(1500, decoder.connectTimeoutMs());
        assertEquals("anything.example", decoder.serverName());
        for (int cut = 0; cut < payload.length; cut++)
        {
            assertFalse(decoder.wrap(new FencedBuffer(payload, 0, cut), 0, cut), "payload cut to " + cut);
        }
    }

    @Test
    void shouldKeepAPlainOpenWithoutFlagsOrServerName()
    {
        final org.agrona.ExpandableArrayBuffer buffer = new org.agrona.ExpandableArrayBuffer();
        final int length = TunnelFrameEncoder.open(buffer, 0, 1, TunnelFrameEncoder.KIND_TCP, "h", 22, 0);

        assertEquals(FrameHeader.LENGTH + 8 + 2 + 1, length);
        assertTrue(decoder.wrap(buffer, FrameHeader.LENGTH, length - FrameHeader.LENGTH));
        assertEquals(0, decoder.flags());
        assertFalse(decoder.isTls());
        assertEquals(null, decoder.serverName());
    }

    @Test
    void shouldAcceptAServerNameOfExactly255Bytes()
    {
        final byte[] payload = wire().u8(2).u8(TunnelFrameEncoder.OPEN_TLS | TunnelFrameEncoder.OPEN_VERIFY_CA)
            .u16(443).u32(0).string("h").string('s', 255).toArray();

        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
        assertEquals("s".repeat(255), decoder.serverName());
    }

    @Test
    void shouldRefuseInvalidFlagsAndServerNamesWhenEncoding()
    {
        final org.agrona.ExpandableArrayBuffer buffer = new org.agrona.ExpandableArrayBuffer();
        final int tls = TunnelFrameEncoder.OPEN_TLS;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TunnelFrameEncoder.open(
            buffer, 0, 1, TunnelFrameEncoder.KIND_TCP, "h", 443, 0, tls, "sni"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TunnelFrameEncoder.open(
            buffer, 0, 1, TunnelFrameEncoder.KIND_HTTP, "h", 443, 0, tls, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TunnelFrameEncoder.open(
            buffer, 0, 1, TunnelFrameEncoder.KIND_HTTP, "h", 443, 0, 0, "sni"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TunnelFrameEncoder.open(
            buffer, 0, 1, TunnelFrameEncoder.KIND_HTTP, "h", 443, 0, tls | 0x06, "sni"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TunnelFrameEncoder.open(
            buffer, 0, 1, TunnelFrameEncoder.KIND_HTTP, "h", 443, 0, tls, ""));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TunnelFrameEncoder.open(
            buffer, 0, 1, TunnelFrameEncoder.KIND_HTTP, "h", 443, 0, tls, "s".repeat(256)));
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

package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static dev.warren.codec.tunnel.FrameHeader.TYPE_AUTH;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_CHALLENGE;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_HELLO;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_WELCOME;
import static dev.warren.codec.tunnel.WireBuilder.wire;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeDecoderTest
{
    private static final byte[] NONCE = filled(32, 0x5A);
    private static final byte[] PROOF = filled(32, 0xA5);

    private final HandshakeDecoder decoder = new HandshakeDecoder();

    @Test
    void shouldReadAHello()
    {
        final byte[] payload = wire().u8(0xEE).u8(1).u8(0xFF).string("tun_1").bytes(NONCE).toArray();

        assertTrue(decoder.wrap(TYPE_HELLO, new FencedBuffer(payload, 1, payload.length), 1, payload.length - 1));
        assertEquals(TYPE_HELLO, decoder.type());
        assertEquals(1, decoder.minVersion());
        assertEquals(255, decoder.maxVersion());
        assertEquals("tun_1", decoder.tunnelId());
        assertArrayEquals(NONCE, decoder.nonce());
    }

    @Test
    void shouldReadAChallenge()
    {
        final byte[] payload = wire().u8(0xEE).u8(0xFE).bytes(NONCE).toArray();

        assertTrue(decoder.wrap(TYPE_CHALLENGE, new FencedBuffer(payload, 1, payload.length), 1, payload.length - 1));
        assertEquals(TYPE_CHALLENGE, decoder.type());
        assertEquals(254, decoder.version());
        assertArrayEquals(NONCE, decoder.nonce());
    }

    @Test
    void shouldReadAnAuth()
    {
        final byte[] payload = wire().u8(0xEE).bytes(PROOF).u32(1).u32(2).u32(3).u32(-4).toArray();

        assertTrue(decoder.wrap(TYPE_AUTH, new FencedBuffer(payload, 1, payload.length), 1, payload.length - 1));
        assertEquals(TYPE_AUTH, decoder.type());
        assertArrayEquals(PROOF, decoder.proof());
        assertEquals(new TunnelLimits(1, 2, 3, -4), decoder.limits());
    }

    @Test
    void shouldReadAWelcome()
    {
        final byte[] payload = wire().u8(0xEE).bytes(PROOF).u64(0x0102030405060708L).u32(5).u32(6).u32(7).u32(8)
            .toArray();

        assertTrue(decoder.wrap(TYPE_WELCOME, new FencedBuffer(payload, 1, payload.length), 1, payload.length - 1));
        assertEquals(TYPE_WELCOME, decoder.type());
        assertArrayEquals(PROOF, decoder.proof());
        assertEquals(0x0102030405060708L, decoder.connectionId());
        assertEquals(new TunnelLimits(5, 6, 7, 8), decoder.limits());
    }

    @Test
    void shouldRefuseAHelloOfTheWrongShape()
    {
        assertRefused(TYPE_HELLO, new byte[0]);
        assertRefused(TYPE_HELLO, new byte[1]);
        assertRefused(TYPE_HELLO, new byte[2]);
        assertRefused(TYPE_HELLO, wire().u8(1).u8(1).string("t").zeros(31).toArray());
        assertRefused(TYPE_HELLO, wire().u8(1).u8(1).string("t").zeros(33).toArray());
        assertRefused(TYPE_HELLO, wire().u8(1).u8(1).string('t', 256).zeros(32).toArray());
        assertRefused(TYPE_HELLO, wire().u8(1).u8(1).u16(40).zeros(32).toArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 32, 34, 64})
    void shouldRefuseAChallengeOfTheWrongLength(final int length)
    {
        assertRefused(TYPE_CHALLENGE, new byte[length]);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, 47, 49, 56})
    void shouldRefuseAnAuthOfTheWrongLength(final int length)
    {
        assertRefused(TYPE_AUTH, new byte[length]);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, 48, 55, 57})
    void shouldRefuseAWelcomeOfTheWrongLength(final int length)
    {
        assertRefused(TYPE_WELCOME, new byte[length]);
    }

    @ParameterizedTest
    @ValueSource(ints = {FrameHeader.TYPE_DATA, FrameHeader.TYPE_PING, FrameHeader.TYPE_GO_AWAY, 0x14, 0xFF})
    void shouldRefuseANonHandshakeType(final int type)
    {
        assertRefused(type, new byte[48]);
    }

    private void assertRefused(final int type, final byte[] payload)
    {
        assertFalse(decoder.wrap(type, FencedBuffer.exact(payload), 0, payload.length),
            "type " + type + ", " + payload.length + " bytes");
    }

    private static byte[] filled(final int length, final int value)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)value);
        return bytes;
    }
}

package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import org.junit.jupiter.api.Test;

import static dev.warren.codec.tunnel.WireBuilder.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAckDecoderTest
{
    private final OpenAckDecoder decoder = new OpenAckDecoder();

    @Test
    void shouldReadBothAddresses()
    {
        final byte[] payload = wire().u8(0xEE).string("[::1]:443").string("10.1.2.3:50000").toArray();

        assertTrue(decoder.wrap(new FencedBuffer(payload, 1, payload.length), 1, payload.length - 1));
        assertEquals("[::1]:443", decoder.remote());
        assertEquals("10.1.2.3:50000", decoder.local());
    }

    @Test
    void shouldAcceptEmptyAndLongestAddresses()
    {
        final byte[] empty = wire().string("").string("").toArray();
        final byte[] longest = wire().string('r', 255).string('l', 255).toArray();

        assertTrue(decoder.wrap(FencedBuffer.exact(empty), 0, empty.length));
        assertEquals("", decoder.remote());
        assertEquals("", decoder.local());
        assertTrue(decoder.wrap(FencedBuffer.exact(longest), 0, longest.length));
        assertEquals("l".repeat(255), decoder.local());
    }

    @Test
    void shouldRefuseAnOverlongAddress()
    {
        final byte[] remote = wire().string('r', 256).string("l").toArray();
        final byte[] local = wire().string("r").string('l', 256).toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(remote), 0, remote.length));
        assertFalse(decoder.wrap(FencedBuffer.exact(local), 0, local.length));
    }

    @Test
    void shouldRefuseTrailingOrMissingBytes()
    {
        final byte[] payload = wire().string("a:1").string("b:2").u8(0).toArray();

        assertFalse(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length));
        assertTrue(decoder.wrap(FencedBuffer.exact(payload), 0, payload.length - 1));
        for (int length = 0; length < payload.length - 1; length++)
        {
            assertFalse(decoder.wrap(new FencedBuffer(payload, 0, length), 0, length), "payload of " + length);
        }
    }
}

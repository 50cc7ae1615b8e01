package dev.warren.loadgen.target;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EchoVerifierTest
{
    @Test
    void shouldAcceptTheEchoInPiecesAcrossPayloads()
    {
        final ByteBuffer payload = EchoVerifier.randomPayload(13, 42);
        final EchoVerifier verifier = new EchoVerifier(payload);
        final byte[] echo = repeat(payload, 3);
        assertTrue(verifier.verify(ByteBuffer.wrap(echo, 0, 5)));
        assertTrue(verifier.verify(ByteBuffer.wrap(echo, 5, 20))); // crosses into the second payload
        assertEquals(12, verifier.offset());
        assertTrue(verifier.verify(ByteBuffer.wrap(echo, 25, 14)));
        assertEquals(0, verifier.offset());
    }

    @Test
    void shouldFindAChangedByte()
    {
        final ByteBuffer payload = EchoVerifier.randomPayload(100, 7);
        final byte[] echo = repeat(payload, 1);
        echo[77] ^= 1;
        assertFalse(new EchoVerifier(payload).verify(ByteBuffer.wrap(echo)));
    }

    @Test
    void shouldLeaveTheBufferAsItWas()
    {
        final ByteBuffer payload = EchoVerifier.randomPayload(16, 1);
        final ByteBuffer echo = ByteBuffer.allocateDirect(16).put(payload.duplicate()).flip();
        assertTrue(new EchoVerifier(payload).verify(echo));
        assertEquals(0, echo.position());
        assertEquals(16, echo.limit());
    }

    @Property(tries = 300)
    void shouldAgreeWithAByteByByteComparison(
        @ForAll @IntRange(min = 1, max = 70) final int size,
        @ForAll @IntRange(min = 1, max = 50) final int chunk,
        @ForAll @IntRange(min = -1, max = 209) final int corrupt)
    {
        final ByteBuffer payload = EchoVerifier.randomPayload(size, size * 31L + chunk);
        final byte[] echo = repeat(payload, (210 + size - 1) / size);
        if (corrupt >= 0 && corrupt < echo.length)
        {
            echo[corrupt] ^= 0x40;
        }
        final EchoVerifier verifier = new EchoVerifier(payload);
        boolean allMatch = true;
        for (int at = 0; at < echo.length; at += chunk)
        {
            final ByteBuffer piece = ByteBuffer.allocateDirect(Math.min(chunk, echo.length - at));
            piece.put(echo, at, piece.capacity()).flip();
            allMatch &= verifier.verify(piece);
        }
        assertEquals(corrupt < 0 || corrupt >= echo.length, allMatch);
        assertEquals(echo.length % size, verifier.offset());
    }

    private static byte[] repeat(final ByteBuffer payload, final int times)
    {
        final int size = payload.capacity();
        final byte[] bytes = new byte[size * times];
        for (int i = 0; i < times; i++)
        {
            payload.duplicate().clear().get(bytes, i * size, size);
        }
        return bytes;
    }
}

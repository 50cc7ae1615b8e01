package dev.warren.codec.tunnel;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FrameHeaderTest
{
    @Test
    void shouldWriteTheTwelveByteHeaderLittleEndian()
    {
        final byte[] bytes = new byte[FrameHeader.LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        FrameHeader.write(buffer, 0, FrameHeader.TYPE_OPEN, 0x1234, 0x0A0B0C0D, 0x01020304);

        assertArrayEquals(new byte[]{
            0x01,                   // version
            0x02,                   // type OPEN
            0x34, 0x12,             // flags
            0x0D, 0x0C, 0x0B, 0x0A, // stream id
            0x04, 0x03, 0x02, 0x01, // length
        }, bytes);
    }

    @Test
    void shouldPlaceFieldsAtTheDocumentedOffsets()
    {
        assertEquals(12, FrameHeader.LENGTH);
        assertEquals(0, FrameHeader.VERSION_OFFSET);
        assertEquals(1, FrameHeader.TYPE_OFFSET);
        assertEquals(2, FrameHeader.FLAGS_OFFSET);
        assertEquals(4, FrameHeader.STREAM_ID_OFFSET);
        assertEquals(8, FrameHeader.LENGTH_OFFSET);
        assertEquals(1, FrameHeader.VERSION);
    }

    @Test
    void shouldUseTheDocumentedTypeCodesAndFlags()
    {
        assertEquals(0x00, FrameHeader.TYPE_DATA);
        assertEquals(0x01, FrameHeader.TYPE_WINDOW_UPDATE);
        assertEquals(0x02, FrameHeader.TYPE_OPEN);
        assertEquals(0x03, FrameHeader.TYPE_OPEN_ACK);
        assertEquals(0x04, FrameHeader.TYPE_RESET);
        assertEquals(0x05, FrameHeader.TYPE_PING);
        assertEquals(0x06, FrameHeader.TYPE_GO_AWAY);
        assertEquals(0x10, FrameHeader.TYPE_HELLO);
        assertEquals(0x11, FrameHeader.TYPE_CHALLENGE);
        assertEquals(0x12, FrameHeader.TYPE_AUTH);
        assertEquals(0x13, FrameHeader.TYPE_WELCOME);
        assertEquals(0x1, FrameHeader.FLAG_FIN);
        assertEquals(0x2, FrameHeader.FLAG_ACK);
        assertEquals(Integer.MAX_VALUE, FrameHeader.MAX_WINDOW);
    }

    @Test
    void shouldReadBackWhatItWrote()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);

        FrameHeader.write(buffer, 7, FrameHeader.TYPE_RESET, FrameHeader.FLAG_FIN, 77, 123);

        assertEquals(FrameHeader.VERSION, FrameHeader.version(buffer, 7));
        assertEquals(FrameHeader.TYPE_RESET, FrameHeader.type(buffer, 7));
        assertEquals(FrameHeader.FLAG_FIN, FrameHeader.flags(buffer, 7));
        assertEquals(77, FrameHeader.streamId(buffer, 7));
        assertEquals(123L, FrameHeader.length(buffer, 7));
    }

    @Test
    void shouldReadFlagsAndLengthUnsigned()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FrameHeader.LENGTH]);

        FrameHeader.write(buffer, 0, FrameHeader.TYPE_DATA, 0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFF);

        assertEquals(0xFFFF, FrameHeader.flags(buffer, 0));
        assertEquals(0xFFFF_FFFFL, FrameHeader.length(buffer, 0));
        assertEquals(-1, FrameHeader.streamId(buffer, 0));
    }

    @Test
    void shouldNotTouchBytesAroundTheHeader()
    {
        final byte[] bytes = new byte[FrameHeader.LENGTH + 2];
        bytes[0] = 0x55;
        bytes[bytes.length - 1] = 0x66;

        FrameHeader.write(new UnsafeBuffer(bytes), 1, FrameHeader.TYPE_PING, 0, 0, 8);

        assertEquals(0x55, bytes[0]);
        assertEquals(0x66, bytes[bytes.length - 1]);
        assertEquals(FrameHeader.VERSION, bytes[1]);
    }

    @Test
    void shouldNameEveryType()
    {
        assertEquals("DATA", FrameHeader.typeName(FrameHeader.TYPE_DATA));
        assertEquals("WINDOW_UPDATE", FrameHeader.typeName(FrameHeader.TYPE_WINDOW_UPDATE));
        assertEquals("OPEN", FrameHeader.typeName(FrameHeader.TYPE_OPEN));
        assertEquals("OPEN_ACK", FrameHeader.typeName(FrameHeader.TYPE_OPEN_ACK));
        assertEquals("RESET", FrameHeader.typeName(FrameHeader.TYPE_RESET));
        assertEquals("PING", FrameHeader.typeName(FrameHeader.TYPE_PING));
        assertEquals("GO_AWAY", FrameHeader.typeName(FrameHeader.TYPE_GO_AWAY));
        assertEquals("HELLO", FrameHeader.typeName(FrameHeader.TYPE_HELLO));
        assertEquals("CHALLENGE", FrameHeader.typeName(FrameHeader.TYPE_CHALLENGE));
        assertEquals("AUTH", FrameHeader.typeName(FrameHeader.TYPE_AUTH));
        assertEquals("WELCOME", FrameHeader.typeName(FrameHeader.TYPE_WELCOME));
        assertEquals("UNKNOWN(7)", FrameHeader.typeName(7));
    }
}

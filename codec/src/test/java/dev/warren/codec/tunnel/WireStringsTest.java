package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static dev.warren.codec.tunnel.WireBuilder.wire;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WireStringsTest
{
    @Test
    void shouldWriteALittleEndianLengthThenTheUtf8Bytes()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);

        final int written = WireStrings.write(buffer, 1, "aé", 255);

        assertEquals(5, written);
        assertArrayEquals(new byte[]{0, 3, 0, 'a', (byte)0xC3, (byte)0xA9, 0, 0}, buffer.byteArray());
        assertEquals("aé", WireStrings.read(buffer, 1));
    }

    @Test
    void shouldCutToTheMaximumLength()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();

        assertEquals(2 + 255, WireStrings.write(buffer, 0, "x".repeat(256), WireStrings.MAX_HOST_LENGTH));
        assertEquals("x".repeat(255), WireStrings.read(buffer, 0));
        assertEquals(2 + 512, WireStrings.write(buffer, 0, "y".repeat(70_000), WireStrings.MAX_MESSAGE_LENGTH));
        assertEquals("y".repeat(512), WireStrings.read(buffer, 0));
    }

    @Test
    void shouldWriteAsciiAndNonAsciiAlike()
    {
        final UnsafeBuffer ascii = new UnsafeBuffer(new byte[16]);
        final UnsafeBuffer mixed = new UnsafeBuffer(new byte[16]);

        assertEquals(2 + 9, WireStrings.write(ascii, 0, "127.0.0.1", 255));
        assertEquals("127.0.0.1", WireStrings.read(ascii, 0));
        assertEquals(2 + 3, WireStrings.write(mixed, 0, "a\u00e9b", 3), "cut after the two-byte char");
        assertEquals("a\u00e9", WireStrings.read(mixed, 0));
        assertEquals(2 + 1, WireStrings.write(mixed, 0, "a\u00e9b", 2), "never inside it");
        assertEquals("a", WireStrings.read(mixed, 0));
        assertEquals(2 + 3, WireStrings.write(mixed, 0, "abcd", 3), "an ASCII string longer than the limit is cut");
        assertEquals("abc", WireStrings.read(mixed, 0));
    }

    @Test
    void shouldMatchOnlyTheSameAsciiString()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);
        WireStrings.write(buffer, 0, "db.internal", 255);

        assertEquals(true, WireStrings.matches(buffer, 0, "db.internal"));
        assertEquals(false, WireStrings.matches(buffer, 0, "db.internaL"));
        assertEquals(false, WireStrings.matches(buffer, 0, "db.interna"));
        assertEquals(false, WireStrings.matches(buffer, 0, null));
        WireStrings.write(buffer, 0, "\u00e9", 255);
        assertEquals(false, WireStrings.matches(buffer, 0, "\u00e9"), "non-ASCII never matches: decoded afresh");
    }

    @Test
    void shouldWriteAnEmptyString()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2]);

        assertEquals(2, WireStrings.write(buffer, 0, "", 10));
        assertEquals("", WireStrings.read(buffer, 0));
        assertEquals(2, WireStrings.end(buffer, 0, 2, 10));
    }

    @Test
    void shouldFindTheEndOfAStringThatFits()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(wire().u8(0xEE).string("abc").u8(0xEE).toArray());

        assertEquals(6, WireStrings.end(buffer, 1, 6, 3));
        assertEquals(6, WireStrings.end(buffer, 1, 7, 255));
    }

    @Test
    void shouldRefuseAStringLongerThanTheMaximum()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(wire().string("abcd").toArray());

        assertEquals(-1, WireStrings.end(buffer, 0, 6, 3));
    }

    @Test
    void shouldRefuseAStringThatDoesNotFitBeforeTheLimit()
    {
        final FencedBuffer buffer = FencedBuffer.exact(wire().string("abcd").toArray());

        assertEquals(-1, WireStrings.end(buffer, 0, 5, 255));
        assertEquals(-1, WireStrings.end(buffer, 0, 1, 255));
        assertEquals(-1, WireStrings.end(buffer, 0, 0, 255));
        assertEquals(-1, WireStrings.end(buffer, 5, 6, 255));
    }

    @Test
    void shouldReadTheLengthUnsigned()
    {
        final FencedBuffer buffer = FencedBuffer.exact(wire().u16(0xFFFF).zeros(10).toArray());

        assertEquals(-1, WireStrings.end(buffer, 0, 12, 0xFFFF));
    }
}

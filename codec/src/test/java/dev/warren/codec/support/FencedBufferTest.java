package dev.warren.codec.support;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The hostile-input properties rely on this helper catching stray reads, so it is tested too. */
class FencedBufferTest
{
    private final FencedBuffer buffer = new FencedBuffer(new byte[16], 4, 12);

    @Test
    void shouldReadInsideTheFence()
    {
        buffer.putInt(4, 0x01020304, LITTLE_ENDIAN);

        assertEquals(0x01020304, buffer.getInt(4, LITTLE_ENDIAN));
        assertEquals(0, buffer.getLong(4, LITTLE_ENDIAN) >>> 32);
        assertEquals(0, buffer.getByte(11));
        buffer.getBytes(4, new byte[8]);
    }

    @Test
    void shouldRefuseReadsThatLeaveTheFence()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getByte(3));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getByte(12));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getShort(11, LITTLE_ENDIAN));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getInt(9, LITTLE_ENDIAN));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(5, LITTLE_ENDIAN));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getBytes(4, new byte[9]));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getBytes(3, new byte[2], 0, 2));
    }

    @Test
    void shouldLeaveAgronaBoundsChecksOn()
    {
        final FencedBuffer exact = FencedBuffer.exact(new byte[4]);
        exact.fence(0, 4);

        assertThrows(IndexOutOfBoundsException.class, () -> exact.getInt(1, LITTLE_ENDIAN));
        assertThrows(IndexOutOfBoundsException.class, () -> new UnsafeBuffer(new byte[4]).getInt(1));
    }
}

package dev.warren.codec.support;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An {@link UnsafeBuffer} over a byte array that refuses every read outside a fence {@code [from, to)} with
 * {@link IndexOutOfBoundsException}: the bytes the code under test was given, and no others. Agrona's own
 * bounds checks (left on by the surefire flags) only guard the ends of the array.
 */
public final class FencedBuffer extends UnsafeBuffer
{
    private int from;
    private int to;

    public FencedBuffer(final byte[] array, final int from, final int to)
    {
        super(array);
        fence(from, to);
    }

    /** A buffer over exactly {@code array}, fenced to all of it. */
    public static FencedBuffer exact(final byte[] array)
    {
        return new FencedBuffer(array, 0, array.length);
    }

    public void fence(final int from, final int to)
    {
        if (from < 0 || to < from || to > capacity())
        {
            throw new IllegalArgumentException("fence [" + from + ", " + to + ") on " + capacity() + " bytes");
        }
        this.from = from;
        this.to = to;
    }

    private void check(final int index, final int length)
    {
        if (index < from || length < 0 || (long)index + length > to)
        {
            throw new IndexOutOfBoundsException(
                "read of " + length + " at " + index + " outside the fence [" + from + ", " + to + ")");
        }
    }

    @Override
    public byte getByte(final int index)
    {
        check(index, Byte.BYTES);
        return super.getByte(index);
    }

    @Override
    public short getShort(final int index)
    {
        check(index, Short.BYTES);
        return super.getShort(index);
    }

    @Override
    public short getShort(final int index, final ByteOrder byteOrder)
    {
        check(index, Short.BYTES);
        return super.getShort(index, byteOrder);
    }

    @Override
    public char getChar(final int index)
    {
        check(index, Character.BYTES);
        return super.getChar(index);
    }

    @Override
    public char getChar(final int index, final ByteOrder byteOrder)
    {
        check(index, Character.BYTES);
        return super.getChar(index, byteOrder);
    }

    @Override
    public int getInt(final int index)
    {
        check(index, Integer.BYTES);
        return super.getInt(index);
    }

    @Override
    public int getInt(final int index, final ByteOrder byteOrder)
    {
        check(index, Integer.BYTES);
        return super.getInt(index, byteOrder);
    }

    @Override
    public long getLong(final int index)
    {
        check(index, Long.BYTES);
        return super.getLong(index);
    }

    @Override
    public long getLong(final int index, final ByteOrder byteOrder)
    {
        check(index, Long.BYTES);
        return super.getLong(index, byteOrder);
    }

    @Override
    public void getBytes(final int index, final byte[] dst)
    {
        check(index, dst.length);
        super.getBytes(index, dst);
    }

    @Override
    public void getBytes(final int index, final byte[] dst, final int offset, final int length)
    {
        check(index, length);
        super.getBytes(index, dst, offset, length);
    }

    @Override
    public void getBytes(final int index, final MutableDirectBuffer dstBuffer, final int dstIndex, final int length)
    {
        check(index, length);
        super.getBytes(index, dstBuffer, dstIndex, length);
    }

    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int length)
    {
        check(index, length);
        super.getBytes(index, dstBuffer, length);
    }

    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int dstOffset, final int length)
    {
        check(index, length);
        super.getBytes(index, dstBuffer, dstOffset, length);
    }
}

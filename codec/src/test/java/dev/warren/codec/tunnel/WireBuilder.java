package dev.warren.codec.tunnel;

import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Builds raw bytes by hand, little-endian, so tests can say exactly what is on the wire, valid or not. */
final class WireBuilder
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
    private int length;

    static WireBuilder wire()
    {
        return new WireBuilder();
    }

    /** A version-1 frame with no flags whose length field is the payload's length. */
    static byte[] frame(final int type, final int streamId, final byte[] payload)
    {
        return wire().header(FrameHeader.VERSION, type, 0, streamId, payload.length).bytes(payload).toArray();
    }

    static byte[] frame(final int type, final int streamId, final WireBuilder payload)
    {
        return frame(type, streamId, payload.toArray());
    }

    WireBuilder header(final int version, final int type, final int flags, final int streamId, final long lengthField)
    {
        return u8(version).u8(type).u16(flags).u32(streamId).u32(lengthField);
    }

    WireBuilder u8(final int value)
    {
        buffer.putByte(length, (byte)value);
        length += 1;
        return this;
    }

    WireBuilder u16(final int value)
    {
        buffer.putShort(length, (short)value, LITTLE_ENDIAN);
        length += 2;
        return this;
    }

    WireBuilder u32(final long value)
    {
        buffer.putInt(length, (int)value, LITTLE_ENDIAN);
        length += 4;
        return this;
    }

    WireBuilder u64(final long value)
    {
        buffer.putLong(length, value, LITTLE_ENDIAN);
        length += 8;
        return this;
    }

    /** A {@code u16 length, bytes} string. */
    WireBuilder string(final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return u16(bytes.length).bytes(bytes);
    }

    /** A string of {@code count} copies of {@code c}. */
    WireBuilder string(final char c, final int count)
    {
        return string(String.valueOf(c).repeat(count));
    }

    WireBuilder bytes(final byte[] bytes)
    {
        buffer.putBytes(length, bytes);
        length += bytes.length;
        return this;
    }

    WireBuilder zeros(final int count)
    {
        return bytes(new byte[count]);
    }

    byte[] toArray()
    {
        final byte[] array = new byte[length];
        buffer.getBytes(0, array);
        return array;
    }
}

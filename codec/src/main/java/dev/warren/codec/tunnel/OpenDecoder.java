package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Flyweight over an {@code OPEN} payload. Reusable; not thread-safe. */
public final class OpenDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /** @return false when the payload is not exactly an OPEN (the frame is then a protocol error). */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        if (length < 8)
        {
            return false;
        }
        final int kind = buffer.getByte(offset);
        if (kind != TunnelFrameEncoder.KIND_TCP && kind != TunnelFrameEncoder.KIND_HTTP)
        {
            return false;
        }
        if (port() == 0)
        {
            return false;
        }
        final int end = WireStrings.end(buffer, offset + 8, offset + length, WireStrings.MAX_HOST_LENGTH);
        return end == offset + length && end > offset + 10;
    }

    public int kind()
    {
        return buffer.getByte(offset);
    }

    public int port()
    {
        return buffer.getShort(offset + 2, LITTLE_ENDIAN) & 0xFFFF;
    }

    public int connectTimeoutMs()
    {
        return buffer.getInt(offset + 4, LITTLE_ENDIAN);
    }

    public String host()
    {
        return WireStrings.read(buffer, offset + 8);
    }
}

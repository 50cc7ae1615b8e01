package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Flyweight over an {@code OPEN} payload: {@code kind u8, flags u8, port u16, connectTimeoutMs u32, host string}
 * and, when {@link TunnelFrameEncoder#OPEN_TLS} is set (http streams only), {@code serverName string}
 * (PROTOCOL.md §1). Reusable; not thread-safe.
 */
public final class OpenDecoder
{
    private DirectBuffer buffer;
    private int offset;
    private int hostEnd;

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
        if (!TunnelFrameEncoder.validOpenFlags(kind, flags()))
        {
            return false;
        }
        if (port() == 0)
        {
            return false;
        }
        final int limit = offset + length;
        final int end = WireStrings.end(buffer, offset + 8, limit, WireStrings.MAX_HOST_LENGTH);
        if (end < 0 || end == offset + 10)
        {
            return false;
        }
        hostEnd = end;
        if (!isTls())
        {
            return end == limit;
        }
        final int nameEnd = WireStrings.end(buffer, end, limit, WireStrings.MAX_HOST_LENGTH);
        return nameEnd == limit && nameEnd > end + 2;
    }

    public int kind()
    {
        return buffer.getByte(offset);
    }

    /** @return the flags byte: 0, or {@link TunnelFrameEncoder#OPEN_TLS} with a verification mode. */
    public int flags()
    {
        return buffer.getByte(offset + 1) & 0xFF;
    }

    /** @return whether the connector originates TLS to the host (http streams only). */
    public boolean isTls()
    {
        return (flags() & TunnelFrameEncoder.OPEN_TLS) != 0;
    }

    /**
     * @return one of {@link TunnelFrameEncoder#OPEN_VERIFY_FULL}, {@link TunnelFrameEncoder#OPEN_VERIFY_CA},
     * {@link TunnelFrameEncoder#OPEN_VERIFY_DISABLED}; meaningful with {@link #isTls()}.
     */
    public int verification()
    {
        return flags() & TunnelFrameEncoder.OPEN_VERIFY_MASK;
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

    /**
     * The host, as {@code previous} when the bytes spell it: a connection opening stream after stream to one host
     * decodes no new string per stream.
     *
     * @param previous the host of an earlier OPEN, or null.
     */
    public String host(final String previous)
    {
        return WireStrings.matches(buffer, offset + 8, previous) ? previous : host();
    }

    /** @return the TLS server name (SNI, and the name a {@code verify_full} check matches); null without TLS. */
    public String serverName()
    {
        return isTls() ? WireStrings.read(buffer, hostEnd) : null;
    }
}

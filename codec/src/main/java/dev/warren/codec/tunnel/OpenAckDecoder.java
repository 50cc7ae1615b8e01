package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

/** Flyweight over an {@code OPEN_ACK} payload. Reusable; not thread-safe. */
public final class OpenAckDecoder
{
    private DirectBuffer buffer;
    private int offset;
    private int localOffset;

    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        final int limit = offset + length;
        localOffset = WireStrings.end(buffer, offset, limit, WireStrings.MAX_HOST_LENGTH);
        return localOffset >= 0 && WireStrings.end(buffer, localOffset, limit, WireStrings.MAX_HOST_LENGTH) == limit;
    }

    public String remote()
    {
        return WireStrings.read(buffer, offset);
    }

    public String local()
    {
        return WireStrings.read(buffer, localOffset);
    }
}

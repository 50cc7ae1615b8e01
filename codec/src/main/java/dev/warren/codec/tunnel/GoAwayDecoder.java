package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Flyweight over a {@code GO_AWAY} payload. Reusable; not thread-safe. */
public final class GoAwayDecoder
{
    private DirectBuffer buffer;
    private int offset;

    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return length >= 6 &&
            WireStrings.end(buffer, offset + 6, offset + length, WireStrings.MAX_MESSAGE_LENGTH) == offset + length;
    }

    /** The code; an unknown one reads as {@link WireCode#PROTOCOL_ERROR}. */
    public int code()
    {
        final int code = buffer.getShort(offset, LITTLE_ENDIAN) & 0xFFFF;
        return WireCode.isKnown(code) ? code : WireCode.PROTOCOL_ERROR;
    }

    public int lastStreamId()
    {
        return buffer.getInt(offset + 2, LITTLE_ENDIAN);
    }

    public String message()
    {
        return WireStrings.read(buffer, offset + 6);
    }
}

package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/** Flyweight over a {@code RESET} payload. Reusable; not thread-safe. */
public final class ResetDecoder
{
    private DirectBuffer buffer;
    private int offset;

    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        return length >= 2 &&
            WireStrings.end(buffer, offset + 2, offset + length, WireStrings.MAX_MESSAGE_LENGTH) == offset + length;
    }

    /** The code; an unknown one reads as {@link WireCode#PROTOCOL_ERROR}. */
    public int code()
    {
        final int code = buffer.getShort(offset, LITTLE_ENDIAN) & 0xFFFF;
        return WireCode.isKnown(code) ? code : WireCode.PROTOCOL_ERROR;
    }

    public String message()
    {
        return WireStrings.read(buffer, offset + 2);
    }
}

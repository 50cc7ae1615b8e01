package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * The {@code u16 length, bytes} string of PROTOCOL.md. Strings appear only in control frames (open, reset,
 * go-away, handshake), never on the data path. Stateless.
 */
final class WireStrings
{
    /** Longest message a RESET or GO_AWAY carries; longer ones are cut. */
    static final int MAX_MESSAGE_LENGTH = 512;
    /** Longest host name (DNS allows 253) or address text. */
    static final int MAX_HOST_LENGTH = 255;

    private WireStrings()
    {
    }

    /**
     * @return the offset just past the string starting at {@code offset}, or -1 if it does not fit before
     * {@code limit} or is longer than {@code maxLength}.
     */
    static int end(final DirectBuffer buffer, final int offset, final int limit, final int maxLength)
    {
        if (offset + 2 > limit)
        {
            return -1;
        }
        final int length = buffer.getShort(offset, LITTLE_ENDIAN) & 0xFFFF;
        if (length > maxLength || offset + 2 + length > limit)
        {
            return -1;
        }
        return offset + 2 + length;
    }

    static String read(final DirectBuffer buffer, final int offset)
    {
        final int length = buffer.getShort(offset, LITTLE_ENDIAN) & 0xFFFF;
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset + 2, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return whether the string at {@code offset} is {@code value}, an ASCII string; false when value is null. */
    static boolean matches(final DirectBuffer buffer, final int offset, final String value)
    {
        if (value == null)
        {
            return false;
        }
        final int length = buffer.getShort(offset, LITTLE_ENDIAN) & 0xFFFF;
        if (length != value.length())
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(i);
            if (c >= 0x80 || buffer.getByte(offset + 2 + i) != (byte)c)
            {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code value} (cut to {@code maxLength} bytes) and returns the bytes written. */
    static int write(final MutableDirectBuffer buffer, final int offset, final String value, final int maxLength)
    {
        final int chars = value.length();
        if (chars <= maxLength && isAscii(value, chars))
        {
            // the common case (addresses, host names, ASCII messages): one byte a char, nothing allocated
            buffer.putShort(offset, (short)chars, LITTLE_ENDIAN);
            for (int i = 0; i < chars; i++)
            {
                buffer.putByte(offset + 2 + i, (byte)value.charAt(i));
            }
            return 2 + chars;
        }
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, maxLength);
        while (length > 0 && length < bytes.length && (bytes[length] & 0xC0) == 0x80)
        {
            length--; // never cut inside a UTF-8 sequence
        }
        buffer.putShort(offset, (short)length, LITTLE_ENDIAN);
        buffer.putBytes(offset + 2, bytes, 0, length);
        return 2 + length;
    }

    private static boolean isAscii(final String value, final int chars)
    {
        for (int i = 0; i < chars; i++)
        {
            if (value.charAt(i) >= 0x80)
            {
                return false;
            }
        }
        return true;
    }
}

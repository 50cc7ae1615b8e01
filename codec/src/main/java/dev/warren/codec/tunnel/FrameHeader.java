package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Layout of the 12-byte frame header and the frame types and flags (PROTOCOL.md §1).
 * <p>
 * Static accessors over a buffer and offset, in the style of SBE's generated flyweights but without the
 * wrap step: a header is read or written in place, with no object per frame. Stateless and thread-safe.
 */
public final class FrameHeader
{
    public static final int LENGTH = 12;
    public static final byte VERSION = 1;

    public static final int VERSION_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int FLAGS_OFFSET = 2;
    public static final int STREAM_ID_OFFSET = 4;
    public static final int LENGTH_OFFSET = 8;

    public static final byte TYPE_DATA = 0x00;
    public static final byte TYPE_WINDOW_UPDATE = 0x01;
    public static final byte TYPE_OPEN = 0x02;
    public static final byte TYPE_OPEN_ACK = 0x03;
    public static final byte TYPE_RESET = 0x04;
    public static final byte TYPE_PING = 0x05;
    public static final byte TYPE_GO_AWAY = 0x06;
    public static final byte TYPE_HELLO = 0x10;
    public static final byte TYPE_CHALLENGE = 0x11;
    public static final byte TYPE_AUTH = 0x12;
    public static final byte TYPE_WELCOME = 0x13;

    /** On {@code DATA}: the sender will send nothing more on this stream. */
    public static final short FLAG_FIN = 0x1;
    /** On {@code PING}: this is the answer. */
    public static final short FLAG_ACK = 0x2;

    /** Largest credit one {@code WINDOW_UPDATE} may carry, and the largest a window may grow to. */
    public static final int MAX_WINDOW = Integer.MAX_VALUE;

    private FrameHeader()
    {
    }

    public static void write(
        final MutableDirectBuffer buffer, final int offset, final byte type, final int flags, final int streamId,
        final int length)
    {
        buffer.putByte(offset + VERSION_OFFSET, VERSION);
        buffer.putByte(offset + TYPE_OFFSET, type);
        buffer.putShort(offset + FLAGS_OFFSET, (short)flags, LITTLE_ENDIAN);
        buffer.putInt(offset + STREAM_ID_OFFSET, streamId, LITTLE_ENDIAN);
        buffer.putInt(offset + LENGTH_OFFSET, length, LITTLE_ENDIAN);
    }

    public static byte version(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + VERSION_OFFSET);
    }

    public static byte type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET);
    }

    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FLAGS_OFFSET, LITTLE_ENDIAN) & 0xFFFF;
    }

    public static int streamId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + STREAM_ID_OFFSET, LITTLE_ENDIAN);
    }

    /** The length field: payload bytes, or for {@code WINDOW_UPDATE} the credit. Unsigned; may exceed int. */
    public static long length(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LENGTH_OFFSET, LITTLE_ENDIAN) & 0xFFFF_FFFFL;
    }

    public static String typeName(final int type)
    {
        switch (type)
        {
            case TYPE_DATA: return "DATA";
            case TYPE_WINDOW_UPDATE: return "WINDOW_UPDATE";
            case TYPE_OPEN: return "OPEN";
            case TYPE_OPEN_ACK: return "OPEN_ACK";
            case TYPE_RESET: return "RESET";
            case TYPE_PING: return "PING";
            case TYPE_GO_AWAY: return "GO_AWAY";
            case TYPE_HELLO: return "HELLO";
            case TYPE_CHALLENGE: return "CHALLENGE";
            case TYPE_AUTH: return "AUTH";
            case TYPE_WELCOME: return "WELCOME";
            default: return "UNKNOWN(" + type + ")";
        }
    }
}

package dev.warren.codec.tunnel;

import org.agrona.MutableDirectBuffer;

import static dev.warren.codec.tunnel.FrameHeader.LENGTH;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Writes whole frames in place. Each method writes at {@code offset} and returns the number of bytes written
 * (header included); the caller makes sure the buffer has room ({@link #MAX_CONTROL_FRAME_LENGTH} for any
 * control frame). Stateless and thread-safe; the data-path methods allocate nothing.
 */
public final class TunnelFrameEncoder
{
    /** Room that any frame other than DATA needs. */
    public static final int MAX_CONTROL_FRAME_LENGTH = LENGTH + 2 + 4 + 2 + WireStrings.MAX_MESSAGE_LENGTH + 64;

    public static final int NONCE_LENGTH = 32;
    public static final int PROOF_LENGTH = 32;

    public static final int KIND_TCP = 1;
    public static final int KIND_HTTP = 2;

    private TunnelFrameEncoder()
    {
    }

    /**
     * Writes a DATA header in front of {@code payloadLength} bytes that are already at
     * {@code offset + FrameHeader.LENGTH}: the relay path reads socket bytes straight into that spot.
     */
    public static int dataHeader(
        final MutableDirectBuffer buffer, final int offset, final int streamId, final boolean fin,
        final int payloadLength)
    {
        FrameHeader.write(buffer, offset, FrameHeader.TYPE_DATA, fin ? FrameHeader.FLAG_FIN : 0, streamId,
            payloadLength);
        return LENGTH + payloadLength;
    }

    public static int windowUpdate(final MutableDirectBuffer buffer, final int offset, final int streamId, final int credit)
    {
        FrameHeader.write(buffer, offset, FrameHeader.TYPE_WINDOW_UPDATE, 0, streamId, credit);
        return LENGTH;
    }

    public static int ping(final MutableDirectBuffer buffer, final int offset, final boolean ack, final long opaque)
    {
        FrameHeader.write(buffer, offset, FrameHeader.TYPE_PING, ack ? FrameHeader.FLAG_ACK : 0, 0, 8);
        buffer.putLong(offset + LENGTH, opaque, LITTLE_ENDIAN);
        return LENGTH + 8;
    }

    public static int open(
        final MutableDirectBuffer buffer, final int offset, final int streamId, final int kind, final String host,
        final int port, final int connectTimeoutMs)
    {
        if (host.isEmpty() || host.length() > WireStrings.MAX_HOST_LENGTH)
        {
            throw new IllegalArgumentException("host must be 1.." + WireStrings.MAX_HOST_LENGTH + " characters");
        }
        int at = offset + LENGTH;
        buffer.putByte(at, (byte)kind);
        buffer.putByte(at + 1, (byte)0);
        buffer.putShort(at + 2, (short)port, LITTLE_ENDIAN);
        buffer.putInt(at + 4, connectTimeoutMs, LITTLE_ENDIAN);
        at += 8;
        at += WireStrings.write(buffer, at, host, WireStrings.MAX_HOST_LENGTH);
        return finish(buffer, offset, FrameHeader.TYPE_OPEN, streamId, at);
    }

    public static int openAck(
        final MutableDirectBuffer buffer, final int offset, final int streamId, final String remote, final String local)
    {
        int at = offset + LENGTH;
        at += WireStrings.write(buffer, at, remote, WireStrings.MAX_HOST_LENGTH);
        at += WireStrings.write(buffer, at, local, WireStrings.MAX_HOST_LENGTH);
        return finish(buffer, offset, FrameHeader.TYPE_OPEN_ACK, streamId, at);
    }

    public static int reset(
        final MutableDirectBuffer buffer, final int offset, final int streamId, final int code, final String message)
    {
        int at = offset + LENGTH;
        buffer.putShort(at, (short)code, LITTLE_ENDIAN);
        at += 2;
        at += WireStrings.write(buffer, at, message, WireStrings.MAX_MESSAGE_LENGTH);
        return finish(buffer, offset, FrameHeader.TYPE_RESET, streamId, at);
    }

    public static int goAway(
        final MutableDirectBuffer buffer, final int offset, final int code, final int lastStreamId, final String message)
    {
        int at = offset + LENGTH;
        buffer.putShort(at, (short)code, LITTLE_ENDIAN);
        buffer.putInt(at + 2, lastStreamId, LITTLE_ENDIAN);
        at += 6;
        at += WireStrings.write(buffer, at, message, WireStrings.MAX_MESSAGE_LENGTH);
        return finish(buffer, offset, FrameHeader.TYPE_GO_AWAY, 0, at);
    }

    public static int hello(
        final MutableDirectBuffer buffer, final int offset, final int minVersion, final int maxVersion,
        final String tunnelId, final byte[] clientNonce)
    {
        int at = offset + LENGTH;
        buffer.putByte(at, (byte)minVersion);
        buffer.putByte(at + 1, (byte)maxVersion);
        at += 2;
        at += WireStrings.write(buffer, at, tunnelId, WireStrings.MAX_HOST_LENGTH);
        buffer.putBytes(at, clientNonce, 0, NONCE_LENGTH);
        at += NONCE_LENGTH;
        return finish(buffer, offset, FrameHeader.TYPE_HELLO, 0, at);
    }

    public static int challenge(
        final MutableDirectBuffer buffer, final int offset, final int version, final byte[] serverNonce)
    {
        int at = offset + LENGTH;
        buffer.putByte(at, (byte)version);
        buffer.putBytes(at + 1, serverNonce, 0, NONCE_LENGTH);
        at += 1 + NONCE_LENGTH;
        return finish(buffer, offset, FrameHeader.TYPE_CHALLENGE, 0, at);
    }

    public static int auth(
        final MutableDirectBuffer buffer, final int offset, final byte[] proof, final TunnelLimits limits)
    {
        int at = offset + LENGTH;
        buffer.putBytes(at, proof, 0, PROOF_LENGTH);
        at += PROOF_LENGTH;
        at += putLimits(buffer, at, limits);
        return finish(buffer, offset, FrameHeader.TYPE_AUTH, 0, at);
    }

    public static int welcome(
        final MutableDirectBuffer buffer, final int offset, final byte[] proof, final long connectionId,
        final TunnelLimits limits)
    {
        int at = offset + LENGTH;
        buffer.putBytes(at, proof, 0, PROOF_LENGTH);
        at += PROOF_LENGTH;
        buffer.putLong(at, connectionId, LITTLE_ENDIAN);
        at += 8;
        at += putLimits(buffer, at, limits);
        return finish(buffer, offset, FrameHeader.TYPE_WELCOME, 0, at);
    }

    private static int putLimits(final MutableDirectBuffer buffer, final int offset, final TunnelLimits limits)
    {
        buffer.putInt(offset, limits.maxConcurrentStreams(), LITTLE_ENDIAN);
        buffer.putInt(offset + 4, limits.maxFramePayload(), LITTLE_ENDIAN);
        buffer.putInt(offset + 8, limits.initialStreamWindow(), LITTLE_ENDIAN);
        buffer.putInt(offset + 12, limits.connectionWindow(), LITTLE_ENDIAN);
        return TunnelLimits.ENCODED_LENGTH;
    }

    private static int finish(
        final MutableDirectBuffer buffer, final int offset, final byte type, final int streamId, final int end)
    {
        FrameHeader.write(buffer, offset, type, 0, streamId, end - offset - LENGTH);
        return end - offset;
    }
}

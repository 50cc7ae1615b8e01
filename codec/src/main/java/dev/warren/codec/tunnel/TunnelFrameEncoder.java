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

    /** OPEN flag (http streams only): the connector originates TLS to the host; a server name follows the host. */
    public static final int OPEN_TLS = 0x01;
    /** OPEN flags bits 1–2: how the connector verifies the host's certificate when {@link #OPEN_TLS} is set. */
    public static final int OPEN_VERIFY_MASK = 0x06;
    /** Chain and host name (the server name). */
    public static final int OPEN_VERIFY_FULL = 0x00;
    /** Chain only. */
    public static final int OPEN_VERIFY_CA = 0x02;
    /** No verification. */
    public static final int OPEN_VERIFY_DISABLED = 0x04;

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

    /** An OPEN without flags: a tcp stream, or a plaintext http stream. */
    public static int open(
        final MutableDirectBuffer buffer, final int offset, final int streamId, final int kind, final String host,
        final int port, final int connectTimeoutMs)
    {
        return open(buffer, offset, streamId, kind, host, port, connectTimeoutMs, 0, null);
    }

    /**
     * An OPEN with flags (PROTOCOL.md §1): {@link #OPEN_TLS} with one of the {@code OPEN_VERIFY_*} values asks the
     * connector to originate TLS on an http stream, presenting {@code serverName} (SNI, and the name verified).
     *
     * @param flags      0, or {@link #OPEN_TLS} | an {@code OPEN_VERIFY_*} value (http streams only).
     * @param serverName with {@link #OPEN_TLS}: the TLS server name, 1..255 bytes; otherwise null.
     * @throws IllegalArgumentException when the host, flags or server name do not form a valid OPEN.
     */
    public static int open(
        final MutableDirectBuffer buffer, final int offset, final int streamId, final int kind, final String host,
        final int port, final int connectTimeoutMs, final int flags, final String serverName)
    {
        if (host.isEmpty() || host.length() > WireStrings.MAX_HOST_LENGTH)
        {
            throw new IllegalArgumentException("host must be 1.." + WireStrings.MAX_HOST_LENGTH + " characters");
        }
        if (!validOpenFlags(kind, flags))
        {
            throw new IllegalArgumentException("OPEN flags 0x" + Integer.toHexString(flags) + " invalid for kind " + kind);
        }
        final boolean tls = (flags & OPEN_TLS) != 0;
        if (tls != (serverName != null))
        {
            throw new IllegalArgumentException("a server name comes with OPEN_TLS, and only with it");
        }
        if (tls && (serverName.isEmpty() ||
            serverName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > WireStrings.MAX_HOST_LENGTH))
        {
            throw new IllegalArgumentException("server name must be 1.." + WireStrings.MAX_HOST_LENGTH + " bytes");
        }
        int at = offset + LENGTH;
        buffer.putByte(at, (byte)kind);
        buffer.putByte(at + 1, (byte)flags);
        buffer.putShort(at + 2, (short)port, LITTLE_ENDIAN);
        buffer.putInt(at + 4, connectTimeoutMs, LITTLE_ENDIAN);
        at += 8;
        at += WireStrings.write(buffer, at, host, WireStrings.MAX_HOST_LENGTH);
        if (tls)
        {
            at += WireStrings.write(buffer, at, serverName, WireStrings.MAX_HOST_LENGTH);
        }
        return finish(buffer, offset, FrameHeader.TYPE_OPEN, streamId, at);
    }

    /** Flags a tcp OPEN may carry: none. An http OPEN: none, or TLS with a defined verification mode. */
    static boolean validOpenFlags(final int kind, final int flags)
    {
        if (flags == 0)
        {
            return true;
        }
        return kind == KIND_HTTP && (flags & ~(OPEN_TLS | OPEN_VERIFY_MASK)) == 0 && (flags & OPEN_TLS) != 0 &&
            (flags & OPEN_VERIFY_MASK) != OPEN_VERIFY_MASK;
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

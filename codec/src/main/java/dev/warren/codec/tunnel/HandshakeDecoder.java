package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static dev.warren.codec.tunnel.TunnelFrameEncoder.NONCE_LENGTH;
import static dev.warren.codec.tunnel.TunnelFrameEncoder.PROOF_LENGTH;

/**
 * Flyweight over the four handshake payloads (HELLO, CHALLENGE, AUTH, WELCOME); they are read once per
 * connection, so one class with a field per shape keeps them together. Reusable; not thread-safe.
 */
public final class HandshakeDecoder
{
    private DirectBuffer buffer;
    private int offset;
    private int type;
    private int nonceOffset;

    public boolean wrap(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        this.type = type;
        this.buffer = buffer;
        this.offset = offset;
        final int limit = offset + length;
        switch (type)
        {
            case FrameHeader.TYPE_HELLO:
                if (length < 2)
                {
                    return false;
                }
                nonceOffset = WireStrings.end(buffer, offset + 2, limit, WireStrings.MAX_HOST_LENGTH);
                return nonceOffset > offset + 4 && nonceOffset + NONCE_LENGTH == limit;
            case FrameHeader.TYPE_CHALLENGE:
                nonceOffset = offset + 1;
                return length == 1 + NONCE_LENGTH;
            case FrameHeader.TYPE_AUTH:
                return length == PROOF_LENGTH + TunnelLimits.ENCODED_LENGTH;
            case FrameHeader.TYPE_WELCOME:
                return length == PROOF_LENGTH + 8 + TunnelLimits.ENCODED_LENGTH;
            default:
                return false;
        }
    }

    public int type()
    {
        return type;
    }

    /** HELLO. */
    public int minVersion()
    {
        return buffer.getByte(offset) & 0xFF;
    }

    /** HELLO. */
    public int maxVersion()
    {
        return buffer.getByte(offset + 1) & 0xFF;
    }

    /** HELLO. */
    public String tunnelId()
    {
        return WireStrings.read(buffer, offset + 2);
    }

    /** CHALLENGE. */
    public int version()
    {
        return buffer.getByte(offset) & 0xFF;
    }

    /** HELLO (client nonce) or CHALLENGE (server nonce). */
    public byte[] nonce()
    {
        final byte[] nonce = new byte[NONCE_LENGTH];
        buffer.getBytes(nonceOffset, nonce);
        return nonce;
    }

    /** AUTH or WELCOME. */
    public byte[] proof()
    {
        final byte[] proof = new byte[PROOF_LENGTH];
        buffer.getBytes(offset, proof);
        return proof;
    }

    /** WELCOME. */
    public long connectionId()
    {
        return buffer.getLong(offset + PROOF_LENGTH, LITTLE_ENDIAN);
    }

    /** AUTH or WELCOME. */
    public TunnelLimits limits()
    {
        final int at = offset + PROOF_LENGTH + (type == FrameHeader.TYPE_WELCOME ? 8 : 0);
        return new TunnelLimits(
            buffer.getInt(at, LITTLE_ENDIAN),
            buffer.getInt(at + 4, LITTLE_ENDIAN),
            buffer.getInt(at + 8, LITTLE_ENDIAN),
            buffer.getInt(at + 12, LITTLE_ENDIAN));
    }
}

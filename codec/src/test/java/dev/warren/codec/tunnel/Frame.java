package dev.warren.codec.tunnel;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Test model of one decoded (or to-be-encoded) frame: what a {@link FrameHandler} is told, as plain values,
 * so that sequences of frames can be compared with {@code equals}.
 */
sealed interface Frame
{
    /** A byte array with value equality; the array is not copied, so do not change it. */
    record Bytes(byte[] value)
    {
        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Bytes bytes && Arrays.equals(value, bytes.value);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString()
        {
            return HexFormat.of().formatHex(value);
        }
    }

    record Data(int streamId, int flags, Bytes payload) implements Frame
    {
    }

    record WindowUpdate(int streamId, int credit) implements Frame
    {
    }

    record Open(int streamId, int kind, String host, int port, int connectTimeoutMs) implements Frame
    {
    }

    record OpenAck(int streamId, String remote, String local) implements Frame
    {
    }

    record Reset(int streamId, int code, String message) implements Frame
    {
    }

    record Ping(boolean ack, long opaque) implements Frame
    {
    }

    record GoAway(int code, int lastStreamId, String message) implements Frame
    {
    }

    record Hello(int minVersion, int maxVersion, String tunnelId, Bytes nonce) implements Frame
    {
    }

    record Challenge(int version, Bytes nonce) implements Frame
    {
    }

    record Auth(Bytes proof, TunnelLimits limits) implements Frame
    {
    }

    record Welcome(Bytes proof, long connectionId, TunnelLimits limits) implements Frame
    {
    }
}

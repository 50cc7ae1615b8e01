package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

/**
 * Receives the frames a {@link FrameDecoder} finds, already checked for shape. Each method returns
 * {@link #CONTINUE}, {@link #STOP} (this frame is consumed; decode no further now), or a positive
 * {@link WireCode} when the frame breaks the protocol state (decoding stops with that error).
 * <p>
 * A frame type a side does not expect defaults to {@link WireCode#PROTOCOL_ERROR}.
 */
public interface FrameHandler
{
    int CONTINUE = 0;
    int STOP = -1;

    /** The payload is valid only during the call. */
    default int onData(int streamId, int flags, DirectBuffer buffer, int offset, int length)
    {
        return WireCode.PROTOCOL_ERROR;
    }

    default int onWindowUpdate(int streamId, int credit)
    {
        return WireCode.PROTOCOL_ERROR;
    }

    default int onOpen(int streamId, OpenDecoder open)
    {
        return WireCode.PROTOCOL_ERROR;
    }

    default int onOpenAck(int streamId, OpenAckDecoder ack)
    {
        return WireCode.PROTOCOL_ERROR;
    }

    default int onReset(int streamId, ResetDecoder reset)
    {
        return WireCode.PROTOCOL_ERROR;
    }

    default int onPing(boolean ack, long opaque)
    {
        return WireCode.PROTOCOL_ERROR;
    }

    default int onGoAway(GoAwayDecoder goAway)
    {
        return WireCode.PROTOCOL_ERROR;
    }

    default int onHandshake(HandshakeDecoder handshake)
    {
        return WireCode.PROTOCOL_ERROR;
    }
}

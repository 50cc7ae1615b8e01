package dev.warren.codec.tunnel;

import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * A {@link FrameHandler} that records every call as a {@link Frame}, reading every accessor of the flyweight
 * it is given (so a flyweight that reads out of bounds is caught here too). What it returns for the n-th call
 * (counting from 0) is scripted; by default it continues.
 */
final class RecordingFrameHandler implements FrameHandler
{
    private final List<Frame> frames = new ArrayList<>();
    private final IntUnaryOperator results;

    RecordingFrameHandler()
    {
        this(call -> CONTINUE);
    }

    RecordingFrameHandler(final IntUnaryOperator results)
    {
        this.results = results;
    }

    List<Frame> frames()
    {
        return frames;
    }

    @Override
    public int onData(
        final int streamId, final int flags, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] payload = new byte[length];
        buffer.getBytes(offset, payload);
        return record(new Frame.Data(streamId, flags, new Frame.Bytes(payload)));
    }

    @Override
    public int onWindowUpdate(final int streamId, final int credit)
    {
        return record(new Frame.WindowUpdate(streamId, credit));
    }

    @Override
    public int onOpen(final int streamId, final OpenDecoder open)
    {
        return record(new Frame.Open(streamId, open.kind(), open.host(), open.port(), open.connectTimeoutMs()));
    }

    @Override
    public int onOpenAck(final int streamId, final OpenAckDecoder ack)
    {
        return record(new Frame.OpenAck(streamId, ack.remote(), ack.local()));
    }

    @Override
    public int onReset(final int streamId, final ResetDecoder reset)
    {
        return record(new Frame.Reset(streamId, reset.code(), reset.message()));
    }

    @Override
    public int onPing(final boolean ack, final long opaque)
    {
        return record(new Frame.Ping(ack, opaque));
    }

    @Override
    public int onGoAway(final GoAwayDecoder goAway)
    {
        return record(new Frame.GoAway(goAway.code(), goAway.lastStreamId(), goAway.message()));
    }

    @Override
    public int onHandshake(final HandshakeDecoder handshake)
    {
        switch (handshake.type())
        {
            case FrameHeader.TYPE_HELLO:
                return record(new Frame.Hello(handshake.minVersion(), handshake.maxVersion(), handshake.tunnelId(),
                    new Frame.Bytes(handshake.nonce())));
            case FrameHeader.TYPE_CHALLENGE:
                return record(new Frame.Challenge(handshake.version(), new Frame.Bytes(handshake.nonce())));
            case FrameHeader.TYPE_AUTH:
                return record(new Frame.Auth(new Frame.Bytes(handshake.proof()), handshake.limits()));
            case FrameHeader.TYPE_WELCOME:
                return record(new Frame.Welcome(new Frame.Bytes(handshake.proof()), handshake.connectionId(),
                    handshake.limits()));
            default:
                throw new AssertionError("handshake decoder of type " + handshake.type());
        }
    }

    private int record(final Frame frame)
    {
        final int call = frames.size();
        frames.add(frame);
        return results.applyAsInt(call);
    }
}

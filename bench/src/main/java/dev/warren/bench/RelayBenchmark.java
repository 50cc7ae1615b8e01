package dev.warren.bench;

import dev.warren.codec.tunnel.FrameDecoder;
import dev.warren.codec.tunnel.FrameHandler;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.engine.loop.BufferPool;
import dev.warren.engine.loop.PooledBuffer;
import dev.warren.engine.tunnel.OutboundQueue;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Relaying one DATA frame through the engine's real hot-path classes, on one thread as an event loop does: a frame
 * of {@link #payloadSize} bytes waiting in a pooled receive chunk is decoded by {@link FrameDecoder}; the handler
 * claims room in an {@link OutboundQueue}, copies the payload in, writes a fresh DATA header in front of it with
 * {@link TunnelFrameEncoder#dataHeader} and commits the frame; then the queue is written with one gathering write
 * to a {@link DiscardChannel} and its chunk goes back to the {@link BufferPool}.
 * <p>
 * The copy is the relay's one user-space copy when it forwards between two tunnel connections; a relay that
 * writes a payload straight to a private host's socket skips it. Expected to allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RelayBenchmark
{
    private static final int INBOUND_STREAM_ID = 3;
    private static final int OUTBOUND_STREAM_ID = 5;

    /** DATA payload bytes per relayed frame. */
    @Param({"64", "1024", "16384"})
    public int payloadSize;

    BufferPool pool;
    OutboundQueue outbound;
    DiscardChannel sink;
    private PooledBuffer receive;
    private int frameLength;
    private final FrameDecoder decoder = new FrameDecoder().maxFramePayload(TunnelLimits.DEFAULT_MAX_FRAME_PAYLOAD);
    private RelayHandler handler;

    @Setup(Level.Trial)
    public void setUp()
    {
        pool = new BufferPool();
        outbound = new OutboundQueue(pool);
        sink = new DiscardChannel();
        handler = new RelayHandler(outbound);

        receive = pool.acquire();
        final MutableDirectBuffer rx = receive.view();
        for (int i = 0; i < payloadSize; i++)
        {
            rx.putByte(FrameHeader.LENGTH + i, (byte)(i * 31));
        }
        frameLength = TunnelFrameEncoder.dataHeader(rx, 0, INBOUND_STREAM_ID, false, payloadSize);
        receive.byteBuffer().limit(frameLength);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        outbound.clear();
        receive.release();
        if (pool.inUse() != 0)
        {
            throw new IllegalStateException("chunks leaked: " + pool.inUse());
        }
    }

    @Benchmark
    public int relayDataFrame() throws IOException
    {
        final int consumed = decoder.decode(receive.view(), 0, frameLength, handler);
        if (consumed != frameLength || !outbound.writeTo(sink))
        {
            throw new IllegalStateException("relay failed: consumed " + consumed + " of " + frameLength);
        }
        return consumed;
    }

    /** Copies each DATA payload into the outbound queue behind a fresh header, as a relaying loop does. */
    static final class RelayHandler implements FrameHandler
    {
        private final OutboundQueue outbound;

        RelayHandler(final OutboundQueue outbound)
        {
            this.outbound = outbound;
        }

        @Override
        public int onData(final int streamId, final int flags, final DirectBuffer buffer, final int offset, final int length)
        {
            final PooledBuffer chunk = outbound.claim(FrameHeader.LENGTH + length);
            final int at = chunk.byteBuffer().limit();
            chunk.view().putBytes(at + FrameHeader.LENGTH, buffer, offset, length);
            final boolean fin = (flags & FrameHeader.FLAG_FIN) != 0;
            outbound.commit(chunk, TunnelFrameEncoder.dataHeader(chunk.view(), at, OUTBOUND_STREAM_ID, fin, length));
            return CONTINUE;
        }
    }
}

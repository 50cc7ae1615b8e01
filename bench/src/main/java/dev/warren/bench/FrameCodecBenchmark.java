package dev.warren.bench;

import dev.warren.codec.tunnel.FrameDecoder;
import dev.warren.codec.tunnel.FrameHandler;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.TunnelLimits;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The tunnel frame codec alone (PROTOCOL.md §1): encoding the headers the relay writes most, and decoding a batch of
 * DATA frames and a batch of WINDOW_UPDATE/PING frames with {@link FrameDecoder}. The decode benchmarks report time
 * per frame ({@link OperationsPerInvocation}); the buffer holds whole frames, so one {@code decode} call consumes
 * the batch. Expected to allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameCodecBenchmark
{
    /** Frames in each decoded batch. */
    public static final int BATCH = 16;
    static final int MIN_PAYLOAD = 64;
    static final int MAX_PAYLOAD = 16 * 1024;
    private static final long SEED = 0x5EED_F4A3L;

    private final UnsafeBuffer encodeBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
    private final FrameDecoder decoder = new FrameDecoder().maxFramePayload(TunnelLimits.DEFAULT_MAX_FRAME_PAYLOAD);
    private final SummingHandler handler = new SummingHandler();

    private UnsafeBuffer dataBatch;
    int dataBatchLength;
    private UnsafeBuffer controlBatch;
    private int controlBatchLength;

    // Read from fields, not constants, so the JIT cannot fold the encoders' work away.
    private int streamId = 7;
    private int payloadLength = 1024;
    private int credit = 128 * 1024;

    @Setup
    public void setUp()
    {
        final Random random = new Random(SEED);
        final int[] lengths = new int[BATCH];
        int total = 0;
        for (int i = 0; i < BATCH; i++)
        {
            lengths[i] = MIN_PAYLOAD + random.nextInt(MAX_PAYLOAD - MIN_PAYLOAD + 1);
            total += FrameHeader.LENGTH + lengths[i];
        }
        dataBatch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BitUtil.align(total, 64), 64));
        int at = 0;
        for (int i = 0; i < BATCH; i++)
        {
            for (int j = 0; j < lengths[i]; j++)
            {
                dataBatch.putByte(at + FrameHeader.LENGTH + j, (byte)random.nextInt());
            }
            at += TunnelFrameEncoder.dataHeader(dataBatch, at, 2 * i + 1, false, lengths[i]);
        }
        dataBatchLength = at;

        controlBatch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BATCH * (FrameHeader.LENGTH + 8), 64));
        at = 0;
        for (int i = 0; i < BATCH; i++)
        {
            at += (i & 1) == 0 ?
                TunnelFrameEncoder.windowUpdate(controlBatch, at, i, 64 * 1024 + i) :
                TunnelFrameEncoder.ping(controlBatch, at, (i & 2) != 0, random.nextLong());
        }
        controlBatchLength = at;
    }

    /** A DATA header and a WINDOW_UPDATE, the two frames the relay writes most. */
    @Benchmark
    public int encodeDataHeaderAndWindowUpdate()
    {
        final UnsafeBuffer buffer = encodeBuffer;
        int at = TunnelFrameEncoder.dataHeader(buffer, 0, streamId, false, payloadLength) - payloadLength;
        at += TunnelFrameEncoder.windowUpdate(buffer, at, streamId, credit);
        return at;
    }

    /** {@value #BATCH} DATA frames of 64..16384 payload bytes; score is per frame. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decodeDataBatch()
    {
        return decodeAll(dataBatch, dataBatchLength);
    }

    /** {@value #BATCH} frames, WINDOW_UPDATE and PING alternating; score is per frame. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decodeWindowUpdateAndPingBatch()
    {
        return decodeAll(controlBatch, controlBatchLength);
    }

    private long decodeAll(final DirectBuffer buffer, final int length)
    {
        handler.sum = 0;
        final int consumed = decoder.decode(buffer, 0, length, handler);
        if (consumed != length)
        {
            throw new IllegalStateException("decoded " + consumed + " of " + length + ": " + decoder.errorReason());
        }
        return handler.sum;
    }

    /** Adds up what each frame carries (payload length, credit, opaque), so no frame's decoding is dead code. */
    static final class SummingHandler implements FrameHandler
    {
        long sum;

        @Override
        public int onData(final int streamId, final int flags, final DirectBuffer buffer, final int offset, final int length)
        {
            sum += length;
            return CONTINUE;
        }

        @Override
        public int onWindowUpdate(final int streamId, final int credit)
        {
            sum += credit;
            return CONTINUE;
        }

        @Override
        public int onPing(final boolean ack, final long opaque)
        {
            sum += opaque;
            return CONTINUE;
        }
    }
}

package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding is incremental: bytes that arrive in arbitrary pieces, as from a socket, give exactly the frames that
 * the same bytes give in one piece, which are the frames that were encoded.
 */
class FrameDecoderIncrementalTest
{
    @Property(tries = 3000)
    void shouldDeliverTheSameFramesWhateverPiecesTheBytesArriveIn(
        @ForAll("frameLists") final List<Frame> frames,
        @ForAll("pieceSizes") final List<Integer> pieceSizes,
        @ForAll final boolean compact)
    {
        final byte[] wire = Frames.encodeAll(frames).bytes();

        final List<Frame> inOnePiece = decodeInOnePiece(wire);
        final List<Frame> inPieces = decodeInPieces(wire, pieceSizes, compact, Set.of());

        assertEquals(frames, inOnePiece);
        assertEquals(inOnePiece, inPieces);
    }

    @Property(tries = 1000)
    void shouldDeliverTheSameFramesWhenTheHandlerStopsNowAndThen(
        @ForAll("frameLists") final List<Frame> frames,
        @ForAll("pieceSizes") final List<Integer> pieceSizes,
        @ForAll final boolean compact,
        @ForAll("stopCalls") final Set<Integer> stopCalls)
    {
        final byte[] wire = Frames.encodeAll(frames).bytes();

        assertEquals(frames, decodeInPieces(wire, pieceSizes, compact, stopCalls));
    }

    @Provide
    Arbitrary<List<Frame>> frameLists()
    {
        return Frames.frameLists(24);
    }

    @Provide
    Arbitrary<List<Integer>> pieceSizes()
    {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(1, 13)),
                Tuple.of(3, Arbitraries.integers().between(1, 100)),
                Tuple.of(1, Arbitraries.integers().between(1, 5000)))
            .list().ofMinSize(1).ofMaxSize(16);
    }

    @Provide
    Arbitrary<Set<Integer>> stopCalls()
    {
        return Arbitraries.integers().between(0, 24).set().ofMaxSize(10);
    }

    private static List<Frame> decodeInOnePiece(final byte[] wire)
    {
        final FrameDecoder decoder = new FrameDecoder().maxFramePayload(Frames.MAX_FRAME_PAYLOAD);
        final RecordingFrameHandler handler = new RecordingFrameHandler();

        final int consumed = decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler);

        assertEquals(wire.length, consumed, decoder.errorReason());
        return handler.frames();
    }

    /**
     * A socket reader: appends each piece after the bytes not yet consumed, decodes, and keeps the rest; when
     * {@code compact}, it moves the rest to the front of its buffer, otherwise it decodes from a moving offset.
     * After a STOP it decodes again until no whole frame is left, as an event loop would on its next turn.
     */
    private static List<Frame> decodeInPieces(
        final byte[] wire, final List<Integer> pieceSizes, final boolean compact, final Set<Integer> stopCalls)
    {
        final FrameDecoder decoder = new FrameDecoder().maxFramePayload(Frames.MAX_FRAME_PAYLOAD);
        final RecordingFrameHandler handler = new RecordingFrameHandler(
            call -> stopCalls.contains(call) ? FrameHandler.STOP : FrameHandler.CONTINUE);
        final byte[] received = new byte[wire.length];
        final FencedBuffer buffer = new FencedBuffer(received, 0, 0);

        int arrived = 0;
        int start = 0;
        int end = 0;
        for (int piece = 0; arrived < wire.length; piece++)
        {
            final int size = Math.min(pieceSizes.get(piece % pieceSizes.size()), wire.length - arrived);
            System.arraycopy(wire, arrived, received, end, size);
            arrived += size;
            end += size;

            int consumed;
            do
            {
                buffer.fence(start, end);
                consumed = decoder.decode(buffer, start, end - start, handler);
                assertTrue(consumed >= 0 && consumed <= end - start, decoder.errorReason());
                start += consumed;
            }
            while (consumed > 0 && start < end);

            if (compact)
            {
                System.arraycopy(received, start, received, 0, end - start);
                end -= start;
                start = 0;
            }
        }
        assertEquals(end, start, "every byte consumed");
        return handler.frames();
    }
}

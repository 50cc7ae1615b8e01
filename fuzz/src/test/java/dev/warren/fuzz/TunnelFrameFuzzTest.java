package dev.warren.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.warren.codec.tunnel.FrameDecoder;
import dev.warren.codec.tunnel.FrameHandler;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.GoAwayDecoder;
import dev.warren.codec.tunnel.HandshakeDecoder;
import dev.warren.codec.tunnel.OpenAckDecoder;
import dev.warren.codec.tunnel.OpenDecoder;
import dev.warren.codec.tunnel.ResetDecoder;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.WireCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes {@link FrameDecoder} and the payload decoders behind it: the input is the bytes a peer sends on the tunnel
 * port, after or before the handshake.
 * <p>
 * Invariants: {@code decode} returns ERROR (with a known {@link WireCode} and a reason) or consumes whole frames
 * only, 0 to length bytes, and exactly the frames it handed over; every accessor of a frame handed over works and
 * stays inside the frame (strings within their limits, a PING's payload 8 bytes); the same frames and the same end
 * (error, or bytes left) whether the bytes come at once or in pieces, with the caller keeping what was not consumed,
 * and whether or not the handler stops after each frame. Run with the pre-handshake payload limit and a large one.
 */
class TunnelFrameFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void frames(final byte[] input)
    {
        for (final int maxPayload : new int[] {FrameDecoder.HANDSHAKE_MAX_PAYLOAD, 65_536})
        {
            final String whole = feed(input, maxPayload, null, false);
            assertEquals(whole, feed(input, maxPayload, new Pieces(input, maxPayload), false), "in pieces vs at once");
            assertEquals(whole, feed(input, maxPayload, null, true), "stopping after each frame");
        }
    }

    private static String feed(final byte[] input, final int maxPayload, final Pieces pieces, final boolean stop)
    {
        final FrameDecoder decoder = new FrameDecoder().maxFramePayload(maxPayload);
        final Recorder recorder = new Recorder(stop);
        byte[] pending = new byte[0];
        int delivered = 0;
        int calls = 0;
        while (true)
        {
            if (delivered < input.length)
            {
                final int piece = pieces == null ? input.length : pieces.next(input.length - delivered);
                final byte[] more = Arrays.copyOf(pending, pending.length + piece);
                System.arraycopy(input, delivered, more, pending.length, piece);
                pending = more;
                delivered += piece;
            }
            while (true)
            {
                if (++calls > 2 * input.length + 16)
                {
                    fail("more calls than the input explains: the decoder makes no progress");
                }
                final int offset = pieces == null ? 5 : pieces.offset();
                final UnsafeBuffer buffer = Pieces.laid(pending, 0, pending.length, offset);
                recorder.start(buffer, offset);
                final int consumed = decoder.decode(buffer, offset, pending.length, recorder);
                if (consumed == FrameDecoder.ERROR)
                {
                    assertTrue(WireCode.isKnown(decoder.errorCode()) && decoder.errorCode() != WireCode.NONE,
                        () -> "error code " + decoder.errorCode());
                    assertNotNull(decoder.errorReason());
                    return recorder.events + "ERROR " + decoder.errorCode() + " " + decoder.errorReason();
                }
                assertTrue(consumed >= 0 && consumed <= pending.length, () -> "consumed " + consumed);
                assertEquals(recorder.frameBytes, consumed, "consumed exactly the frames handed over");
                pending = Arrays.copyOfRange(pending, consumed, pending.length);
                if (consumed == 0 || pending.length == 0)
                {
                    break;
                }
            }
            if (delivered == input.length)
            {
                return recorder.events + "LEFT " + pending.length;
            }
        }
    }

    /** Accepts every frame, reads every field, and writes down what it saw. */
    private static final class Recorder implements FrameHandler
    {
        private final boolean stop;
        final StringBuilder events = new StringBuilder();
        private DirectBuffer buffer;
        private int at;
        int frameBytes;

        Recorder(final boolean stop)
        {
            this.stop = stop;
        }

        void start(final DirectBuffer buffer, final int offset)
        {
            this.buffer = buffer;
            this.at = offset;
            this.frameBytes = 0;
        }

        /** The frame being handed over is the one at {@link #at}; checks that a payload lies inside it. */
        private int frame(final int payloadOffset, final int payloadLength)
        {
            final int length = FrameHeader.type(buffer, at) == FrameHeader.TYPE_WINDOW_UPDATE ? 0 :
                (int)FrameHeader.length(buffer, at);
            if (payloadOffset >= 0)
            {
                assertEquals(at + FrameHeader.LENGTH, payloadOffset, "payload right after its header");
                assertEquals(length, payloadLength);
            }
            at += FrameHeader.LENGTH + length;
            frameBytes += FrameHeader.LENGTH + length;
            return stop ? STOP : CONTINUE;
        }

        @Override
        public int onData(final int streamId, final int flags, final DirectBuffer data, final int offset,
            final int length)
        {
            assertTrue(streamId != 0);
            final byte[] bytes = new byte[length];
            data.getBytes(offset, bytes);
            events.append("DATA ").append(streamId).append(' ').append(flags).append(' ')
                .append(Arrays.hashCode(bytes)).append('/').append(length).append('\n');
            return frame(offset, length);
        }

        @Override
        public int onWindowUpdate(final int streamId, final int credit)
        {
            assertTrue(credit > 0, "window credit " + credit);
            events.append("WINDOW ").append(streamId).append(' ').append(credit).append('\n');
            return frame(-1, 0);
        }

        @Override
        public int onOpen(final int streamId, final OpenDecoder open)
        {
            final String host = open.host();
            assertTrue(open.port() > 0 && open.port() <= 0xFFFF);
            assertTrue(open.kind() == TunnelFrameEncoder.KIND_TCP || open.kind() == TunnelFrameEncoder.KIND_HTTP);
            assertTrue(utf8Length(host) >= 1 && utf8Length(host) <= 255 * 3, "host length");
            events.append("OPEN ").append(streamId).append(' ').append(open.kind()).append(' ').append(host)
                .append(':').append(open.port()).append(' ').append(open.connectTimeoutMs()).append('\n');
            return frame(-1, 0);
        }

        @Override
        public int onOpenAck(final int streamId, final OpenAckDecoder ack)
        {
            events.append("OPEN_ACK ").append(streamId).append(' ').append(ack.remote()).append(' ')
                .append(ack.local()).append('\n');
            return frame(-1, 0);
        }

        @Override
        public int onReset(final int streamId, final ResetDecoder reset)
        {
            assertTrue(WireCode.isKnown(reset.code()));
            events.append("RESET ").append(streamId).append(' ').append(reset.code()).append(' ')
                .append(reset.message()).append('\n');
            return frame(-1, 0);
        }

        @Override
        public int onPing(final boolean ack, final long opaque)
        {
            assertEquals(8, FrameHeader.length(buffer, at), "a PING carries 8 bytes");
            events.append("PING ").append(ack).append(' ').append(opaque).append('\n');
            return frame(-1, 0);
        }

        @Override
        public int onGoAway(final GoAwayDecoder goAway)
        {
            assertTrue(WireCode.isKnown(goAway.code()));
            events.append("GO_AWAY ").append(goAway.code()).append(' ').append(goAway.lastStreamId()).append(' ')
                .append(goAway.message()).append('\n');
            return frame(-1, 0);
        }

        @Override
        public int onHandshake(final HandshakeDecoder handshake)
        {
            events.append(HandshakeFuzzTest.describe(handshake)).append('\n');
            return frame(-1, 0);
        }
    }

    static int utf8Length(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

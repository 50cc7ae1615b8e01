package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.warren.codec.tunnel.FrameHeader.TYPE_AUTH;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_CHALLENGE;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_DATA;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_GO_AWAY;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_HELLO;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_OPEN;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_OPEN_ACK;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_PING;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_RESET;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_WELCOME;
import static dev.warren.codec.tunnel.FrameHeader.TYPE_WINDOW_UPDATE;
import static dev.warren.codec.tunnel.WireBuilder.frame;
import static dev.warren.codec.tunnel.WireBuilder.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest
{
    private static final int MAX_PAYLOAD = TunnelLimits.DEFAULT_MAX_FRAME_PAYLOAD;

    private final FrameDecoder decoder = new FrameDecoder().maxFramePayload(MAX_PAYLOAD);
    private final RecordingFrameHandler handler = new RecordingFrameHandler();

    // ---- valid payloads, to pair with a wrong header ----

    private static WireBuilder openPayload()
    {
        return wire().u8(TunnelFrameEncoder.KIND_TCP).u8(0).u16(80).u32(1000).string("host");
    }

    private static WireBuilder openAckPayload()
    {
        return wire().string("10.0.0.1:80").string("10.0.0.2:5000");
    }

    private static WireBuilder resetPayload()
    {
        return wire().u16(WireCode.CONNECTION_REFUSED).string("refused");
    }

    private static WireBuilder goAwayPayload()
    {
        return wire().u16(WireCode.NONE).u32(7).string("bye");
    }

    private static WireBuilder helloPayload()
    {
        return wire().u8(1).u8(1).string("tunnel").zeros(32);
    }

    static Stream<Arguments> hostileFrames()
    {
        final List<Arguments> cases = new ArrayList<>();

        for (final int version : new int[]{0, 2, 0x7F, 0x80, 0xFF})
        {
            cases.add(Arguments.of("version " + version,
                wire().header(version, TYPE_PING, 0, 0, 8).zeros(8).toArray()));
        }
        for (final int type : new int[]{0x07, 0x08, 0x0F, 0x14, 0x20, 0x7F, 0x80, 0xFF})
        {
            cases.add(Arguments.of("unknown type " + type + " on stream 0", frame(type, 0, new byte[0])));
            cases.add(Arguments.of("unknown type " + type + " on stream 1", frame(type, 1, new byte[8])));
        }

        cases.add(Arguments.of("DATA on stream 0", frame(TYPE_DATA, 0, new byte[3])));
        cases.add(Arguments.of("empty DATA on stream 0", frame(TYPE_DATA, 0, new byte[0])));
        cases.add(Arguments.of("OPEN on stream 0", frame(TYPE_OPEN, 0, openPayload())));
        cases.add(Arguments.of("OPEN_ACK on stream 0", frame(TYPE_OPEN_ACK, 0, openAckPayload())));
        cases.add(Arguments.of("RESET on stream 0", frame(TYPE_RESET, 0, resetPayload())));

        for (final int streamId : new int[]{1, 2, -1})
        {
            cases.add(Arguments.of("PING on stream " + streamId, frame(TYPE_PING, streamId, new byte[8])));
            cases.add(Arguments.of("GO_AWAY on stream " + streamId, frame(TYPE_GO_AWAY, streamId, goAwayPayload())));
            cases.add(Arguments.of("HELLO on stream " + streamId, frame(TYPE_HELLO, streamId, helloPayload())));
            cases.add(Arguments.of("CHALLENGE on stream " + streamId,
                frame(TYPE_CHALLENGE, streamId, wire().u8(1).zeros(32))));
            cases.add(Arguments.of("AUTH on stream " + streamId, frame(TYPE_AUTH, streamId, new byte[48])));
            cases.add(Arguments.of("WELCOME on stream " + streamId, frame(TYPE_WELCOME, streamId, new byte[56])));
        }

        for (final long credit : new long[]{0L, 0x8000_0000L, 0x8000_0001L, 0xFFFF_FFFEL, 0xFFFF_FFFFL})
        {
            cases.add(Arguments.of("WINDOW_UPDATE credit " + credit + " on the connection",
                wire().header(1, TYPE_WINDOW_UPDATE, 0, 0, credit).toArray()));
            cases.add(Arguments.of("WINDOW_UPDATE credit " + credit + " on stream 3",
                wire().header(1, TYPE_WINDOW_UPDATE, 0, 3, credit).toArray()));
        }

        for (final int length : new int[]{0, 1, 7, 9, 16})
        {
            cases.add(Arguments.of("PING payload of " + length, frame(TYPE_PING, 0, new byte[length])));
        }

        cases.add(Arguments.of("OPEN empty", frame(TYPE_OPEN, 1, new byte[0])));
        cases.add(Arguments.of("OPEN of 7 bytes", frame(TYPE_OPEN, 1, new byte[7])));
        cases.add(Arguments.of("OPEN without host", frame(TYPE_OPEN, 1, wire().u8(1).u8(0).u16(80).u32(0))));
        cases.add(Arguments.of("OPEN with host length only half there",
            frame(TYPE_OPEN, 1, wire().u8(1).u8(0).u16(80).u32(0).u8(4))));
        for (final int kind : new int[]{0, 3, 0x7F, 0x80, 0xFF})
        {
            cases.add(Arguments.of("OPEN kind " + kind,
                frame(TYPE_OPEN, 1, wire().u8(kind).u8(0).u16(80).u32(1000).string("host"))));
        }
        cases.add(Arguments.of("OPEN port 0", frame(TYPE_OPEN, 1, wire().u8(1).u8(0).u16(0).u32(1000).string("host"))));
        cases.add(Arguments.of("OPEN empty host",
            frame(TYPE_OPEN, 1, wire().u8(2).u8(0).u16(80).u32(1000).string(""))));
        cases.add(Arguments.of("OPEN host of 256", frame(TYPE_OPEN, 1,
            wire().u8(1).u8(0).u16(80).u32(1000).string('h', 256))));
        cases.add(Arguments.of("OPEN host of 65535", frame(TYPE_OPEN, 1,
            wire().u8(1).u8(0).u16(80).u32(1000).string('h', 65_535))));
        cases.add(Arguments.of("OPEN trailing byte", frame(TYPE_OPEN, 1, openPayload().u8(0))));
        cases.add(Arguments.of("OPEN host longer than the payload", frame(TYPE_OPEN, 1,
            wire().u8(1).u8(0).u16(80).u32(1000).u16(5).bytes("host".getBytes()))));

        cases.add(Arguments.of("OPEN tcp with flags", frame(TYPE_OPEN, 1, wire().u8(1).u8(1).u16(443).u32(0)
            .string("host").string("sni"))));
        cases.add(Arguments.of("OPEN http with an unknown flag", frame(TYPE_OPEN, 1, wire().u8(2).u8(0x09).u16(443)
            .u32(0).string("host").string("sni"))));
        cases.add(Arguments.of("OPEN http verification 3", frame(TYPE_OPEN, 1, wire().u8(2).u8(0x07).u16(443).u32(0)
            .string("host").string("sni"))));
        cases.add(Arguments.of("OPEN http verification without TLS", frame(TYPE_OPEN, 1, wire().u8(2).u8(0x02)
            .u16(443).u32(0).string("host"))));
        cases.add(Arguments.of("OPEN http TLS without server name", frame(TYPE_OPEN, 1, wire().u8(2).u8(1).u16(443)
            .u32(0).string("host"))));
        cases.add(Arguments.of("OPEN http TLS empty server name", frame(TYPE_OPEN, 1, wire().u8(2).u8(1).u16(443)
            .u32(0).string("host").string(""))));
        cases.add(Arguments.of("OPEN http TLS server name of 256", frame(TYPE_OPEN, 1, wire().u8(2).u8(1).u16(443)
            .u32(0).string("host").string('s', 256))));
        cases.add(Arguments.of("OPEN http TLS server name cut short", frame(TYPE_OPEN, 1, wire().u8(2).u8(1)
            .u16(443).u32(0).string("host").u16(5).u8('s'))));
        cases.add(Arguments.of("OPEN http TLS trailing byte", frame(TYPE_OPEN, 1, wire().u8(2).u8(1).u16(443)
            .u32(0).string("host").string("sni").u8(0))));
        cases.add(Arguments.of("OPEN plaintext with a server name", frame(TYPE_OPEN, 1, wire().u8(2).u8(0).u16(80)
            .u32(0).string("host").string("sni"))));
        cases.add(Arguments.of("OPEN_ACK empty", frame(TYPE_OPEN_ACK, 1, new byte[0])));
        cases.add(Arguments.of("OPEN_ACK of 1 byte", frame(TYPE_OPEN_ACK, 1, new byte[1])));
        cases.add(Arguments.of("OPEN_ACK without local", frame(TYPE_OPEN_ACK, 1, wire().string("a:1"))));
        cases.add(Arguments.of("OPEN_ACK local cut short",
            frame(TYPE_OPEN_ACK, 1, wire().string("a:1").u16(3).u8('b'))));
        cases.add(Arguments.of("OPEN_ACK trailing byte", frame(TYPE_OPEN_ACK, 1, openAckPayload().u8(0))));
        cases.add(Arguments.of("OPEN_ACK remote of 256", frame(TYPE_OPEN_ACK, 1, wire().string('r', 256).string("b"))));
        cases.add(Arguments.of("OPEN_ACK local of 256", frame(TYPE_OPEN_ACK, 1, wire().string("a").string('l', 256))));

        cases.add(Arguments.of("RESET empty", frame(TYPE_RESET, 1, new byte[0])));
        cases.add(Arguments.of("RESET of 1 byte", frame(TYPE_RESET, 1, new byte[1])));
        cases.add(Arguments.of("RESET without message", frame(TYPE_RESET, 1, wire().u16(1))));
        cases.add(Arguments.of("RESET message of 513", frame(TYPE_RESET, 1, wire().u16(1).string('m', 513))));
        cases.add(Arguments.of("RESET message cut short", frame(TYPE_RESET, 1, wire().u16(1).u16(10).u8('m'))));
        cases.add(Arguments.of("RESET trailing byte", frame(TYPE_RESET, 1, resetPayload().u8(0))));

        cases.add(Arguments.of("GO_AWAY empty", frame(TYPE_GO_AWAY, 0, new byte[0])));
        cases.add(Arguments.of("GO_AWAY of 5 bytes", frame(TYPE_GO_AWAY, 0, new byte[5])));
        cases.add(Arguments.of("GO_AWAY without message", frame(TYPE_GO_AWAY, 0, wire().u16(0).u32(0))));
        cases.add(Arguments.of("GO_AWAY message of 513",
            frame(TYPE_GO_AWAY, 0, wire().u16(0).u32(0).string('m', 513))));
        cases.add(Arguments.of("GO_AWAY message cut short",
            frame(TYPE_GO_AWAY, 0, wire().u16(0).u32(0).u16(2).u8('m'))));
        cases.add(Arguments.of("GO_AWAY trailing byte", frame(TYPE_GO_AWAY, 0, goAwayPayload().u8(0))));

        cases.add(Arguments.of("HELLO empty", frame(TYPE_HELLO, 0, new byte[0])));
        cases.add(Arguments.of("HELLO of 1 byte", frame(TYPE_HELLO, 0, new byte[1])));
        cases.add(Arguments.of("HELLO versions only", frame(TYPE_HELLO, 0, new byte[2])));
        cases.add(Arguments.of("HELLO without nonce", frame(TYPE_HELLO, 0, wire().u8(1).u8(1).string("t"))));
        cases.add(Arguments.of("HELLO nonce of 31", frame(TYPE_HELLO, 0, wire().u8(1).u8(1).string("t").zeros(31))));
        cases.add(Arguments.of("HELLO nonce of 33", frame(TYPE_HELLO, 0, wire().u8(1).u8(1).string("t").zeros(33))));
        cases.add(Arguments.of("HELLO tunnel id of 256",
            frame(TYPE_HELLO, 0, wire().u8(1).u8(1).string('t', 256).zeros(32))));
        cases.add(Arguments.of("HELLO tunnel id longer than the payload",
            frame(TYPE_HELLO, 0, wire().u8(1).u8(1).u16(200).zeros(32))));
        for (final int length : new int[]{0, 1, 32, 34})
        {
            cases.add(Arguments.of("CHALLENGE of " + length, frame(TYPE_CHALLENGE, 0, new byte[length])));
        }
        for (final int length : new int[]{0, 32, 47, 49})
        {
            cases.add(Arguments.of("AUTH of " + length, frame(TYPE_AUTH, 0, new byte[length])));
        }
        for (final int length : new int[]{0, 48, 55, 57})
        {
            cases.add(Arguments.of("WELCOME of " + length, frame(TYPE_WELCOME, 0, new byte[length])));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFrames")
    void shouldRefuseAHostileFrameWithProtocolError(final String name, final byte[] wire)
    {
        final int result = decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler);

        assertEquals(FrameDecoder.ERROR, result, name);
        assertProtocolError();
        assertEquals(List.of(), handler.frames());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFrames")
    void shouldDeliverTheFramesBeforeAHostileOneThenRefuseIt(final String name, final byte[] hostile)
    {
        final byte[] ping = Frames.encode(new Frame.Ping(false, 42));
        final byte[] wire = concat(ping, hostile, ping);

        final int result = decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler);

        assertEquals(FrameDecoder.ERROR, result, name);
        assertProtocolError();
        assertEquals(List.of(new Frame.Ping(false, 42)), handler.frames());
    }

    static Stream<Arguments> oversizedHeaders()
    {
        final List<Arguments> cases = new ArrayList<>();
        final int[] types = {
            TYPE_DATA, TYPE_OPEN, TYPE_OPEN_ACK, TYPE_RESET, TYPE_PING, TYPE_GO_AWAY, TYPE_HELLO, TYPE_CHALLENGE,
            TYPE_AUTH, TYPE_WELCOME, 0x07, 0xFF};
        for (final int max : new int[]{FrameDecoder.HANDSHAKE_MAX_PAYLOAD, MAX_PAYLOAD, TunnelLimits.MAX_FRAME_PAYLOAD})
        {
            for (final int type : types)
            {
                final int streamId = type == TYPE_DATA || type == TYPE_OPEN || type == TYPE_OPEN_ACK ||
                    type == TYPE_RESET ? 1 : 0;
                for (final long length : new long[]{max + 1L, Integer.MAX_VALUE, 0x8000_0000L, 0xFFFF_FFFFL})
                {
                    cases.add(Arguments.of(max, type, streamId, length));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "max {0}, type {1}, length {3}")
    @MethodSource("oversizedHeaders")
    void shouldRefuseAnOversizedPayloadFromTheHeaderAlone(
        final int max, final int type, final int streamId, final long length)
    {
        final byte[] headerOnly = wire().header(1, type, 0, streamId, length).toArray();
        decoder.maxFramePayload(max);

        final int result = decoder.decode(FencedBuffer.exact(headerOnly), 0, headerOnly.length, handler);

        assertEquals(FrameDecoder.ERROR, result);
        assertProtocolError();
        assertEquals(List.of(), handler.frames());
    }

    @ParameterizedTest
    @ValueSource(ints = {TYPE_DATA, TYPE_OPEN, TYPE_RESET, TYPE_OPEN_ACK})
    void shouldWaitForAPayloadOfExactlyTheLimit(final int type)
    {
        final byte[] headerOnly = wire().header(1, type, 0, 1, MAX_PAYLOAD).toArray();

        assertEquals(0, decoder.decode(FencedBuffer.exact(headerOnly), 0, headerOnly.length, handler));
        assertEquals(List.of(), handler.frames());
    }

    @Test
    void shouldStartWithTheHandshakeLimit()
    {
        final FrameDecoder fresh = new FrameDecoder();
        final byte[] atLimit = frame(TYPE_DATA, 1, new byte[FrameDecoder.HANDSHAKE_MAX_PAYLOAD]);
        final byte[] overLimit = frame(TYPE_DATA, 1, new byte[FrameDecoder.HANDSHAKE_MAX_PAYLOAD + 1]);

        assertEquals(1024, fresh.maxFramePayload());
        assertEquals(atLimit.length, fresh.decode(FencedBuffer.exact(atLimit), 0, atLimit.length, handler));
        assertEquals(FrameDecoder.ERROR, fresh.decode(FencedBuffer.exact(overLimit), 0, overLimit.length, handler));
        assertEquals(WireCode.PROTOCOL_ERROR, fresh.errorCode());
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 65_536L, 0x7FFF_FFFFL})
    void shouldAcceptWindowUpdateCreditUpToIntMax(final long credit)
    {
        final byte[] wire = concat(
            wire().header(1, TYPE_WINDOW_UPDATE, 0, 0, credit).toArray(),
            wire().header(1, TYPE_WINDOW_UPDATE, 0, 9, credit).toArray());

        assertEquals(24, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler));
        assertEquals(List.of(new Frame.WindowUpdate(0, (int)credit), new Frame.WindowUpdate(9, (int)credit)),
            handler.frames());
    }

    @Test
    void shouldNotTakeAWindowUpdateCreditAsAPayloadLength()
    {
        final byte[] wire = concat(
            wire().header(1, TYPE_WINDOW_UPDATE, 0, 1, 0x7FFF_FFFFL).toArray(),
            Frames.encode(new Frame.Ping(true, 5)));

        assertEquals(wire.length, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler));
        assertEquals(List.of(new Frame.WindowUpdate(1, Integer.MAX_VALUE), new Frame.Ping(true, 5)), handler.frames());
    }

    @Test
    void shouldStopWithTheCodeTheHandlerReturns()
    {
        final RecordingFrameHandler refusing = new RecordingFrameHandler(
            call -> call == 1 ? WireCode.CONNECTION_LIMIT_REACHED : FrameHandler.CONTINUE);
        final byte[] wire = concat(
            Frames.encode(new Frame.Ping(false, 1)),
            Frames.encode(new Frame.Ping(false, 2)),
            Frames.encode(new Frame.Ping(false, 3)));

        final int result = decoder.decode(FencedBuffer.exact(wire), 0, wire.length, refusing);

        assertEquals(FrameDecoder.ERROR, result);
        assertEquals(WireCode.CONNECTION_LIMIT_REACHED, decoder.errorCode());
        assertNotNull(decoder.errorReason());
        assertEquals(List.of(new Frame.Ping(false, 1), new Frame.Ping(false, 2)), refusing.frames());
    }

    @Test
    void shouldReportTheReasonTheHandlerGave()
    {
        final FrameHandler refusing = new FrameHandler()
        {
            @Override
            public int onOpen(final int streamId, final OpenDecoder open)
            {
                decoder.reason("stream id " + streamId + " not above the last one");
                return WireCode.PROTOCOL_ERROR;
            }
        };
        final byte[] wire = frame(TYPE_OPEN, 3, openPayload());

        assertEquals(FrameDecoder.ERROR, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, refusing));
        assertEquals(WireCode.PROTOCOL_ERROR, decoder.errorCode());
        assertEquals("stream id 3 not above the last one", decoder.errorReason());
    }

    @Test
    void shouldNotKeepAReasonFromAnEarlierFrame()
    {
        final FrameHandler handlerWithStaleReason = new FrameHandler()
        {
            @Override
            public int onPing(final boolean ack, final long opaque)
            {
                if (opaque == 1)
                {
                    decoder.reason("stale");
                    return CONTINUE;
                }
                return WireCode.CANCELLED;
            }
        };
        final byte[] wire = concat(Frames.encode(new Frame.Ping(false, 1)), Frames.encode(new Frame.Ping(false, 2)));

        final int result = decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handlerWithStaleReason);

        assertEquals(FrameDecoder.ERROR, result);
        assertEquals(WireCode.CANCELLED, decoder.errorCode());
        assertFalse(decoder.errorReason().contains("stale"));
    }

    @Test
    void shouldRefuseAFrameTypeTheHandlerDoesNotExpect()
    {
        final FrameHandler expectsNothing = new FrameHandler()
        {
        };
        final byte[] wire = Frames.encode(new Frame.Data(1, 0, new Frame.Bytes(new byte[4])));

        assertEquals(FrameDecoder.ERROR, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, expectsNothing));
        assertEquals(WireCode.PROTOCOL_ERROR, decoder.errorCode());
    }

    @Test
    void shouldConsumeTheFrameAndStopWhenTheHandlerSaysStop()
    {
        final RecordingFrameHandler stopping = new RecordingFrameHandler(
            call -> call == 0 ? FrameHandler.STOP : FrameHandler.CONTINUE);
        final byte[] first = Frames.encode(new Frame.WindowUpdate(1, 100));
        final byte[] second = Frames.encode(new Frame.Ping(false, 7));
        final byte[] wire = concat(first, second);
        final UnsafeBuffer buffer = FencedBuffer.exact(wire);

        final int consumed = decoder.decode(buffer, 0, wire.length, stopping);

        assertEquals(first.length, consumed);
        assertEquals(List.of(new Frame.WindowUpdate(1, 100)), stopping.frames());

        assertEquals(second.length, decoder.decode(buffer, consumed, wire.length - consumed, stopping));
        assertEquals(List.of(new Frame.WindowUpdate(1, 100), new Frame.Ping(false, 7)), stopping.frames());
    }

    @Test
    void shouldStopAfterTheLastFrameWithoutError()
    {
        final RecordingFrameHandler stopping = new RecordingFrameHandler(call -> FrameHandler.STOP);
        final byte[] wire = Frames.encode(new Frame.Ping(true, 7));

        assertEquals(wire.length, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, stopping));
        assertEquals(List.of(new Frame.Ping(true, 7)), stopping.frames());
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 99, 103, 1000, 0x8000, 0xFFFF})
    void shouldReadAnUnknownCodeAsProtocolError(final int code)
    {
        final byte[] wire = concat(
            frame(TYPE_RESET, 1, wire().u16(code).string("r")),
            frame(TYPE_GO_AWAY, 0, wire().u16(code).u32(5).string("g")));

        assertEquals(wire.length, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler));
        assertEquals(List.of(
            new Frame.Reset(1, WireCode.PROTOCOL_ERROR, "r"),
            new Frame.GoAway(WireCode.PROTOCOL_ERROR, 5, "g")), handler.frames());
    }

    @Test
    void shouldReadEveryKnownCodeAsItself()
    {
        for (final int code : Frames.KNOWN_CODES)
        {
            final byte[] wire = frame(TYPE_RESET, 1, wire().u16(code).string(""));
            final RecordingFrameHandler recording = new RecordingFrameHandler();

            assertEquals(wire.length, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, recording));
            assertEquals(List.of(new Frame.Reset(1, code, "")), recording.frames());
        }
    }

    @Test
    void shouldConsumeNothingUntilAWholeFrameHasArrived()
    {
        final byte[] wire = Frames.encode(new Frame.Open(1, 1, "example.org", 443, 5000));

        for (int length = 0; length < wire.length; length++)
        {
            final byte[] part = Arrays.copyOf(wire, length);
            assertEquals(0, decoder.decode(FencedBuffer.exact(part), 0, length, handler), "after " + length + " bytes");
        }
        assertEquals(List.of(), handler.frames());
        assertEquals(wire.length, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler));
        assertEquals(List.of(new Frame.Open(1, 1, "example.org", 443, 5000)), handler.frames());
    }

    @Test
    void shouldConsumeOnlyWholeFrames()
    {
        final byte[] first = Frames.encode(new Frame.Reset(3, WireCode.CANCELLED, "bye"));
        final byte[] second = Frames.encode(new Frame.Data(3, 0, new Frame.Bytes(new byte[]{1, 2, 3, 4})));
        final byte[] wire = concat(first, Arrays.copyOf(second, second.length - 1));

        assertEquals(first.length, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler));
        assertEquals(List.of(new Frame.Reset(3, WireCode.CANCELLED, "bye")), handler.frames());
    }

    @Test
    void shouldDecodeAtAnOffsetWithoutReadingOutsideIt()
    {
        final byte[] frames = concat(
            Frames.encode(new Frame.Ping(false, -2)),
            Frames.encode(new Frame.Data(5, FrameHeader.FLAG_FIN, new Frame.Bytes(new byte[]{9}))));
        final byte[] array = new byte[frames.length + 20];
        Arrays.fill(array, (byte)0xEE);
        System.arraycopy(frames, 0, array, 7, frames.length);
        final FencedBuffer buffer = new FencedBuffer(array, 7, 7 + frames.length);

        assertEquals(frames.length, decoder.decode(buffer, 7, frames.length, handler));
        assertEquals(List.of(
            new Frame.Ping(false, -2),
            new Frame.Data(5, FrameHeader.FLAG_FIN, new Frame.Bytes(new byte[]{9}))), handler.frames());
    }

    @Test
    void shouldPassDataFlagsAndEmptyPayloadsThrough()
    {
        final byte[] wire = concat(
            wire().header(1, TYPE_DATA, 0xFFFF, 1, 0).toArray(),
            wire().header(1, TYPE_PING, FrameHeader.FLAG_FIN, 0, 8).u64(3).toArray(),
            wire().header(1, TYPE_PING, 0xFFFF, 0, 8).u64(4).toArray());

        assertEquals(wire.length, decoder.decode(FencedBuffer.exact(wire), 0, wire.length, handler));
        assertEquals(List.of(
            new Frame.Data(1, 0xFFFF, new Frame.Bytes(new byte[0])),
            new Frame.Ping(false, 3),
            new Frame.Ping(true, 4)), handler.frames());
    }

    @Test
    void shouldHandThePayloadInPlaceWithoutCopying()
    {
        final byte[] wire = Frames.encode(new Frame.Data(1, 0, new Frame.Bytes(new byte[]{10, 20, 30})));
        final UnsafeBuffer buffer = new UnsafeBuffer(wire);
        final int[] seen = new int[3];
        final FrameHandler inPlace = new FrameHandler()
        {
            @Override
            public int onData(
                final int streamId, final int flags, final DirectBuffer payload, final int offset, final int length)
            {
                seen[0] = payload == buffer ? 1 : 0;
                seen[1] = offset;
                seen[2] = length;
                return CONTINUE;
            }
        };

        decoder.decode(buffer, 0, wire.length, inPlace);

        assertEquals(1, seen[0]);
        assertEquals(FrameHeader.LENGTH, seen[1]);
        assertEquals(3, seen[2]);
    }

    private void assertProtocolError()
    {
        assertEquals(WireCode.PROTOCOL_ERROR, decoder.errorCode());
        assertNotNull(decoder.errorReason());
        assertTrue(!decoder.errorReason().isEmpty(), "a reason is given");
    }

    private static byte[] concat(final byte[]... parts)
    {
        final WireBuilder builder = wire();
        for (final byte[] part : parts)
        {
            builder.bytes(part);
        }
        return builder.toArray();
    }
}

package dev.warren.codec.tunnel;

import dev.warren.codec.support.FencedBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunnelFrameEncoderTest
{
    private static final TunnelLimits LIMITS = new TunnelLimits(17, 4096, 8192, 1 << 20);

    static Stream<Frame> everyFrameType()
    {
        return Stream.of(
            new Frame.Data(1, 0, new Frame.Bytes(new byte[]{1, 2, 3})),
            new Frame.Data(3, FrameHeader.FLAG_FIN, new Frame.Bytes(new byte[0])),
            new Frame.Data(-1, FrameHeader.FLAG_FIN, new Frame.Bytes(new byte[1000])),
            new Frame.WindowUpdate(0, 1),
            new Frame.WindowUpdate(5, FrameHeader.MAX_WINDOW),
            new Frame.Open(7, TunnelFrameEncoder.KIND_TCP, "db.internal", 5432, 3000),
            new Frame.Open(9, TunnelFrameEncoder.KIND_HTTP, "h", 65_535, -1),
            new Frame.OpenAck(7, "10.0.0.5:5432", "10.0.0.9:41234"),
            new Frame.OpenAck(9, "", ""),
            new Frame.Reset(7, WireCode.CONNECTION_REFUSED, "refused by 10.0.0.5:5432"),
            new Frame.Reset(9, WireCode.CANCELLED, ""),
            new Frame.Ping(false, 0x0102030405060708L),
            new Frame.Ping(true, -1L),
            new Frame.GoAway(WireCode.NONE, 0, "bye"),
            new Frame.GoAway(WireCode.PROTOCOL_ERROR, Integer.MAX_VALUE, "données → 中"),
            new Frame.Hello(1, 1, "tunnel-42", bytes32(1)),
            new Frame.Hello(0, 255, "t", bytes32(2)),
            new Frame.Challenge(1, bytes32(3)),
            new Frame.Auth(bytes32(4), LIMITS),
            new Frame.Welcome(bytes32(5), Long.MIN_VALUE, TunnelLimits.DEFAULTS));
    }

    @ParameterizedTest
    @MethodSource("everyFrameType")
    void shouldRoundTripThroughTheDecoder(final Frame frame)
    {
        assertEquals(List.of(frame), decode(Frames.encode(frame)));
    }

    @Test
    void shouldRoundTripEveryTypeBackToBack()
    {
        final List<Frame> frames = everyFrameType().toList();

        assertEquals(frames, decode(Frames.encodeAll(frames).bytes()));
    }

    @Test
    void shouldReturnTheBytesWrittenHeaderIncluded()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();

        assertEquals(12 + 5, TunnelFrameEncoder.dataHeader(buffer, 0, 1, false, 5));
        assertEquals(12, TunnelFrameEncoder.windowUpdate(buffer, 0, 1, 100));
        assertEquals(12 + 8, TunnelFrameEncoder.ping(buffer, 0, false, 1));
        assertEquals(12 + 8 + 2 + 4, TunnelFrameEncoder.open(buffer, 0, 1, 1, "host", 80, 0));
        assertEquals(12 + 2 + 1 + 2 + 2, TunnelFrameEncoder.openAck(buffer, 0, 1, "a", "bc"));
        assertEquals(12 + 2 + 2 + 3, TunnelFrameEncoder.reset(buffer, 0, 1, 1, "abc"));
        assertEquals(12 + 6 + 2 + 3, TunnelFrameEncoder.goAway(buffer, 0, 0, 0, "abc"));
        assertEquals(12 + 2 + 2 + 3 + 32, TunnelFrameEncoder.hello(buffer, 0, 1, 1, "abc", new byte[32]));
        assertEquals(12 + 1 + 32, TunnelFrameEncoder.challenge(buffer, 0, 1, new byte[32]));
        assertEquals(12 + 32 + 16, TunnelFrameEncoder.auth(buffer, 0, new byte[32], LIMITS));
        assertEquals(12 + 32 + 8 + 16, TunnelFrameEncoder.welcome(buffer, 0, new byte[32], 1L, LIMITS));
    }

    @Test
    void shouldWriteADataHeaderInFrontOfPayloadAlreadyInPlace()
    {
        final byte[] bytes = new byte[12 + 3];
        bytes[12] = 'a';
        bytes[13] = 'b';
        bytes[14] = 'c';

        final int length = TunnelFrameEncoder.dataHeader(new UnsafeBuffer(bytes), 0, 0x0102, true, 3);

        assertEquals(15, length);
        assertArrayEquals(new byte[]{1, 0, 1, 0, 2, 1, 0, 0, 3, 0, 0, 0, 'a', 'b', 'c'}, bytes);
    }

    @Test
    void shouldLayOutAnOpenPayloadAsDocumented()
    {
        final byte[] bytes = Frames.encode(new Frame.Open(5, TunnelFrameEncoder.KIND_HTTP, "ab", 0x1F90, 0x01020304));

        assertArrayEquals(new byte[]{
            1, 2, 0, 0, 5, 0, 0, 0, 12, 0, 0, 0, // header
            2, 0,                                // kind, reserved
            (byte)0x90, 0x1F,                    // port
            4, 3, 2, 1,                          // connect timeout
            2, 0, 'a', 'b',                      // host
        }, bytes);
    }

    @Test
    void shouldRefuseAnEmptyOrOverlongHostRatherThanSendAnotherHost()
    {
        final org.agrona.concurrent.UnsafeBuffer buffer = new org.agrona.concurrent.UnsafeBuffer(new byte[2048]);
        assertThrows(IllegalArgumentException.class,
            () -> TunnelFrameEncoder.open(buffer, 0, 1, TunnelFrameEncoder.KIND_TCP, "h".repeat(256), 80, 0));
        assertThrows(IllegalArgumentException.class,
            () -> TunnelFrameEncoder.open(buffer, 0, 1, TunnelFrameEncoder.KIND_TCP, "", 80, 0));
        final List<Frame> frames = decode(Frames.encode(new Frame.Open(1, 1, "h".repeat(255), 80, 0)));
        assertEquals(List.of(new Frame.Open(1, 1, "h".repeat(255), 80, 0)), frames);
    }

    @Test
    void shouldCutOverlongOpenAckAddressesTo255Bytes()
    {
        final String remote = "r".repeat(256);
        final String local = "l".repeat(1000);

        final List<Frame> frames = decode(Frames.encode(new Frame.OpenAck(1, remote, local)));

        assertEquals(List.of(new Frame.OpenAck(1, "r".repeat(255), "l".repeat(255))), frames);
    }

    @Test
    void shouldCutOverlongMessagesTo512Bytes()
    {
        final String message = "m".repeat(513);

        final List<Frame> frames = decode(Frames.encodeAll(List.of(
            new Frame.Reset(1, WireCode.TLS_ERROR, message),
            new Frame.GoAway(WireCode.NONE, 9, message + "more"))).bytes());

        assertEquals(List.of(
            new Frame.Reset(1, WireCode.TLS_ERROR, "m".repeat(512)),
            new Frame.GoAway(WireCode.NONE, 9, "m".repeat(512))), frames);
    }

    @Test
    void shouldCutAnOverlongTunnelIdTo255Bytes()
    {
        final Frame.Bytes nonce = bytes32(9);

        final List<Frame> frames = decode(Frames.encode(new Frame.Hello(1, 1, "t".repeat(400), nonce)));

        assertEquals(List.of(new Frame.Hello(1, 1, "t".repeat(255), nonce)), frames);
    }

    @Test
    void shouldFitTheLargestControlFramesInTheAdvertisedRoomAndTheSmallestPayloadLimit()
    {
        final String longest = "x".repeat(10_000);
        final List<Frame> largest = List.of(
            new Frame.Open(1, 1, "x".repeat(255), 1, 0),
            new Frame.OpenAck(1, longest, longest),
            new Frame.Reset(1, 0, longest),
            new Frame.GoAway(0, 0, longest),
            new Frame.Hello(1, 1, longest, bytes32(0)),
            new Frame.Challenge(1, bytes32(0)),
            new Frame.Auth(bytes32(0), LIMITS),
            new Frame.Welcome(bytes32(0), 0, LIMITS),
            new Frame.Ping(false, 0),
            new Frame.WindowUpdate(0, 1));

        for (final Frame frame : largest)
        {
            final int length = Frames.encode(frame).length;
            assertTrue(length <= TunnelFrameEncoder.MAX_CONTROL_FRAME_LENGTH, frame + " is " + length + " bytes");
            assertTrue(length - FrameHeader.LENGTH <= TunnelLimits.MIN_FRAME_PAYLOAD, frame + " payload too big");
            assertTrue(length - FrameHeader.LENGTH <= FrameDecoder.HANDSHAKE_MAX_PAYLOAD, frame + " payload too big");
        }
    }

    private static List<Frame> decode(final byte[] bytes)
    {
        final FrameDecoder decoder = new FrameDecoder().maxFramePayload(TunnelLimits.MAX_FRAME_PAYLOAD);
        final RecordingFrameHandler handler = new RecordingFrameHandler();

        final int consumed = decoder.decode(FencedBuffer.exact(bytes), 0, bytes.length, handler);

        assertEquals(bytes.length, consumed, decoder.errorReason());
        return handler.frames();
    }

    private static Frame.Bytes bytes32(final int seed)
    {
        final byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte)seed);
        bytes[0] = (byte)0xFF;
        bytes[31] = (byte)(seed * 7);
        return new Frame.Bytes(bytes);
    }
}

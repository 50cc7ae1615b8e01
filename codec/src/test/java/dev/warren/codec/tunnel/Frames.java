package dev.warren.codec.tunnel;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;

/** Encodes {@link Frame}s with {@link TunnelFrameEncoder}, and generates valid ones for properties. */
final class Frames
{
    /** What the properties tell the decoder it accepts: the default after the handshake. */
    static final int MAX_FRAME_PAYLOAD = TunnelLimits.DEFAULT_MAX_FRAME_PAYLOAD;

    static final int[] KNOWN_CODES = {
        WireCode.NONE, WireCode.CONNECTION_REFUSED, WireCode.CONNECTION_TIMEOUT, WireCode.CONNECTION_TERMINATED,
        WireCode.CONNECTION_LIMIT_REACHED, WireCode.DESTINATION_UNAVAILABLE, WireCode.DESTINATION_NOT_ALLOWED,
        WireCode.DNS_ERROR, WireCode.TLS_ERROR, WireCode.PROTOCOL_ERROR, WireCode.REQUEST_INVALID,
        WireCode.AUTH_FAILED, WireCode.UNSUPPORTED_VERSION, WireCode.CANCELLED,
    };

    private Frames()
    {
    }

    /** Writes {@code frame} at {@code offset} and returns the bytes written. */
    static int encode(final MutableDirectBuffer buffer, final int offset, final Frame frame)
    {
        if (frame instanceof Frame.Data data)
        {
            final byte[] payload = data.payload().value();
            buffer.putBytes(offset + FrameHeader.LENGTH, payload);
            return TunnelFrameEncoder.dataHeader(
                buffer, offset, data.streamId(), (data.flags() & FrameHeader.FLAG_FIN) != 0, payload.length);
        }
        if (frame instanceof Frame.WindowUpdate update)
        {
            return TunnelFrameEncoder.windowUpdate(buffer, offset, update.streamId(), update.credit());
        }
        if (frame instanceof Frame.Open open)
        {
            return TunnelFrameEncoder.open(
                buffer, offset, open.streamId(), open.kind(), open.host(), open.port(), open.connectTimeoutMs());
        }
        if (frame instanceof Frame.OpenAck ack)
        {
            return TunnelFrameEncoder.openAck(buffer, offset, ack.streamId(), ack.remote(), ack.local());
        }
        if (frame instanceof Frame.Reset reset)
        {
            return TunnelFrameEncoder.reset(buffer, offset, reset.streamId(), reset.code(), reset.message());
        }
        if (frame instanceof Frame.Ping ping)
        {
            return TunnelFrameEncoder.ping(buffer, offset, ping.ack(), ping.opaque());
        }
        if (frame instanceof Frame.GoAway goAway)
        {
            return TunnelFrameEncoder.goAway(
                buffer, offset, goAway.code(), goAway.lastStreamId(), goAway.message());
        }
        if (frame instanceof Frame.Hello hello)
        {
            return TunnelFrameEncoder.hello(buffer, offset, hello.minVersion(), hello.maxVersion(), hello.tunnelId(),
                hello.nonce().value());
        }
        if (frame instanceof Frame.Challenge challenge)
        {
            return TunnelFrameEncoder.challenge(buffer, offset, challenge.version(), challenge.nonce().value());
        }
        if (frame instanceof Frame.Auth auth)
        {
            return TunnelFrameEncoder.auth(buffer, offset, auth.proof().value(), auth.limits());
        }
        if (frame instanceof Frame.Welcome welcome)
        {
            return TunnelFrameEncoder.welcome(
                buffer, offset, welcome.proof().value(), welcome.connectionId(), welcome.limits());
        }
        throw new IllegalArgumentException("unknown frame " + frame);
    }

    /** The frames back to back, and where each starts. */
    record Encoded(byte[] bytes, int[] frameOffsets)
    {
    }

    static Encoded encodeAll(final List<Frame> frames)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int[] offsets = new int[frames.size()];
        int length = 0;
        for (int i = 0; i < frames.size(); i++)
        {
            offsets[i] = length;
            length += encode(buffer, length, frames.get(i));
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return new Encoded(bytes, offsets);
    }

    static byte[] encode(final Frame frame)
    {
        return encodeAll(List.of(frame)).bytes();
    }

    // ---- generators of valid frames: every value here survives encode then decode unchanged ----

    /** How big generated frames get. */
    record Sizes(int maxDataPayload, int maxHost, int maxAddress, int maxMessage)
    {
    }

    /** Up to the largest payload and strings the protocol allows (messages stay short enough not to be cut). */
    static final Sizes FULL =
        new Sizes(MAX_FRAME_PAYLOAD, WireStrings.MAX_HOST_LENGTH, 24, WireStrings.MAX_MESSAGE_LENGTH / 3);
    /** Small frames, cheap to generate in bulk. */
    static final Sizes SMALL = new Sizes(40, 12, 12, 12);

    static Arbitrary<Frame> frames()
    {
        return frames(FULL);
    }

    static Arbitrary<Frame> frames(final Sizes sizes)
    {
        return Arbitraries.frequencyOf(
            Tuple.of(6, data(sizes.maxDataPayload())),
            Tuple.of(3, windowUpdate()),
            Tuple.of(2, open(sizes.maxHost())),
            Tuple.of(2, openAck(sizes.maxAddress())),
            Tuple.of(2, reset(sizes.maxMessage())),
            Tuple.of(2, ping()),
            Tuple.of(1, goAway(sizes.maxMessage())),
            Tuple.of(1, hello(Math.min(64, sizes.maxHost()))),
            Tuple.of(1, challenge()),
            Tuple.of(1, auth()),
            Tuple.of(1, welcome()));
    }

    static Arbitrary<List<Frame>> frameLists(final int maxFrames)
    {
        return frames().list().ofMaxSize(maxFrames);
    }

    static Arbitrary<Integer> streamIds()
    {
        return Arbitraries.oneOf(
            Arbitraries.integers().between(1, 1000),
            Arbitraries.integers().filter(id -> id != 0));
    }

    static Arbitrary<Frame> data(final int maxPayload)
    {
        final Arbitrary<byte[]> payloads = maxPayload <= 64 ?
            Arbitraries.bytes().array(byte[].class).ofMaxSize(maxPayload) :
            Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(Math.min(2048, maxPayload))),
                Tuple.of(1, Arbitraries.integers().between(0, maxPayload).map(byte[]::new)));
        return Combinators.combine(streamIds(), Arbitraries.of(0, (int)FrameHeader.FLAG_FIN), payloads)
            .as((streamId, flags, payload) -> new Frame.Data(streamId, flags, new Frame.Bytes(payload)));
    }

    static Arbitrary<Frame> windowUpdate()
    {
        return Combinators.combine(
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers().between(1, FrameHeader.MAX_WINDOW))
            .as(Frame.WindowUpdate::new);
    }

    static Arbitrary<Frame> open(final int maxHost)
    {
        return Combinators.combine(
                streamIds(),
                Arbitraries.of(TunnelFrameEncoder.KIND_TCP, TunnelFrameEncoder.KIND_HTTP),
                hosts(1, maxHost),
                Arbitraries.integers().between(1, 65_535),
                Arbitraries.integers())
            .as(Frame.Open::new);
    }

    static Arbitrary<Frame> openAck(final int maxAddress)
    {
        return Combinators.combine(streamIds(), hosts(0, maxAddress), hosts(0, maxAddress)).as(Frame.OpenAck::new);
    }

    static Arbitrary<Frame> reset(final int maxMessage)
    {
        return Combinators.combine(streamIds(), codes(), messages(maxMessage)).as(Frame.Reset::new);
    }

    static Arbitrary<Frame> ping()
    {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs()).as(Frame.Ping::new);
    }

    static Arbitrary<Frame> goAway(final int maxMessage)
    {
        return Combinators.combine(codes(), Arbitraries.integers(), messages(maxMessage)).as(Frame.GoAway::new);
    }

    static Arbitrary<Frame> hello(final int maxTunnelId)
    {
        return Combinators.combine(
                Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 255),
                hosts(1, maxTunnelId),
                bytes32())
            .as(Frame.Hello::new);
    }

    static Arbitrary<Frame> challenge()
    {
        return Combinators.combine(Arbitraries.integers().between(0, 255), bytes32()).as(Frame.Challenge::new);
    }

    static Arbitrary<Frame> auth()
    {
        return Combinators.combine(bytes32(), limits()).as(Frame.Auth::new);
    }

    static Arbitrary<Frame> welcome()
    {
        return Combinators.combine(bytes32(), Arbitraries.longs(), limits()).as(Frame.Welcome::new);
    }

    static Arbitrary<Integer> codes()
    {
        final List<Integer> codes = new ArrayList<>();
        for (final int code : KNOWN_CODES)
        {
            codes.add(code);
        }
        return Arbitraries.of(codes);
    }

    /** ASCII host names and address texts. */
    static Arbitrary<String> hosts(final int minLength, final int maxLength)
    {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('.', '-', ':', '[', ']')
            .ofMinLength(minLength).ofMaxLength(maxLength);
    }

    /** Messages with multi-byte UTF-8; at most 3 bytes a char, so up to 170 chars are never cut. */
    static Arbitrary<String> messages(final int maxLength)
    {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', ':', 'é', 'ß', '中', '→')
            .ofMaxLength(maxLength);
    }

    static Arbitrary<Frame.Bytes> bytes32()
    {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Frame.Bytes::new);
    }

    static Arbitrary<TunnelLimits> limits()
    {
        return Combinators.combine(
                Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers())
            .as(TunnelLimits::new);
    }
}

package dev.warren.engine.support;

import dev.warren.codec.tunnel.FrameDecoder;
import dev.warren.codec.tunnel.FrameHandler;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.GoAwayDecoder;
import dev.warren.codec.tunnel.HandshakeDecoder;
import dev.warren.codec.tunnel.OpenAckDecoder;
import dev.warren.codec.tunnel.OpenDecoder;
import dev.warren.codec.tunnel.ResetDecoder;
import dev.warren.codec.tunnel.TunnelLimits;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Frames a hostile connector sends, built byte by byte from PROTOCOL.md (not with the production encoder, so a
 * frame can be wrong in exactly one chosen way), the catalogue of protocol breaches that need no stream, and a
 * decoder for what the edge writes back. Shared by {@code HostileFrameSequencesTest} (in-memory, 100,000+ cases)
 * and {@code HostileConnectionsTest} (real sockets).
 * <p>
 * A {@link BreachCase} is a breach kind plus three free integers that pick its variant and fields; it is turned into
 * bytes against a {@link PeerView} (what the hostile side knows of the connection) by {@link #encode}, so jqwik can
 * generate and shrink it and a seeded loop can draw it with {@link #randomBreach}. Every breach here must make the
 * edge answer {@code GO_AWAY(protocol_error)} and close, once all of its bytes have arrived.
 */
public final class HostileFrames
{
    public static final int MAX_WINDOW = FrameHeader.MAX_WINDOW;
    /** Frame types no version of the protocol defines. */
    private static final int[] UNKNOWN_TYPES = unknownTypes();
    /** Types whose {@code length} field is a payload length (everything but WINDOW_UPDATE). */
    private static final int[] PAYLOAD_TYPES = {
        FrameHeader.TYPE_DATA, FrameHeader.TYPE_OPEN, FrameHeader.TYPE_OPEN_ACK, FrameHeader.TYPE_RESET,
        FrameHeader.TYPE_PING, FrameHeader.TYPE_GO_AWAY, FrameHeader.TYPE_HELLO, FrameHeader.TYPE_CHALLENGE,
        FrameHeader.TYPE_AUTH, FrameHeader.TYPE_WELCOME};

    private HostileFrames()
    {
    }

    // ---- frames, little-endian, as PROTOCOL.md §1 and §2 lay them out -------------------------------------------

    /** A 12-byte header; {@code length} is written as the unsigned 32 bits given. */
    public static byte[] header(final int version, final int type, final int flags, final int streamId,
        final long length)
    {
        return new Bytes().u8(version).u8(type).u16(flags).u32(streamId).u32((int)length).toArray();
    }

    /** A version-1 frame whose length field is the payload's length. */
    public static byte[] frame(final int type, final int flags, final int streamId, final byte[] payload)
    {
        return concat(header(FrameHeader.VERSION, type, flags, streamId, payload.length), payload);
    }

    public static byte[] data(final int streamId, final boolean fin, final int length)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(i * 31 + streamId);
        }
        return frame(FrameHeader.TYPE_DATA, fin ? FrameHeader.FLAG_FIN : 0, streamId, payload);
    }

    /** {@code credit} is written as the unsigned 32 bits given: 0 and values above 2³¹−1 make invalid frames. */
    public static byte[] windowUpdate(final int streamId, final long credit)
    {
        return header(FrameHeader.VERSION, FrameHeader.TYPE_WINDOW_UPDATE, 0, streamId, credit);
    }

    public static byte[] ping(final boolean ack, final long opaque)
    {
        return frame(FrameHeader.TYPE_PING, ack ? FrameHeader.FLAG_ACK : 0, 0, new Bytes().u64(opaque).toArray());
    }

    public static byte[] open(final int streamId, final int kind, final String host, final int port,
        final int timeoutMs)
    {
        return frame(FrameHeader.TYPE_OPEN, 0, streamId,
            new Bytes().u8(kind).u8(0).u16(port).u32(timeoutMs).string(host).toArray());
    }

    public static byte[] openAck(final int streamId, final String remote, final String local)
    {
        return frame(FrameHeader.TYPE_OPEN_ACK, 0, streamId, new Bytes().string(remote).string(local).toArray());
    }

    public static byte[] reset(final int streamId, final int code, final String message)
    {
        return frame(FrameHeader.TYPE_RESET, 0, streamId, new Bytes().u16(code).string(message).toArray());
    }

    public static byte[] goAway(final int code, final int lastStreamId, final String message)
    {
        return frame(FrameHeader.TYPE_GO_AWAY, 0, 0, new Bytes().u16(code).u32(lastStreamId).string(message).toArray());
    }

    public static byte[] hello(final int minVersion, final int maxVersion, final String tunnelId,
        final byte[] clientNonce)
    {
        return frame(FrameHeader.TYPE_HELLO, 0, 0,
            new Bytes().u8(minVersion).u8(maxVersion).string(tunnelId).raw(clientNonce).toArray());
    }

    public static byte[] challenge(final int version, final byte[] serverNonce)
    {
        return frame(FrameHeader.TYPE_CHALLENGE, 0, 0, new Bytes().u8(version).raw(serverNonce).toArray());
    }

    public static byte[] auth(final byte[] proof, final TunnelLimits limits)
    {
        return frame(FrameHeader.TYPE_AUTH, 0, 0, new Bytes().raw(proof).limits(limits).toArray());
    }

    public static byte[] welcome(final byte[] proof, final long connectionId, final TunnelLimits limits)
    {
        return frame(FrameHeader.TYPE_WELCOME, 0, 0, new Bytes().raw(proof).u64(connectionId).limits(limits).toArray());
    }

    public static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] all = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** A copy of {@code frame} with its length field replaced. */
    public static byte[] withLength(final byte[] frame, final long length)
    {
        final byte[] copy = frame.clone();
        new UnsafeBuffer(copy).putInt(FrameHeader.LENGTH_OFFSET, (int)length, java.nio.ByteOrder.LITTLE_ENDIAN);
        return copy;
    }

    /** {@code length} ASCII letters, so a string's byte length is its character count. */
    public static String text(final int length, final int seed)
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)('a' + Math.floorMod(seed + i * 7, 26));
        }
        return new String(chars);
    }

    /** 32 bytes drawn from {@code seed}: a client nonce. */
    public static byte[] nonce(final long seed)
    {
        final byte[] nonce = new byte[32];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < nonce.length; i++)
        {
            nonce[i] = (byte)random.nextInt(256);
        }
        return nonce;
    }

    /** Little-endian byte builder for payloads, including wrong ones. */
    public static final class Bytes
    {
        private byte[] bytes = new byte[64];
        private int length;

        public Bytes u8(final int value)
        {
            ensure(1);
            bytes[length++] = (byte)value;
            return this;
        }

        public Bytes u16(final int value)
        {
            return u8(value).u8(value >>> 8);
        }

        public Bytes u32(final int value)
        {
            return u16(value).u16(value >>> 16);
        }

        public Bytes u64(final long value)
        {
            return u32((int)value).u32((int)(value >>> 32));
        }

        /** A {@code u16} length then the UTF-8 bytes, uncut (so it may exceed what the protocol allows). */
        public Bytes string(final String value)
        {
            final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            return u16(utf8.length).raw(utf8);
        }

        public Bytes raw(final byte[] value)
        {
            ensure(value.length);
            System.arraycopy(value, 0, bytes, length, value.length);
            length += value.length;
            return this;
        }

        public Bytes filler(final int count, final int seed)
        {
            ensure(count);
            for (int i = 0; i < count; i++)
            {
                bytes[length++] = (byte)(seed + i * 17);
            }
            return this;
        }

        public Bytes limits(final TunnelLimits limits)
        {
            return u32(limits.maxConcurrentStreams()).u32(limits.maxFramePayload()).u32(limits.initialStreamWindow())
                .u32(limits.connectionWindow());
        }

        public byte[] toArray()
        {
            return Arrays.copyOf(bytes, length);
        }

        private void ensure(final int more)
        {
            if (length + more > bytes.length)
            {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    // ---- breaches that need no stream ---------------------------------------------------------------------------

    /**
     * Ways to break the protocol once the handshake is done that need no stream the edge opened. Each is a
     * {@code protocol_error} (PROTOCOL.md §1, §3, §4).
     */
    public enum Breach
    {
        /** A frame whose version byte is not 1. */
        WRONG_VERSION,
        /** A frame type the protocol does not define. */
        UNKNOWN_TYPE,
        /** A length field above the edge's {@code maxFramePayload}: refused from the header alone. */
        OVERSIZED_LENGTH,
        /** A WINDOW_UPDATE granting 0. */
        WINDOW_UPDATE_OF_ZERO,
        /** A WINDOW_UPDATE granting more than 2³¹−1 at once. */
        WINDOW_UPDATE_TOO_LARGE,
        /** A connection WINDOW_UPDATE that takes the edge's send window past 2³¹−1. */
        CONNECTION_WINDOW_OVERFLOW,
        /** DATA, OPEN, OPEN_ACK or RESET on stream 0; PING, GO_AWAY or a handshake frame on another. */
        STREAM_ZERO_MISUSE,
        /** DATA, WINDOW_UPDATE, RESET or OPEN_ACK for a stream id the edge never opened. */
        NEVER_OPENED_STREAM,
        /** HELLO, CHALLENGE, AUTH or WELCOME once the handshake is done. */
        HANDSHAKE_FRAME_AFTER_HANDSHAKE,
        /** OPEN from the connector: only the edge opens streams. */
        OPEN_FROM_CONNECTOR,
        /** A PING whose payload is not 8 bytes. */
        MALFORMED_PING,
        /** A RESET whose payload is shorter or longer than its fields, or whose message is too long. */
        MALFORMED_RESET,
        /** An OPEN_ACK whose payload is shorter or longer than its fields, or whose address is too long. */
        MALFORMED_OPEN_ACK,
        /** A GO_AWAY whose payload is shorter or longer than its fields, or whose message is too long. */
        MALFORMED_GO_AWAY,
        /** A well-formed control frame whose length field is off by a few bytes, with bytes to cover it. */
        LENGTH_MISMATCH
    }

    /** One breach: the kind, and three integers that choose its variant and fields. */
    public record BreachCase(Breach breach, int a, int b, int c)
    {
    }

    public static Arbitrary<BreachCase> breaches()
    {
        return Combinators.combine(
            Arbitraries.of(Breach.class), Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers())
            .as(BreachCase::new);
    }

    public static BreachCase randomBreach(final SplittableRandom random)
    {
        final Breach[] all = Breach.values();
        return new BreachCase(all[random.nextInt(all.length)], random.nextInt(), random.nextInt(), random.nextInt());
    }

    /** What the hostile side knows of the connection, to aim a breach. Mutable, owned by one test. */
    public static final class PeerView
    {
        private final int maxFramePayload;
        private int nextStreamId = 1;
        private long edgeConnectionWindow;

        /**
         * @param maxFramePayload      the largest payload the edge accepts (its announced limit).
         * @param edgeConnectionWindow what the edge may send us on the connection: our announced
         *                             {@code connectionWindow} plus the credit we granted since.
         */
        public PeerView(final int maxFramePayload, final long edgeConnectionWindow)
        {
            this.maxFramePayload = maxFramePayload;
            this.edgeConnectionWindow = edgeConnectionWindow;
        }

        public int maxFramePayload()
        {
            return maxFramePayload;
        }

        /** The lowest odd id the edge has not used yet. */
        public int nextStreamId()
        {
            return nextStreamId;
        }

        public PeerView nextStreamId(final int nextStreamId)
        {
            this.nextStreamId = nextStreamId;
            return this;
        }

        public long edgeConnectionWindow()
        {
            return edgeConnectionWindow;
        }

        public PeerView granted(final long credit)
        {
            edgeConnectionWindow += credit;
            return this;
        }
    }

    /**
     * The bytes of {@code breach}, aimed with what {@code view} knows; all of them are needed for the edge to see it.
     */
    public static byte[] encode(final BreachCase breach, final PeerView view)
    {
        final int a = breach.a();
        final int b = breach.b();
        final int c = breach.c();
        switch (breach.breach())
        {
            case WRONG_VERSION:
            {
                final int version = pick(a, 256) == 1 ? 0 : pick(a, 256);
                final byte[] valid = anyValidLookingFrame(b, c, view);
                valid[FrameHeader.VERSION_OFFSET] = (byte)version;
                return valid;
            }
            case UNKNOWN_TYPE:
            {
                final int type = UNKNOWN_TYPES[pick(a, UNKNOWN_TYPES.length)];
                final int length = pick(b, Math.min(64, view.maxFramePayload()) + 1);
                return concat(header(FrameHeader.VERSION, type, c & 0xFFFF, c >>> 16, length),
                    new Bytes().filler(length, c).toArray());
            }
            case OVERSIZED_LENGTH:
            {
                final int type = PAYLOAD_TYPES[pick(a, PAYLOAD_TYPES.length)];
                final long limit = view.maxFramePayload();
                final long length = limit + 1 + pickLong(b, c, 0xFFFF_FFFFL - limit);
                // a few payload bytes (at most what a real sender would have pushed before the edge saw the header)
                return concat(header(FrameHeader.VERSION, type, 0, validStreamIdFor(type, view), length),
                    new Bytes().filler(pick(c, 17), b).toArray());
            }
            case WINDOW_UPDATE_OF_ZERO:
                return windowUpdate(pick(a, 4) == 0 ? 0 : a, 0);
            case WINDOW_UPDATE_TOO_LARGE:
                return windowUpdate(pick(a, 4) == 0 ? 0 : a, 0x8000_0000L + pickLong(b, c, 0x8000_0000L));
            case CONNECTION_WINDOW_OVERFLOW:
            {
                final long room = MAX_WINDOW - view.edgeConnectionWindow();
                final long credit = Math.min(MAX_WINDOW, room + 1 + pickLong(b, c, MAX_WINDOW));
                return windowUpdate(0, credit);
            }
            case STREAM_ZERO_MISUSE:
                return streamZeroMisuse(a, b, c, view);
            case NEVER_OPENED_STREAM:
                return neverOpened(a, b, c, view);
            case HANDSHAKE_FRAME_AFTER_HANDSHAKE:
                return handshakeFrame(pick(a, 4), b, c, 0);
            case OPEN_FROM_CONNECTOR:
            {
                final int streamId = pick(a, 2) == 0 ? view.nextStreamId() : nonZero(a);
                return open(streamId, 1 + pick(b, 2), text(1 + pick(c, 255), b), 1 + pick(b >>> 8, 65535), c);
            }
            case MALFORMED_PING:
            {
                final int length = pick(a, 2) == 0 ? pick(b, 8) : 9 + pick(b, 56);
                return frame(FrameHeader.TYPE_PING, pick(c, 2) == 0 ? 0 : FrameHeader.FLAG_ACK, 0,
                    new Bytes().filler(length, c).toArray());
            }
            case MALFORMED_RESET:
                return frame(FrameHeader.TYPE_RESET, 0, nonZero(c), malformedCodeAndString(2, a, b, c));
            case MALFORMED_OPEN_ACK:
                return frame(FrameHeader.TYPE_OPEN_ACK, 0, nonZero(c), malformedOpenAck(a, b, c));
            case MALFORMED_GO_AWAY:
                return frame(FrameHeader.TYPE_GO_AWAY, 0, 0, malformedCodeAndString(6, a, b, c));
            case LENGTH_MISMATCH:
                return lengthMismatch(a, b, c, view);
            default:
                throw new IllegalStateException("unknown breach " + breach);
        }
    }

    /** Well-formed frames that keep a stream-less connection valid: PING, PING ACK, a small connection credit. */
    public static byte[] validFiller(final int a, final int b, final PeerView view)
    {
        switch (pick(a, 3))
        {
            case 0:
                return ping(false, b);
            case 1:
                return ping(true, b);
            default:
            {
                final long room = MAX_WINDOW - view.edgeConnectionWindow();
                if (room < 1)
                {
                    return ping(false, b);
                }
                final long credit = 1 + pickLong(b, a, Math.min(room, 1 << 20));
                view.granted(credit);
                return windowUpdate(0, credit);
            }
        }
    }

    /** A well-formed HELLO, CHALLENGE, AUTH or WELCOME (by {@code which}) on {@code streamId}. */
    public static byte[] handshakeFrame(final int which, final int b, final int c, final int streamId)
    {
        final byte[] frame;
        switch (which)
        {
            case 0:
                frame = hello(1, 1, text(1 + pick(b, 32), c), nonce(c));
                break;
            case 1:
                frame = challenge(1, nonce(b));
                break;
            case 2:
                frame = auth(nonce(b), TunnelLimits.DEFAULTS);
                break;
            default:
                frame = welcome(nonce(b), c, TunnelLimits.DEFAULTS);
                break;
        }
        new UnsafeBuffer(frame).putInt(FrameHeader.STREAM_ID_OFFSET, streamId, java.nio.ByteOrder.LITTLE_ENDIAN);
        return frame;
    }

    private static byte[] anyValidLookingFrame(final int b, final int c, final PeerView view)
    {
        switch (pick(b, 4))
        {
            case 0:
                return ping(false, c);
            case 1:
                return windowUpdate(0, 1 + pick(c, 1000));
            case 2:
                return goAway(0, 0, text(pick(c, 40), b));
            default:
                return data(view.nextStreamId(), false, pick(c, 32));
        }
    }

    private static byte[] streamZeroMisuse(final int a, final int b, final int c, final PeerView view)
    {
        final int other = nonZero(b);
        switch (pick(a, 7))
        {
            case 0:
                return data(0, pick(c, 2) == 0, pick(c >>> 1, 33));
            case 1:
                return openAck(0, text(pick(c, 40), b), text(pick(b, 40), c));
            case 2:
                return reset(0, c & 0xFFFF, text(pick(b, 40), c));
            case 3:
                return open(0, 1, text(1 + pick(c, 40), b), 1 + pick(b, 65535), c);
            case 4:
            {
                final byte[] ping = ping(pick(c, 2) == 0, c);
                new UnsafeBuffer(ping).putInt(FrameHeader.STREAM_ID_OFFSET, other, java.nio.ByteOrder.LITTLE_ENDIAN);
                return ping;
            }
            case 5:
            {
                final byte[] goAway = goAway(pick(c, 2) == 0 ? 0 : c & 0xFFFF, view.nextStreamId() - 2, text(pick(c,
                    40), b));
                new UnsafeBuffer(goAway).putInt(FrameHeader.STREAM_ID_OFFSET, other, java.nio.ByteOrder.LITTLE_ENDIAN);
                return goAway;
            }
            default:
                return handshakeFrame(pick(c, 4), b, c, other);
        }
    }

    private static byte[] neverOpened(final int a, final int b, final int c, final PeerView view)
    {
        final int streamId;
        switch (pick(a, 3))
        {
            case 0:
                streamId = 2 + 2 * pick(b, Math.max(1, view.nextStreamId() / 2 + 8));
                break;
            case 1:
                streamId = view.nextStreamId() + 2 * pick(b, 1 << 20);
                break;
            default:
                streamId = 0x8000_0000 | b;
                break;
        }
        switch (pick(a >>> 4, 4))
        {
            case 0:
                return data(streamId, pick(c, 2) == 0, pick(c >>> 1, 33));
            case 1:
                return windowUpdate(streamId, 1 + pick(c, 1 << 16));
            case 2:
                return reset(streamId, c & 0xFFFF, text(pick(c >>> 16, 40), b));
            default:
                return openAck(streamId, text(pick(c, 40), b), text(pick(c >>> 8, 40), b));
        }
    }

    /** {@code fixed} bytes of code (and last stream id), then a string that does not fit its frame. */
    private static byte[] malformedCodeAndString(final int fixed, final int a, final int b, final int c)
    {
        final Bytes bytes = new Bytes().u16(c);
        if (fixed == 6)
        {
            bytes.u32(b);
        }
        switch (pick(a, 4))
        {
            case 0:
                // shorter than the fixed part
                return Arrays.copyOf(bytes.toArray(), pick(b, fixed));
            case 1:
            {
                // the string claims more bytes than follow
                final int present = pick(b, 40);
                return bytes.u16(present + 1 + pick(c, 200)).filler(present, c).toArray();
            }
            case 2:
            {
                // bytes left over after the string
                final int length = pick(b, 40);
                return bytes.u16(length).filler(length, c).filler(1 + pick(c, 16), b).toArray();
            }
            default:
            {
                // a message longer than the 512 bytes allowed, exactly framed
                final int length = 513 + pick(b, 480);
                return bytes.u16(length).filler(length, c).toArray();
            }
        }
    }

    private static byte[] malformedOpenAck(final int a, final int b, final int c)
    {
        final int remote = pick(b, 40);
        switch (pick(a, 5))
        {
            case 0:
                return new Bytes().filler(pick(b, 2), c).toArray();
            case 1:
                // the first string claims more bytes than follow
                return new Bytes().u16(remote + 1 + pick(c, 100)).filler(remote, c).toArray();
            case 2:
                // the second string is missing or cut
                return new Bytes().u16(remote).filler(remote, c).filler(pick(c, 2), b).toArray();
            case 3:
            {
                // bytes left over after both strings
                final int local = pick(c, 40);
                return new Bytes().u16(remote).filler(remote, c).u16(local).filler(local, b)
                    .filler(1 + pick(c >>> 8, 16), a).toArray();
            }
            default:
            {
                // an address longer than 255 bytes, exactly framed
                final int length = 256 + pick(c, 240);
                return new Bytes().u16(length).filler(length, c).u16(remote).filler(remote, b).toArray();
            }
        }
    }

    private static byte[] lengthMismatch(final int a, final int b, final int c, final PeerView view)
    {
        final byte[] valid;
        switch (pick(a, 4))
        {
            case 0:
                valid = ping(pick(c, 2) == 0, b);
                break;
            case 1:
                valid = reset(nonZero(c), b & 0xFFFF, text(pick(c >>> 8, 40), b));
                break;
            case 2:
                valid = openAck(nonZero(c), text(pick(b, 40), c), text(pick(c >>> 8, 40), b));
                break;
            default:
                valid = goAway(b & 0xFFFF, view.nextStreamId() - 2, text(pick(c >>> 8, 40), b));
                break;
        }
        final int payload = valid.length - FrameHeader.LENGTH;
        final int delta = 1 + pick(b >>> 16, 16);
        if (pick(a >>> 8, 2) == 0 && payload >= delta)
        {
            // shorter: the fields overrun the announced end; the bytes after it are never read
            return withLength(valid, payload - delta);
        }
        // longer: the announced end lies past the fields; filler makes the whole frame arrive
        return concat(withLength(valid, payload + delta), new Bytes().filler(delta, c).toArray());
    }

    private static int validStreamIdFor(final int type, final PeerView view)
    {
        switch (type)
        {
            case FrameHeader.TYPE_DATA:
            case FrameHeader.TYPE_OPEN:
            case FrameHeader.TYPE_OPEN_ACK:
            case FrameHeader.TYPE_RESET:
                return view.nextStreamId() > 1 ? view.nextStreamId() - 2 : 1;
            default:
                return 0;
        }
    }

    /** 0 ≤ result < bound, from any int. */
    public static int pick(final int value, final int bound)
    {
        return Math.floorMod(value, bound);
    }

    /** 0 ≤ result < bound, from two ints. */
    public static long pickLong(final int high, final int low, final long bound)
    {
        return Math.floorMod(((long)high << 32) ^ (low & 0xFFFF_FFFFL), bound);
    }

    private static int nonZero(final int value)
    {
        return value == 0 ? 1 : value;
    }

    private static int[] unknownTypes()
    {
        final List<Integer> types = new ArrayList<>();
        for (int type = 0; type < 256; type++)
        {
            if (FrameHeader.typeName(type).startsWith("UNKNOWN"))
            {
                types.add(type);
            }
        }
        return types.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- what the edge writes back ------------------------------------------------------------------------------

    /**
     * One frame the edge wrote. {@code code} is a RESET or GO_AWAY code; {@code value} is a PING's opaque bytes,
     * a WINDOW_UPDATE's credit, a GO_AWAY's last stream id or a WELCOME's connection id; {@code text} a RESET or
     * GO_AWAY message or an OPEN's host; {@code bytes} a CHALLENGE's nonce or a WELCOME's proof.
     */
    public record Frame(
        int type, int flags, int streamId, long length, int code, long value, String text, byte[] bytes,
        TunnelLimits limits)
    {
        public boolean is(final int frameType)
        {
            return type == frameType;
        }

        public boolean fin()
        {
            return (flags & FrameHeader.FLAG_FIN) != 0;
        }

        public boolean ack()
        {
            return (flags & FrameHeader.FLAG_ACK) != 0;
        }

        @Override
        public String toString()
        {
            return FrameHeader.typeName(type) + "[stream=" + streamId + ", flags=" + flags + ", length=" + length +
                (type == FrameHeader.TYPE_GO_AWAY || type == FrameHeader.TYPE_RESET ?
                    ", code=" + code + ", message='" + text + "'" : "") +
                (type == FrameHeader.TYPE_GO_AWAY ? ", lastStreamId=" + value : "") + "]";
        }
    }

    /**
     * Decodes the edge's output as it arrives, with the real {@link FrameDecoder} set to accept anything the
     * protocol allows: the edge must never write a frame the decoder refuses ({@link #error()} says if it did).
     */
    public static final class EdgeOutput implements FrameHandler
    {
        private final FrameDecoder decoder = new FrameDecoder().maxFramePayload(TunnelLimits.MAX_FRAME_PAYLOAD);
        private final List<Frame> frames = new ArrayList<>();
        private byte[] pending = new byte[256];
        private int pendingLength;
        private String error;

        /** Takes more bytes; returns how many new whole frames they completed. */
        public int accept(final byte[] more)
        {
            return accept(more, 0, more.length);
        }

        public int accept(final byte[] more, final int offset, final int length)
        {
            if (error != null)
            {
                return 0;
            }
            if (pendingLength + length > pending.length)
            {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
            }
            System.arraycopy(more, offset, pending, pendingLength, length);
            pendingLength += length;
            final int before = frames.size();
            final int consumed = decoder.decode(new UnsafeBuffer(pending, 0, pendingLength), 0, pendingLength, this);
            if (consumed == FrameDecoder.ERROR)
            {
                error = decoder.errorReason();
                return frames.size() - before;
            }
            System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
            pendingLength -= consumed;
            return frames.size() - before;
        }

        public List<Frame> frames()
        {
            return frames;
        }

        public Frame last()
        {
            return frames.isEmpty() ? null : frames.get(frames.size() - 1);
        }

        /** Bytes of a frame not complete yet. */
        public int incomplete()
        {
            return pendingLength;
        }

        /** Null, or why the decoder refused what the edge wrote. */
        public String error()
        {
            return error;
        }

        public int count(final int type)
        {
            int count = 0;
            for (final Frame frame : frames)
            {
                if (frame.type() == type)
                {
                    count++;
                }
            }
            return count;
        }

        public Frame first(final int type)
        {
            for (final Frame frame : frames)
            {
                if (frame.type() == type)
                {
                    return frame;
                }
            }
            return null;
        }

        @Override
        public String toString()
        {
            return frames + (pendingLength > 0 ? " + " + pendingLength + " bytes" : "") +
                (error != null ? " then undecodable: " + error : "");
        }

        @Override
        public int onData(final int streamId, final int flags, final DirectBuffer buffer, final int offset,
            final int length)
        {
            return add(new Frame(FrameHeader.TYPE_DATA, flags, streamId, length, 0, 0, null, null, null));
        }

        @Override
        public int onWindowUpdate(final int streamId, final int credit)
        {
            return add(new Frame(FrameHeader.TYPE_WINDOW_UPDATE, 0, streamId, credit, 0, credit, null, null, null));
        }

        @Override
        public int onOpen(final int streamId, final OpenDecoder open)
        {
            return add(new Frame(FrameHeader.TYPE_OPEN, 0, streamId, 0, open.kind(), open.port(), open.host(), null,
                null));
        }

        @Override
        public int onOpenAck(final int streamId, final OpenAckDecoder ack)
        {
            return add(new Frame(FrameHeader.TYPE_OPEN_ACK, 0, streamId, 0, 0, 0, ack.remote(), null, null));
        }

        @Override
        public int onReset(final int streamId, final ResetDecoder reset)
        {
            return add(new Frame(FrameHeader.TYPE_RESET, 0, streamId, 0, reset.code(), 0, reset.message(), null,
                null));
        }

        @Override
        public int onPing(final boolean ack, final long opaque)
        {
            return add(new Frame(FrameHeader.TYPE_PING, ack ? FrameHeader.FLAG_ACK : 0, 0, 8, 0, opaque, null, null,
                null));
        }

        @Override
        public int onGoAway(final GoAwayDecoder goAway)
        {
            return add(new Frame(FrameHeader.TYPE_GO_AWAY, 0, 0, 0, goAway.code(), goAway.lastStreamId() & 0xFFFF_FFFFL,
                goAway.message(), null, null));
        }

        @Override
        public int onHandshake(final HandshakeDecoder handshake)
        {
            switch (handshake.type())
            {
                case FrameHeader.TYPE_CHALLENGE:
                    return add(new Frame(FrameHeader.TYPE_CHALLENGE, 0, 0, 0, handshake.version(), 0, null,
                        handshake.nonce(), null));
                case FrameHeader.TYPE_WELCOME:
                    return add(new Frame(FrameHeader.TYPE_WELCOME, 0, 0, 0, 0, handshake.connectionId(), null,
                        handshake.proof(), handshake.limits()));
                default:
                    return add(new Frame(handshake.type(), 0, 0, 0, 0, 0, null, null, null));
            }
        }

        private int add(final Frame frame)
        {
            frames.add(frame);
            return CONTINUE;
        }
    }
}

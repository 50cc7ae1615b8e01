package dev.warren.codec.http;

import dev.warren.codec.support.FencedBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whatever bytes arrive, the decoders never throw, never read outside the bytes they were given (every read goes
 * through a {@link FencedBuffer} fenced to exactly them), never consume more than they were given, always finish, and
 * give the same outcome in one read as in random pieces with the unconsumed bytes moving between reads.
 * <p>
 * Inputs: random bytes drawn mostly from the characters HTTP gives meaning to; valid messages (from {@link Message})
 * with a few bytes flipped, inserted, deleted or replaced by CR, LF, space, colon or NUL; and chunked bodies of
 * random chunk lines. About 20,000 cases a run.
 */
class HttpDecoderHostileTest
{
    private static final byte[] CHUNKED_HEAD = ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);

    /** Small limits, so that random input reaches them too. */
    private static final HttpLimits TIGHT = new HttpLimits(24, 96, 6, 12, 48, 4096);

    @Property(tries = 5000, edgeCases = EdgeCasesMode.NONE)
    void shouldSurviveRandomBytesAsARequestOrAResponse(
        @ForAll("httpBytes") final byte[] input,
        @ForAll final boolean request,
        @ForAll final boolean tight,
        @ForAll final long seed)
    {
        check(input, request ? MessageReader.Kind.REQUEST : MessageReader.Kind.RESPONSE, HttpMethod.GET,
            tight ? TIGHT : HttpLimits.DEFAULTS, seed);
    }

    @Property(tries = 5000, edgeCases = EdgeCasesMode.NONE)
    void shouldSurviveRandomBytesAfterAPlausibleStartLine(
        @ForAll("startLines") final String startLine,
        @ForAll("httpBytes") final byte[] rest,
        @ForAll final boolean tight,
        @ForAll final long seed)
    {
        final byte[] input = concat(startLine.getBytes(StandardCharsets.ISO_8859_1), rest);
        check(input, startLine.startsWith("HTTP") ? MessageReader.Kind.RESPONSE : MessageReader.Kind.REQUEST,
            HttpMethod.GET, tight ? TIGHT : HttpLimits.DEFAULTS, seed);
    }

    @Property(tries = 5000, edgeCases = EdgeCasesMode.NONE)
    void shouldSurviveCorruptedValidMessages(
        @ForAll("messages") final Message message,
        @ForAll("corruptions") final List<int[]> corruptions,
        @ForAll final long seed)
    {
        final byte[] input = corrupt(message.encode(), corruptions);
        check(input, message.request() ? MessageReader.Kind.REQUEST : MessageReader.Kind.RESPONSE,
            message.method(), HttpLimits.DEFAULTS, seed);
    }

    @Property(tries = 5000, edgeCases = EdgeCasesMode.NONE)
    void shouldSurviveRandomChunkedBodies(
        @ForAll("chunkedBodies") final byte[] body,
        @ForAll final boolean tight,
        @ForAll final long seed)
    {
        check(concat(CHUNKED_HEAD, body), MessageReader.Kind.REQUEST, HttpMethod.GET, tight ? TIGHT :
            HttpLimits.DEFAULTS, seed);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void shouldSurviveEveryPieceSizeOfOneCorruptedMessage(
        @ForAll("messages") final Message message,
        @ForAll("corruptions") final List<int[]> corruptions,
        @ForAll @IntRange(min = 1, max = 200) final int pieceSize)
    {
        final byte[] input = corrupt(message.encode(), corruptions);
        final MessageReader.Kind kind = message.request() ? MessageReader.Kind.REQUEST : MessageReader.Kind.RESPONSE;
        final MessageReader.Outcome once = MessageReader.inOneRead(input, kind, message.method(), HttpLimits.DEFAULTS);

        assertEquals(once, MessageReader.read(input, kind, message.method(), HttpLimits.DEFAULTS, () -> pieceSize,
            true));
    }

    /** MessageReader asserts the bounds on every call; the fence catches any stray read. */
    private static void check(
        final byte[] input, final MessageReader.Kind kind, final HttpMethod method, final HttpLimits limits,
        final long seed)
    {
        final MessageReader.Outcome once = MessageReader.inOneRead(input, kind, method, limits);
        final Random random = new Random(seed);
        final int maxPiece = 1 + random.nextInt(1 + random.nextInt(Math.max(1, Math.min(input.length, 512))));
        final MessageReader.Outcome inPieces = MessageReader.read(input, kind, method, limits,
            () -> 1 + random.nextInt(maxPiece), random.nextBoolean());

        assertEquals(once, inPieces, "pieces of at most " + maxPiece);
    }

    // ---- corruption ----

    private static final byte[] INTERESTING = {'\r', '\n', ' ', '\t', ':', 0, ';', ',', '0', 'f', 0x7F, (byte)0xFF};

    private static byte[] corrupt(final byte[] wire, final List<int[]> corruptions)
    {
        byte[] bytes = wire;
        for (final int[] corruption : corruptions)
        {
            final int kind = corruption[0];
            final int at = bytes.length == 0 ? 0 : Math.floorMod(corruption[1], bytes.length);
            final byte value = kind % 2 == 0 ? INTERESTING[Math.floorMod(corruption[2], INTERESTING.length)] :
                (byte)corruption[2];
            switch (kind)
            {
                case 0:
                case 1:
                    if (bytes.length > 0)
                    {
                        bytes[at] = value;
                    }
                    break;
                case 2:
                case 3:
                {
                    final byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = value;
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                    break;
                }
                case 4:
                    if (bytes.length > 0)
                    {
                        final byte[] shorter = new byte[bytes.length - 1];
                        System.arraycopy(bytes, 0, shorter, 0, at);
                        System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                        bytes = shorter;
                    }
                    break;
                default:
                    bytes = Arrays.copyOf(bytes, at);
                    break;
            }
        }
        return bytes;
    }

    // ---- generators ----

    @Provide
    Arbitrary<byte[]> httpBytes()
    {
        final Arbitrary<Byte> meaningful = Arbitraries.of(
            (byte)'\r', (byte)'\n', (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t', (byte)':', (byte)',', (byte)';',
            (byte)'=', (byte)'"', (byte)'\\', (byte)'/', (byte)'0', (byte)'1', (byte)'5', (byte)'9', (byte)'a',
            (byte)'f', (byte)'H', (byte)'T', (byte)'P', (byte)'.', (byte)0, (byte)0x7F, (byte)0x80, (byte)0xFF);
        final Arbitrary<byte[]> words = Arbitraries.of(
                "HTTP/1.1", "HTTP/1.0", "Host", "Content-Length", "Transfer-Encoding", "chunked", "Connection",
                "close", "keep-alive", "Expect", "100-continue", "GET", "HEAD", " ", ": ", "\r\n", "\r\n\r\n", "0",
                "12", "-1", "gzip")
            .map(word -> word.getBytes(StandardCharsets.ISO_8859_1));
        final Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
            Tuple.of(3, meaningful.map(b -> new byte[]{b})),
            Tuple.of(3, words),
            Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(8)));
        return piece.list().ofMaxSize(60).map(HttpDecoderHostileTest::concat);
    }

    @Provide
    Arbitrary<String> startLines()
    {
        return Arbitraries.of(
            "GET / HTTP/1.1\r\n", "POST /x HTTP/1.1\r\nHost: a\r\n", "GET / HTTP/1.0\r\n", "HTTP/1.1 200 OK\r\n",
            "HTTP/1.0 204 No Content\r\n", "HTTP/1.1 100 Continue\r\n", "PUT /y HTTP/1.1\r\nHost: a\r\n");
    }

    @Provide
    Arbitrary<Message> messages()
    {
        return Message.messages();
    }

    @Provide
    Arbitrary<List<int[]>> corruptions()
    {
        final Arbitrary<int[]> corruption = Combinators.combine(
                Arbitraries.integers().between(0, 5),
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.integers())
            .as((kind, position, value) -> new int[]{kind, position, value});
        return corruption.list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<byte[]> chunkedBodies()
    {
        final Arbitrary<String> sizes = Arbitraries.oneOf(
            Arbitraries.of("0", "1", "5", "a", "F", "10", "", "-1", "0x5", "7fffffffffffffff", "8000000000000000",
                "ffffffffffffffffff", "00000000000000001"),
            Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMinLength(1).ofMaxLength(4));
        final Arbitrary<String> extensions = Arbitraries.of(
            "", "", "", ";a", ";a=b", " ;a=\"b c\"", ";a=\"\\\"\"", ";", ";=", " ", "\t;x", ";a=\"unterminated",
            ";a\n", ";a\r", ";" + "e".repeat(20));
        final Arbitrary<String> ends = Arbitraries.of("\r\n", "\r\n", "\r\n", "\n", "\r", "", " \r\n");
        final Arbitrary<String> data = Arbitraries.strings().withCharRange(' ', '~').withChars('\r', '\n')
            .ofMaxLength(20);
        final Arbitrary<String> line = Combinators.combine(sizes, extensions, ends, data, ends)
            .as((size, extension, end, payload, after) -> size + extension + end + payload + after);
        final Arbitrary<String> trailers = Arbitraries.of(
            "\r\n", "X: y\r\n\r\n", "X : y\r\n\r\n", "X: y\r\n z\r\n\r\n", "Content-Length: 1\r\n\r\n", "\n", "X: y\n\r\n",
            "");
        return Combinators.combine(line.list().ofMaxSize(5), Arbitraries.of("0", "0;x=1", "00"), ends, trailers)
            .as((lines, last, end, trailer) -> (String.join("", lines) + last + end + trailer)
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] bytes = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, bytes, first.length, second.length);
        return bytes;
    }

    private static byte[] concat(final List<byte[]> pieces)
    {
        int length = 0;
        for (final byte[] piece : pieces)
        {
            length += piece.length;
        }
        final byte[] bytes = new byte[length];
        int at = 0;
        for (final byte[] piece : pieces)
        {
            System.arraycopy(piece, 0, bytes, at, piece.length);
            at += piece.length;
        }
        return bytes;
    }
}

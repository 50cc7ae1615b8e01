package dev.warren.codec.http;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.agrona.ExpandableArrayBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * A valid HTTP/1.1 message, generated for the properties: what it says (head fields, body, chunks, trailers), how
 * {@link HttpHeadEncoder} and {@link HttpChunkEncoder} write it, and what decoding it must give back.
 *
 * @param request   a request, or else a response.
 * @param method    the request's method (or the method a response answers).
 * @param target    the request target.
 * @param status    the response status.
 * @param reason    the response reason.
 * @param fields    header fields other than Host and framing, as name, value pairs.
 * @param framing   how the body is framed: NONE, CONTENT_LENGTH, CHUNKED, or (responses) UNTIL_CLOSE.
 * @param chunks    the body, as the chunks it is sent in (one piece when not chunked).
 * @param trailers  trailer fields of a chunked body.
 * @param close     whether the head says {@code Connection: close}.
 */
record Message(
    boolean request,
    HttpMethod method,
    String target,
    int status,
    String reason,
    List<String[]> fields,
    BodyFraming framing,
    List<String> chunks,
    List<String[]> trailers,
    boolean close)
{
    /** Names the generator never picks for a random field: the decoder acts on these. */
    private static final Set<String> RESERVED = Set.of(
        "host", "content-length", "transfer-encoding", "connection", "expect");

    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    String body()
    {
        return String.join("", chunks);
    }

    byte[] encode()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final HttpHeadEncoder encoder = new HttpHeadEncoder();
        final int headRoom = 16 * 1024;
        buffer.checkLimit(headRoom);
        encoder.wrap(buffer, 0, headRoom);
        if (request)
        {
            encoder.requestLine(method, target).header(HttpHeaderName.HOST, "warren.internal");
        }
        else
        {
            encoder.statusLine(status, reason);
        }
        for (final String[] field : fields)
        {
            encoder.header(field[0], field[1]);
        }
        if (framing == BodyFraming.CONTENT_LENGTH)
        {
            encoder.contentLength(body().length());
        }
        else if (framing == BodyFraming.CHUNKED)
        {
            encoder.chunked();
        }
        if (close)
        {
            encoder.connectionClose();
        }
        int at = encoder.end();
        if (framing == BodyFraming.CHUNKED)
        {
            for (final String chunk : chunks)
            {
                if (!chunk.isEmpty())
                {
                    at += HttpChunkEncoder.chunkHeader(buffer, at, chunk.length());
                    at += put(buffer, at, chunk);
                    at += HttpChunkEncoder.chunkEnd(buffer, at);
                }
            }
            buffer.checkLimit(at + headRoom);
            encoder.wrap(buffer, at, headRoom).lastChunk();
            for (final String[] trailer : trailers)
            {
                encoder.header(trailer[0], trailer[1]);
            }
            at += encoder.end();
        }
        else
        {
            at += put(buffer, at, body());
        }
        final byte[] bytes = new byte[at];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static int put(final ExpandableArrayBuffer buffer, final int offset, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        buffer.putBytes(offset, bytes);
        return bytes.length;
    }

    /** What {@link MessageReader} must record for this message. */
    MessageReader.Outcome expected(final int headLength, final int length)
    {
        final List<String> headers = new ArrayList<>();
        if (request)
        {
            headers.add("Host: warren.internal");
        }
        for (final String[] field : fields)
        {
            headers.add(field[0] + ": " + field[1]);
        }
        if (framing == BodyFraming.CONTENT_LENGTH)
        {
            headers.add("Content-Length: " + body().length());
        }
        else if (framing == BodyFraming.CHUNKED)
        {
            headers.add("Transfer-Encoding: chunked");
        }
        if (close)
        {
            headers.add("Connection: close");
        }
        final List<String> trailerLines = new ArrayList<>();
        for (final String[] trailer : trailers)
        {
            trailerLines.add(trailer[0] + ": " + trailer[1]);
        }
        final String startLine = request ?
            method.name() + " " + method + " " + target + " HTTP_1_1" : "HTTP_1_1 " + status + " " + reason;
        return new MessageReader.Outcome(0, null, startLine, headers, framing,
            framing == BodyFraming.CONTENT_LENGTH ? body().length() : -1, !close && framing != BodyFraming.UNTIL_CLOSE,
            false, headLength, body(), framing == BodyFraming.CHUNKED ? trailerLines : List.of(), true, 0, null, length);
    }

    // ---- generators ----
    //
    // jqwik picks the shape (method or status, framing, how many fields, chunks and trailers) and a seed; the text is
    // drawn from the seed, because jqwik is slow to build the hundreds of strings a message holds.

    static Arbitrary<Message> requests()
    {
        final Arbitrary<HttpMethod> methods = Arbitraries.of(
            HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS,
            HttpMethod.TRACE);
        final Arbitrary<BodyFraming> framings = Arbitraries.of(
            BodyFraming.NONE, BodyFraming.CONTENT_LENGTH, BodyFraming.CHUNKED);
        return Combinators.combine(methods, framings, counts(12), counts(6), counts(4), closes(), Arbitraries.longs())
            .as((method, framing, fieldCount, chunkCount, trailerCount, close, seed) ->
            {
                final Random random = new Random(seed);
                return new Message(true, method, target(random), 0, "", fields(random, fieldCount), framing,
                    framing == BodyFraming.NONE ? List.of() : chunks(random, chunkCount),
                    framing == BodyFraming.CHUNKED ? fields(random, trailerCount) : List.of(), close);
            });
    }

    static Arbitrary<Message> responses()
    {
        final Arbitrary<Integer> statuses = Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.of(200, 201, 206, 301, 302, 400, 404, 500, 503)),
            Tuple.of(2, Arbitraries.integers().between(200, 599).filter(s -> s != 204 && s != 304)));
        final Arbitrary<BodyFraming> framings = Arbitraries.of(
            BodyFraming.CONTENT_LENGTH, BodyFraming.CHUNKED, BodyFraming.UNTIL_CLOSE);
        return Combinators.combine(statuses, framings, counts(12), counts(6), counts(4), closes(), Arbitraries.longs())
            .as((status, framing, fieldCount, chunkCount, trailerCount, close, seed) ->
            {
                final Random random = new Random(seed);
                return new Message(false, HttpMethod.GET, "", status, reason(random), fields(random, fieldCount),
                    framing, chunks(random, chunkCount),
                    framing == BodyFraming.CHUNKED ? fields(random, trailerCount) : List.of(), close);
            });
    }

    static Arbitrary<Message> messages()
    {
        return Arbitraries.oneOf(requests(), responses());
    }

    private static Arbitrary<Integer> counts(final int max)
    {
        return Arbitraries.integers().between(0, max);
    }

    private static Arbitrary<Boolean> closes()
    {
        return Arbitraries.of(false, false, true);
    }

    private static String target(final Random random)
    {
        switch (random.nextInt(10))
        {
            case 0:
                return "*";
            case 1:
                return "http://a.example/" + text(random, random.nextInt(40), '!', '~');
            default:
                return "/" + text(random, random.nextInt(60), '!', '~');
        }
    }

    private static String reason(final Random random)
    {
        final String[] common = {"OK", "Not Found", "Internal Server Error", ""};
        if (random.nextBoolean())
        {
            return common[random.nextInt(common.length)];
        }
        final StringBuilder reason = new StringBuilder();
        for (int i = random.nextInt(30); i > 0; i--)
        {
            final int kind = random.nextInt(20);
            reason.append(kind == 0 ? '\t' : kind == 1 ? (char)(0x80 + random.nextInt(0x80)) : (char)(' ' + random.nextInt(95)));
        }
        return reason.toString();
    }

    private static List<String[]> fields(final Random random, final int count)
    {
        final List<String[]> fields = new ArrayList<>(count);
        while (fields.size() < count)
        {
            final StringBuilder name = new StringBuilder();
            for (int i = 1 + random.nextInt(24); i > 0; i--)
            {
                name.append(TCHARS.charAt(random.nextInt(TCHARS.length())));
            }
            if (RESERVED.contains(name.toString().toLowerCase(Locale.ROOT)))
            {
                continue;
            }
            final StringBuilder value = new StringBuilder();
            for (int words = random.nextInt(6), i = 0; i < words; i++)
            {
                if (i > 0)
                {
                    value.append(random.nextInt(4) == 0 ? "\t" : random.nextInt(4) == 0 ? "  " : " ");
                }
                for (int j = 1 + random.nextInt(16); j > 0; j--)
                {
                    value.append(random.nextInt(16) == 0 ? (char)(0x80 + random.nextInt(0x80)) :
                        (char)('!' + random.nextInt(94)));
                }
            }
            fields.add(new String[]{name.toString(), value.toString()});
        }
        return fields;
    }

    /** Chunks of printable text with CR and LF among it, and now and then a long one of any bytes. */
    private static List<String> chunks(final Random random, final int count)
    {
        final List<String> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            if (random.nextInt(10) == 0)
            {
                final byte[] bytes = new byte[200 + random.nextInt(3000)];
                random.nextBytes(bytes);
                chunks.add(new String(bytes, StandardCharsets.ISO_8859_1));
            }
            else
            {
                final StringBuilder chunk = new StringBuilder(text(random, random.nextInt(41), ' ', '~'));
                if (chunk.length() > 0 && random.nextInt(3) == 0)
                {
                    chunk.setCharAt(random.nextInt(chunk.length()), random.nextBoolean() ? '\r' : '\n');
                }
                chunks.add(chunk.toString());
            }
        }
        return chunks;
    }

    private static String text(final Random random, final int length, final char from, final char to)
    {
        final char[] chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = (char)(from + random.nextInt(to - from + 1));
        }
        return new String(chars);
    }
}

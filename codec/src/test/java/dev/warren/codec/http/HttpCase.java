package dev.warren.codec.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One row of the table of {@link HttpDecodingCasesTest}: a message as it arrives on the wire, and what decoding it
 * must give. Only what a row states is checked against it; every row is also checked for giving the same outcome
 * however its bytes arrive.
 */
final class HttpCase
{
    final String name;
    final MessageReader.Kind kind;
    final byte[] wire;
    HttpMethod requestMethod = HttpMethod.GET;
    HttpLimits limits = HttpLimits.DEFAULTS;

    private int headError;
    private String reasonFragment;
    private BodyFraming framing;
    private Long contentLength;
    private Boolean keepAlive;
    private Boolean expectContinue;
    private String startLine;
    private List<String> headers;
    private String body;
    private List<String> trailers;
    private int bodyError;
    private int leftover;

    private HttpCase(final String name, final MessageReader.Kind kind, final String wire)
    {
        this.name = name;
        this.kind = kind;
        this.wire = wire.getBytes(StandardCharsets.ISO_8859_1);
    }

    static HttpCase request(final String name, final String wire)
    {
        return new HttpCase(name, MessageReader.Kind.REQUEST, wire);
    }

    static HttpCase response(final String name, final String wire)
    {
        return new HttpCase(name, MessageReader.Kind.RESPONSE, wire);
    }

    /** A GET request head with these header lines. */
    static String get(final String... headerLines)
    {
        return head("GET / HTTP/1.1", headerLines);
    }

    /** A head: the start line, the header lines, the empty line. */
    static String head(final String startLine, final String... headerLines)
    {
        final StringBuilder builder = new StringBuilder(startLine).append("\r\n");
        for (final String line : headerLines)
        {
            builder.append(line).append("\r\n");
        }
        return builder.append("\r\n").toString();
    }

    HttpCase answering(final HttpMethod requestMethod)
    {
        this.requestMethod = requestMethod;
        return this;
    }

    HttpCase limits(final HttpLimits limits)
    {
        this.limits = limits;
        return this;
    }

    /** The head is refused with {@code status}. */
    HttpCase rejected(final int status)
    {
        this.headError = status;
        return this;
    }

    /** The head is refused with {@code status} and a reason containing {@code fragment}. */
    HttpCase rejected(final int status, final String fragment)
    {
        this.headError = status;
        this.reasonFragment = fragment;
        return this;
    }

    /** The head is accepted, with this framing. */
    HttpCase framed(final BodyFraming framing)
    {
        this.framing = framing;
        return this;
    }

    HttpCase contentLength(final long contentLength)
    {
        this.framing = BodyFraming.CONTENT_LENGTH;
        this.contentLength = contentLength;
        return this;
    }

    HttpCase keepAlive(final boolean keepAlive)
    {
        this.keepAlive = keepAlive;
        return this;
    }

    HttpCase expectContinue(final boolean expectContinue)
    {
        this.expectContinue = expectContinue;
        return this;
    }

    /** The start line as the reader records it: {@code "GET GET / HTTP_1_1"}, {@code "HTTP_1_1 200 OK"}. */
    HttpCase startLine(final String startLine)
    {
        this.startLine = startLine;
        return this;
    }

    /** The header fields, each as {@code "name: value"}. */
    HttpCase headers(final String... headers)
    {
        this.headers = List.of(headers);
        return this;
    }

    HttpCase body(final String body)
    {
        this.body = body;
        return this;
    }

    HttpCase trailers(final String... trailers)
    {
        this.trailers = List.of(trailers);
        return this;
    }

    /** The head is accepted, and its body refused with {@code status}. */
    HttpCase bodyRejected(final int status)
    {
        this.bodyError = status;
        return this;
    }

    /** Bytes after the message that are not consumed: the next message. */
    HttpCase leftover(final int leftover)
    {
        this.leftover = leftover;
        return this;
    }

    void check(final MessageReader.Outcome outcome)
    {
        if (headError != 0)
        {
            assertEquals(headError, outcome.headError(), "head error status of " + outcome);
            if (reasonFragment != null)
            {
                assertTrue(outcome.headReason().contains(reasonFragment),
                    "reason '" + outcome.headReason() + "' mentions '" + reasonFragment + "'");
            }
            return;
        }
        assertEquals(0, outcome.headError(), "the head is accepted: " + outcome);
        if (framing != null)
        {
            assertEquals(framing, outcome.framing(), "framing");
        }
        if (contentLength != null)
        {
            assertEquals(contentLength.longValue(), outcome.contentLength(), "content length");
        }
        if (keepAlive != null)
        {
            assertEquals(keepAlive, outcome.keepAlive(), "keep-alive");
        }
        if (expectContinue != null)
        {
            assertEquals(expectContinue, outcome.expectContinue(), "100-continue");
        }
        if (startLine != null)
        {
            assertEquals(startLine, outcome.startLine(), "start line");
        }
        if (headers != null)
        {
            assertEquals(headers, outcome.headers(), "header fields");
        }
        if (bodyError != 0)
        {
            assertEquals(bodyError, outcome.bodyError(), "body error status of " + outcome);
            return;
        }
        assertEquals(0, outcome.bodyError(), "the body is accepted: " + outcome);
        assertTrue(outcome.bodyComplete(), "the body is complete");
        if (body != null)
        {
            assertEquals(body, outcome.body(), "body");
        }
        if (trailers != null)
        {
            assertEquals(trailers, outcome.trailers(), "trailers");
        }
        assertEquals(wire.length - leftover, outcome.consumed(), "bytes consumed");
    }

    @Override
    public String toString()
    {
        return (kind == MessageReader.Kind.REQUEST ? "request: " : "response: ") + name;
    }
}

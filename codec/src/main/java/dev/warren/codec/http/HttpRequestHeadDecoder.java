package dev.warren.codec.http;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;

import static dev.warren.codec.http.HttpGrammar.CR;
import static dev.warren.codec.http.HttpGrammar.LF;
import static dev.warren.codec.http.HttpGrammar.SP;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Decodes a request head: {@code method SP request-target SP HTTP-version CRLF}, the header section, and the body's
 * framing (RFC 9112 §3, §6.3). See {@link HttpHeadDecoder} for the feeding contract and the framing rules.
 * <p>
 * Request line: the method is a token, the target any run of visible ASCII (no space, control or byte above 0x7E),
 * each followed by exactly one space; the version {@code HTTP/1.1} or {@code HTTP/1.0} (another well-formed version
 * is a 505 error). Empty lines before the request line are skipped (RFC 9112 §2.2), within the request line limit.
 * A request line longer than {@link HttpLimits#maxRequestLine()} is a 414 error.
 * <p>
 * Request rules on top of the shared ones: an HTTP/1.1 request needs exactly one Host field, and an HTTP/1.0 request
 * may have at most one, whose value is {@code uri-host [":" port]} characters only (RFC 9112 §3.2: no space, path,
 * query or userinfo); 400 otherwise. A request never reads until close, so without Transfer-Encoding or
 * Content-Length it has no body; {@code Expect: 100-continue} is reported for HTTP/1.1 only (RFC 9110 §10.1.1).
 * <p>
 * Owned by one connection on one thread; not thread-safe.
 */
public final class HttpRequestHeadDecoder extends HttpHeadDecoder
{
    private static final int LEADING_EMPTY_LINES = 0;
    private static final int METHOD = 1;
    private static final int TARGET = 2;
    private static final int VERSION = 3;

    private int lineState;
    private int methodStart;
    private int methodEnd;
    private int targetStart;
    private int targetEnd;
    private int versionStart;
    private HttpMethod method;

    public HttpRequestHeadDecoder()
    {
        this(HttpLimits.DEFAULTS);
    }

    public HttpRequestHeadDecoder(final HttpLimits limits)
    {
        super(limits);
    }

    @Override
    void resetStartLine()
    {
        lineState = LEADING_EMPTY_LINES;
        methodStart = 0;
        methodEnd = 0;
        targetStart = 0;
        targetEnd = 0;
        versionStart = 0;
        method = null;
    }

    @Override
    int decodeStartLine(final DirectBuffer buffer, final int offset, final int length)
    {
        final int max = limits.maxRequestLine();
        int i = scan;
        while (true)
        {
            switch (lineState)
            {
                case LEADING_EMPTY_LINES:
                {
                    if (i >= length)
                    {
                        return needMore(i);
                    }
                    final int b = buffer.getByte(offset + i);
                    if (b == CR)
                    {
                        if (i + 2 > max)
                        {
                            return fail(414, "request line longer than " + max + " bytes");
                        }
                        if (i + 1 >= length)
                        {
                            return needMore(i);
                        }
                        if (buffer.getByte(offset + i + 1) != LF)
                        {
                            return fail(400, "bare CR before the request line");
                        }
                        i += 2;
                    }
                    else if (b == LF)
                    {
                        return fail(400, "bare LF before the request line");
                    }
                    else
                    {
                        methodStart = i;
                        lineState = METHOD;
                    }
                    break;
                }

                case METHOD:
                {
                    final int cap = Math.min(length, max);
                    while (i < cap && HttpGrammar.isTchar(buffer.getByte(offset + i)))
                    {
                        i++;
                    }
                    if (i == cap)
                    {
                        return lineNeedsMore(i, length, max, "request line");
                    }
                    if (buffer.getByte(offset + i) != SP || i == methodStart)
                    {
                        return fail(400, i == methodStart && buffer.getByte(offset + i) == SP ?
                            "request line starts with whitespace" : "invalid character in the method");
                    }
                    methodEnd = i;
                    method = HttpMethod.lookup(buffer, offset + methodStart, methodEnd - methodStart);
                    i++;
                    targetStart = i;
                    lineState = TARGET;
                    break;
                }

                case TARGET:
                {
                    final int cap = Math.min(length, max);
                    while (i <= cap - Long.BYTES)
                    {
                        final long stops = HttpGrammar.nonVisible(buffer.getLong(offset + i, LITTLE_ENDIAN));
                        if (stops != 0)
                        {
                            i += HttpGrammar.firstByte(stops);
                            break;
                        }
                        i += Long.BYTES;
                    }
                    while (i < cap && HttpGrammar.is(buffer.getByte(offset + i), HttpGrammar.TARGET))
                    {
                        i++;
                    }
                    if (i == cap)
                    {
                        return lineNeedsMore(i, length, max, "request line");
                    }
                    final int b = buffer.getByte(offset + i);
                    if (b != SP)
                    {
                        return fail(400, b == CR || b == LF ?
                            "request line without an HTTP version" : "invalid character in the request target");
                    }
                    if (i == targetStart)
                    {
                        return fail(400, "empty request target");
                    }
                    targetEnd = i;
                    i++;
                    versionStart = i;
                    lineState = VERSION;
                    break;
                }

                case VERSION:
                    while (true)
                    {
                        if (i >= length)
                        {
                            return needMore(i);
                        }
                        final int k = i - versionStart;
                        if (k < HttpVersion.LENGTH && i >= max)
                        {
                            return fail(414, "request line longer than " + max + " bytes");
                        }
                        final int b = buffer.getByte(offset + i);
                        if (k < HttpVersion.LENGTH)
                        {
                            if (!isVersionByte(k, b))
                            {
                                return fail(400, "malformed HTTP version");
                            }
                            if (k == HttpVersion.LENGTH - 1)
                            {
                                version = versionOf(buffer, offset + versionStart);
                                if (version == null)
                                {
                                    return fail(505, "HTTP version not supported");
                                }
                            }
                        }
                        else if (k == HttpVersion.LENGTH)
                        {
                            if (b != CR)
                            {
                                return fail(400, b == LF ? "bare LF after the request line" : "malformed HTTP version");
                            }
                        }
                        else
                        {
                            if (b != LF)
                            {
                                return fail(400, "bare CR after the request line");
                            }
                            fieldsStart = i + 1;
                            return LINE_DONE;
                        }
                        i++;
                    }

                default:
                    throw new IllegalStateException("unreachable: state " + lineState);
            }
        }
    }

    @Override
    int decideFraming()
    {
        if (hostCount > 1)
        {
            return fail(400, "more than one Host");
        }
        if (hostCount == 0 && version == HttpVersion.HTTP_1_1)
        {
            return fail(400, "missing Host");
        }
        if (hostCount == 1)
        {
            final int end = headers.valueOffset(hostIndex) + headers.valueLength(hostIndex);
            for (int i = headers.valueOffset(hostIndex); i < end; i++)
            {
                if (!HttpGrammar.is(buffer.getByte(i), HttpGrammar.HOST))
                {
                    return fail(400, "invalid Host");
                }
            }
        }
        framing = transferEncoding ? BodyFraming.CHUNKED :
            contentLength >= 0 ? BodyFraming.CONTENT_LENGTH : BodyFraming.NONE;
        expectsContinue &= version == HttpVersion.HTTP_1_1;
        return 0;
    }

    // ---- accessors ----

    /** The method, once the request line is parsed; {@link HttpMethod#OTHER} for an extension method. */
    public HttpMethod method()
    {
        return method;
    }

    public int methodOffset()
    {
        return headOffset + methodStart;
    }

    public int methodLength()
    {
        return methodEnd - methodStart;
    }

    /** Allocates. */
    public String methodAsString()
    {
        return HttpFieldsDecoder.string(buffer, methodOffset(), methodLength());
    }

    public int targetOffset()
    {
        return headOffset + targetStart;
    }

    public int targetLength()
    {
        return targetEnd - targetStart;
    }

    /** Points {@code view} at the request target, without copying; returns it. */
    public AsciiSequenceView target(final AsciiSequenceView view)
    {
        return view.wrap(buffer, targetOffset(), targetLength());
    }

    /** Allocates. */
    public String targetAsString()
    {
        return HttpFieldsDecoder.string(buffer, targetOffset(), targetLength());
    }

    /** The index of the Host field in {@link #headers()}, or -1 (allowed in HTTP/1.0 only). */
    public int hostIndex()
    {
        return hostIndex;
    }

    /** Whether an HTTP/1.1 client waits for {@code 100 Continue} before it sends the body. */
    public boolean isExpectContinue()
    {
        return expectsContinue;
    }
}

package dev.warren.codec.http;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;

import static dev.warren.codec.http.HttpGrammar.CR;
import static dev.warren.codec.http.HttpGrammar.LF;
import static dev.warren.codec.http.HttpGrammar.SP;

/**
 * Decodes a response head: {@code HTTP-version SP status-code SP [reason-phrase] CRLF}, the header section, and the
 * body's framing (RFC 9112 §4, §6.3). See {@link HttpHeadDecoder} for the feeding contract and the shared rules.
 * <p>
 * Status line: the version {@code HTTP/1.1} or {@code HTTP/1.0} (another well-formed one: 505), a status of three
 * digits from 100 to 599, then a space and a reason of tabs, spaces, visible ASCII and obs-text. A status line that
 * ends right after the status code ({@code HTTP/1.1 200\r\n}) is accepted: RFC 9112 asks for the space, but servers
 * omit it, and a client ignores the reason anyway; nothing about framing depends on it. The status line is limited by
 * {@link HttpLimits#maxRequestLine()} like a request line.
 * <p>
 * Framing needs the request's method ({@link #requestMethod(HttpMethod)}, GET until told): a response to HEAD, every
 * 1xx, 204 and 304 has no body, whatever its fields say, and so has a 2xx to CONNECT (the connection becomes a
 * tunnel). Otherwise chunked, then Content-Length, and failing both the body runs until the server closes the
 * connection, which therefore is not kept alive. After a 1xx other than 101, {@link #reset()} and decode the next
 * head: the final response to the same request (the request method is kept).
 * <p>
 * Owned by one connection on one thread; not thread-safe.
 */
public final class HttpResponseHeadDecoder extends HttpHeadDecoder
{
    private static final int VERSION = 0;
    private static final int REASON = 1;
    private static final int LINE_LF = 2;

    /** Index of the status code's first digit from the start of the line. */
    private static final int STATUS_START = HttpVersion.LENGTH + 1;
    private static final int STATUS_END = STATUS_START + 3;

    private HttpMethod requestMethod = HttpMethod.GET;
    private int lineState;
    private int status;
    private int reasonStart;
    private int reasonEnd;

    public HttpResponseHeadDecoder()
    {
        this(HttpLimits.DEFAULTS);
    }

    public HttpResponseHeadDecoder(final HttpLimits limits)
    {
        super(limits);
    }

    /** The method of the request this response answers; kept across {@link #reset()}. */
    public HttpResponseHeadDecoder requestMethod(final HttpMethod requestMethod)
    {
        this.requestMethod = requestMethod;
        return this;
    }

    public HttpMethod requestMethod()
    {
        return requestMethod;
    }

    @Override
    void resetStartLine()
    {
        lineState = VERSION;
        status = 0;
        reasonStart = 0;
        reasonEnd = 0;
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
                case VERSION:
                    // Version, space, status and what follows it: 13 fixed bytes, within any allowed line limit.
                    while (true)
                    {
                        if (i >= length)
                        {
                            return needMore(i);
                        }
                        final int b = buffer.getByte(offset + i);
                        if (i < HttpVersion.LENGTH)
                        {
                            if (!isVersionByte(i, b))
                            {
                                return fail(400, "malformed HTTP version");
                            }
                            if (i == HttpVersion.LENGTH - 1)
                            {
                                version = versionOf(buffer, offset);
                                if (version == null)
                                {
                                    return fail(505, "HTTP version not supported");
                                }
                            }
                        }
                        else if (i == HttpVersion.LENGTH)
                        {
                            if (b != SP)
                            {
                                return fail(400, "malformed status line");
                            }
                        }
                        else if (i < STATUS_END)
                        {
                            final int digit = b - '0';
                            if (digit < 0 || digit > 9 || (i == STATUS_START && (digit < 1 || digit > 5)))
                            {
                                return fail(400, "invalid status code");
                            }
                            status = status * 10 + digit;
                        }
                        else
                        {
                            i++;
                            if (b == SP)
                            {
                                reasonStart = i;
                                lineState = REASON;
                                break;
                            }
                            if (b == CR)
                            {
                                reasonStart = i - 1;
                                reasonEnd = i - 1;
                                lineState = LINE_LF;
                                break;
                            }
                            return fail(400, b == LF ? "bare LF after the status line" : "invalid status code");
                        }
                        i++;
                    }
                    break;

                case REASON:
                {
                    // The CR may be the byte at the limit: scan one further.
                    final int cap = Math.min(length, max + 1);
                    while (i < cap && HttpGrammar.is(buffer.getByte(offset + i), HttpGrammar.REASON))
                    {
                        i++;
                    }
                    if (i == cap)
                    {
                        return i > max ? fail(414, "status line longer than " + max + " bytes") : needMore(i);
                    }
                    final int b = buffer.getByte(offset + i);
                    if (b != CR)
                    {
                        return fail(400, b == LF ? "bare LF after the status line" :
                            "control character in the reason phrase");
                    }
                    reasonEnd = i;
                    i++;
                    lineState = LINE_LF;
                    break;
                }

                case LINE_LF:
                    if (i >= length)
                    {
                        return needMore(i);
                    }
                    if (buffer.getByte(offset + i) != LF)
                    {
                        return fail(400, "bare CR after the status line");
                    }
                    fieldsStart = i + 1;
                    return LINE_DONE;

                default:
                    throw new IllegalStateException("unreachable: state " + lineState);
            }
        }
    }

    @Override
    int decideFraming()
    {
        if (status < 200 || status == 204 || status == 304 || requestMethod == HttpMethod.HEAD)
        {
            framing = BodyFraming.NONE;
        }
        else if (requestMethod == HttpMethod.CONNECT && status < 300)
        {
            framing = BodyFraming.NONE;
            keepAlive = false;
        }
        else if (transferEncoding)
        {
            framing = BodyFraming.CHUNKED;
        }
        else if (contentLength >= 0)
        {
            framing = BodyFraming.CONTENT_LENGTH;
        }
        else
        {
            framing = BodyFraming.UNTIL_CLOSE;
            keepAlive = false;
        }
        return 0;
    }

    // ---- accessors ----

    /** The status code, 100..599, once the status line is parsed. */
    public int status()
    {
        return status;
    }

    /** A 1xx: an interim response, followed by another head for the same request (except after 101). */
    public boolean isInformational()
    {
        return status >= 100 && status < 200;
    }

    public int reasonOffset()
    {
        return headOffset + reasonStart;
    }

    /** Bytes of the reason phrase; 0 when it is empty or absent. */
    public int reasonLength()
    {
        return reasonEnd - reasonStart;
    }

    /** Points {@code view} at the reason phrase, without copying; returns it. */
    public AsciiSequenceView reason(final AsciiSequenceView view)
    {
        return view.wrap(buffer, reasonOffset(), reasonLength());
    }

    /** Allocates. */
    public String reasonAsString()
    {
        return HttpFieldsDecoder.string(buffer, reasonOffset(), reasonLength());
    }
}

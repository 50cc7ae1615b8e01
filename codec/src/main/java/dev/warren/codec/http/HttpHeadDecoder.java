package dev.warren.codec.http;

import org.agrona.DirectBuffer;

import static dev.warren.codec.http.HttpFieldsDecoder.KIND_CONNECTION;
import static dev.warren.codec.http.HttpFieldsDecoder.KIND_CONTENT_LENGTH;
import static dev.warren.codec.http.HttpFieldsDecoder.KIND_EXPECT;
import static dev.warren.codec.http.HttpFieldsDecoder.KIND_HOST;
import static dev.warren.codec.http.HttpFieldsDecoder.KIND_TRANSFER_ENCODING;

/**
 * What request and response head decoders share: the resumable scan, the header section, and the framing rules of
 * RFC 9112 §6 that close the door on request smuggling.
 * <p>
 * <b>Feeding contract: the caller keeps the head contiguous.</b> Call {@link #decode} with the whole head received
 * so far, from its first byte, each time more bytes arrive. The head may move between calls (a receive buffer that
 * compacts), but the bytes already passed must not change. The decoder does not rescan them: it resumes where it
 * stopped, so a head that arrives one byte at a time costs no more than one that arrives at once. When all of it
 * arrives in one read, which is the common case, nothing is copied at all: the decoder records offsets into the
 * caller's buffer. (The alternative, copying each piece into a buffer of the decoder's own, would give the caller
 * freedom to discard consumed bytes at the price of a copy of every head; a connection's receive buffer has to hold
 * a partial head anyway.)
 * <p>
 * <b>Outcome.</b> {@link #decode} returns {@link #NEED_MORE} until the head is complete, then the head's length in
 * bytes, which the caller consumes (the body, if any, starts right after). Calling it again after that returns the
 * same length and points the accessors at the bytes given. A head that breaks the grammar, a limit or a framing rule
 * gives {@link #ERROR}, with {@link #errorStatus()} (400, 414, 431, 501 or 505: what a server answers, and for a
 * response decoder the class of the fault, which a proxy reports as a bad gateway) and {@link #errorReason()}. Whatever
 * the pieces, the outcome is the same: every check depends on the bytes alone, in the order they come.
 * <p>
 * <b>Framing</b>, decided once the head is complete:
 * <ul>
 *     <li>Both Transfer-Encoding and Content-Length: 400, in a request or a response (RFC 9112 §6.3 allows a server
 *     or client to treat it as an error; it is the classic smuggling shape, so this codec always does).</li>
 *     <li>Content-Length: one or more fields, each a list of {@code 1*DIGIT} (at most 18 digits; no sign, no space,
 *     no empty element). Repeated identical values count once; differing values are a 400 error.</li>
 *     <li>Transfer-Encoding: a list of tokens, which may span several fields. {@code chunked} must be the final coding
 *     and appear once, otherwise 400; any other coding is a 501 error (no other transfer coding is decoded). Any
 *     Transfer-Encoding in an HTTP/1.0 message is a 400 error (RFC 9112 §6.1).</li>
 *     <li>Connection: {@code close} ends the connection after this message; HTTP/1.0 keeps it only with
 *     {@code keep-alive}.</li>
 * </ul>
 * These checks run on every head, including those whose framing the status or the method then overrides.
 * <p>
 * Reset between messages with {@link #reset()}. Owned by one connection on one thread; not thread-safe. Allocates only
 * on error (the reason) and in the {@code ...AsString} accessors.
 */
public abstract sealed class HttpHeadDecoder permits HttpRequestHeadDecoder, HttpResponseHeadDecoder
{
    /** Returned by {@link #decode} while the head is incomplete. */
    public static final int NEED_MORE = 0;
    /** Returned by {@link #decode} when the head is malformed; see {@link #errorStatus()} and {@link #errorReason()}. */
    public static final int ERROR = -1;

    static final int LINE_DONE = 1;

    private static final int START_LINE = 0;
    private static final int FIELDS = 1;
    private static final int DONE = 2;
    private static final int FAILED = 3;

    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};

    final HttpLimits limits;
    final HttpFieldsDecoder headers;
    private final HttpListCursor cursor = new HttpListCursor();

    DirectBuffer buffer;
    int headOffset;
    /** Scan position of the start line, relative to the head's first byte. */
    int scan;
    /** Where the header section starts, relative to the head's first byte. */
    int fieldsStart;
    HttpVersion version;

    private int state;
    private int headLength;
    BodyFraming framing;
    long contentLength;
    boolean keepAlive;
    boolean transferEncoding;
    int hostCount;
    int hostIndex;
    boolean expectsContinue;
    private int errorStatus;
    private String errorReason;

    HttpHeadDecoder(final HttpLimits limits)
    {
        this.limits = limits;
        this.headers = new HttpFieldsDecoder(limits.maxHeaderBlock(), limits.maxHeaderCount(), "header");
        reset();
    }

    /** Forgets the last head, ready for the next message on the connection. */
    public void reset()
    {
        buffer = null;
        headOffset = 0;
        scan = 0;
        fieldsStart = 0;
        version = null;
        state = START_LINE;
        headLength = 0;
        framing = null;
        contentLength = -1;
        keepAlive = false;
        transferEncoding = false;
        hostCount = 0;
        hostIndex = -1;
        expectsContinue = false;
        errorStatus = 0;
        errorReason = null;
        headers.reset();
        resetStartLine();
    }

    /**
     * Parses on from where the last call stopped.
     *
     * @param buffer holds the head.
     * @param offset the head's first byte, on every call.
     * @param length bytes received from {@code offset} on. They may run past the head's end (into a body, or the next
     *               message): nothing past the head's final CRLF is read.
     * @return the head's length once complete, {@link #NEED_MORE}, or {@link #ERROR}.
     */
    public final int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.headOffset = offset;
        if (state == DONE)
        {
            headers.decode(buffer, offset + fieldsStart, length - fieldsStart);
            return headLength;
        }
        if (state == FAILED)
        {
            return ERROR;
        }
        if (state == START_LINE)
        {
            final int result = decodeStartLine(buffer, offset, length);
            if (result != LINE_DONE)
            {
                return result;
            }
            state = FIELDS;
        }

        final int result = headers.decode(buffer, offset + fieldsStart, length - fieldsStart);
        if (result == HttpFieldsDecoder.ERROR)
        {
            return fail(headers.errorStatus(), headers.errorReason());
        }
        if (result == HttpFieldsDecoder.NEED_MORE)
        {
            return NEED_MORE;
        }
        if (analyseFields() == ERROR || decideFraming() == ERROR)
        {
            return ERROR;
        }
        state = DONE;
        headLength = fieldsStart + result;
        return headLength;
    }

    /**
     * Scans the start line on from {@link #scan}.
     *
     * @return {@link #LINE_DONE} with {@link #fieldsStart} and {@link #version} set, {@link #NEED_MORE} with
     * {@link #scan} saved, or {@link #ERROR} from {@link #fail}.
     */
    abstract int decodeStartLine(DirectBuffer buffer, int offset, int length);

    abstract void resetStartLine();

    /** Sets {@link #framing} (and may clear {@link #keepAlive}) from the analysed fields; may fail. */
    abstract int decideFraming();

    private int analyseFields()
    {
        final HttpFieldsDecoder headers = this.headers;
        final HttpListCursor cursor = this.cursor;
        final DirectBuffer buffer = this.buffer;
        int chunkedCount = 0;
        boolean chunkedLast = false;
        boolean unknownCoding = false;
        boolean close = false;
        boolean keepAliveToken = false;

        for (int i = 0, count = headers.count(); i < count; i++)
        {
            switch (headers.kind(i))
            {
                case KIND_HOST:
                    if (hostCount++ == 0)
                    {
                        hostIndex = i;
                    }
                    break;

                case KIND_CONTENT_LENGTH:
                    cursor.wrap(buffer, headers.valueOffset(i), headers.valueLength(i));
                    while (cursor.next())
                    {
                        final long value = cursor.decimalValue();
                        if (value == HttpListCursor.NOT_A_NUMBER)
                        {
                            return fail(400, "invalid Content-Length");
                        }
                        if (contentLength >= 0 && value != contentLength)
                        {
                            return fail(400, "differing Content-Length values");
                        }
                        contentLength = value;
                    }
                    break;

                case KIND_TRANSFER_ENCODING:
                    transferEncoding = true;
                    cursor.wrap(buffer, headers.valueOffset(i), headers.valueLength(i));
                    while (cursor.next())
                    {
                        if (cursor.equalsIgnoreCase(HttpListCursor.CHUNKED))
                        {
                            chunkedCount++;
                            chunkedLast = true;
                        }
                        else if (cursor.isToken())
                        {
                            unknownCoding = true;
                            chunkedLast = false;
                        }
                        else
                        {
                            return fail(400, "invalid Transfer-Encoding");
                        }
                    }
                    break;

                case KIND_CONNECTION:
                    cursor.wrap(buffer, headers.valueOffset(i), headers.valueLength(i));
                    while (cursor.next())
                    {
                        close |= cursor.equalsIgnoreCase(HttpListCursor.CLOSE);
                        keepAliveToken |= cursor.equalsIgnoreCase(HttpListCursor.KEEP_ALIVE);
                    }
                    break;

                case KIND_EXPECT:
                    cursor.wrap(buffer, headers.valueOffset(i), headers.valueLength(i));
                    while (cursor.next())
                    {
                        expectsContinue |= cursor.equalsIgnoreCase(HttpListCursor.CONTINUE);
                    }
                    break;

                default:
                    break;
            }
        }

        if (transferEncoding)
        {
            if (contentLength >= 0)
            {
                return fail(400, "both Transfer-Encoding and Content-Length");
            }
            if (version == HttpVersion.HTTP_1_0)
            {
                return fail(400, "Transfer-Encoding in an HTTP/1.0 message");
            }
            if (chunkedCount > 1)
            {
                return fail(400, "chunked applied more than once");
            }
            if (!chunkedLast)
            {
                return fail(400, "chunked is not the final transfer coding");
            }
            if (unknownCoding)
            {
                return fail(501, "unsupported transfer coding");
            }
        }
        keepAlive = version == HttpVersion.HTTP_1_1 ? !close : keepAliveToken && !close;
        return 0;
    }

    /**
     * One byte of {@code HTTP-version} ({@code "HTTP/" DIGIT "." DIGIT}, case-sensitive) at index {@code k} of it.
     */
    static boolean isVersionByte(final int k, final int b)
    {
        switch (k)
        {
            case 5:
            case 7:
                return b >= '0' && b <= '9';
            case 6:
                return b == '.';
            default:
                return b == HTTP_SLASH[k];
        }
    }

    /** The version whose digits are at {@code versionStart + 5} and {@code + 7}, or null when it is not supported. */
    static HttpVersion versionOf(final DirectBuffer buffer, final int versionStart)
    {
        if (buffer.getByte(versionStart + 5) != '1')
        {
            return null;
        }
        final byte minor = buffer.getByte(versionStart + 7);
        return minor == '1' ? HttpVersion.HTTP_1_1 : minor == '0' ? HttpVersion.HTTP_1_0 : null;
    }

    /** When a scan stopped at {@code min(length, max)}: the line is too long if more bytes were there to read. */
    final int lineNeedsMore(final int position, final int length, final int max, final String line)
    {
        if (position == max && length > max)
        {
            return fail(414, line + " longer than " + max + " bytes");
        }
        scan = position;
        return NEED_MORE;
    }

    final int needMore(final int position)
    {
        scan = position;
        return NEED_MORE;
    }

    final int fail(final int status, final String reason)
    {
        state = FAILED;
        errorStatus = status;
        errorReason = reason;
        return ERROR;
    }

    // ---- accessors ----

    public HttpLimits limits()
    {
        return limits;
    }

    /** Whether the last {@link #decode} completed the head. */
    public boolean isDone()
    {
        return state == DONE;
    }

    /** Bytes of the complete head, start line to the final empty line; 0 before. */
    public int headLength()
    {
        return headLength;
    }

    /** The buffer last given to {@link #decode}: every offset an accessor returns is in it. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** The version, once the start line is parsed. */
    public HttpVersion version()
    {
        return version;
    }

    /** The header fields. */
    public HttpFieldsDecoder headers()
    {
        return headers;
    }

    /** How the body is framed, once the head is complete. */
    public BodyFraming framing()
    {
        return framing;
    }

    /** The body's length when {@link #framing()} is {@link BodyFraming#CONTENT_LENGTH}; -1 otherwise. */
    public long contentLength()
    {
        return framing == BodyFraming.CONTENT_LENGTH ? contentLength : -1;
    }

    /** Whether the connection may carry another message after this one (RFC 9112 §9.3). */
    public boolean isKeepAlive()
    {
        return keepAlive;
    }

    /** After {@link #ERROR}: the status a server answers, 400, 414, 431, 501 or 505. */
    public int errorStatus()
    {
        return errorStatus;
    }

    /** After {@link #ERROR}: why, for the log and the error response. */
    public String errorReason()
    {
        return errorReason;
    }
}

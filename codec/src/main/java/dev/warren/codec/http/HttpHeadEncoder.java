package dev.warren.codec.http;

import org.agrona.AsciiEncoding;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static dev.warren.codec.http.HttpGrammar.COLON;
import static dev.warren.codec.http.HttpGrammar.CR;
import static dev.warren.codec.http.HttpGrammar.LF;
import static dev.warren.codec.http.HttpGrammar.SP;

/**
 * Writes a request head, a response head, or the last chunk and trailer section of a chunked body, in place.
 * <pre>{@code
 * int length = encoder.wrap(buffer, offset, capacity)
 *     .requestLine(HttpMethod.GET, "/users/7")
 *     .header(HttpHeaderName.HOST, "users.internal")
 *     .chunked()
 *     .end();
 * }</pre>
 * Always HTTP/1.1. The framing fields are written by {@link #contentLength(long)} and {@link #chunked()} only, at
 * most one of them; {@code header(...)} refuses Content-Length and Transfer-Encoding, so what a caller passes on cannot
 * contradict the framing that the body will have. {@link #end()} writes the final CRLF and returns the length, or
 * {@link #OVERFLOW} when the head did not fit between the offset and the limit given to {@link #wrap}: nothing is
 * written past the limit, and the caller decides (a bigger buffer, or an error).
 * <p>
 * Every character is checked as it is written: a method or name that is not a token, a target that is not visible
 * ASCII, a control character (a CR or LF: header injection) in a value or reason, or a character above U+00FF is an
 * {@link IllegalArgumentException}; a call out of order is an {@link IllegalStateException}. Values are written
 * without the whitespace around them, as the Fetch standard normalizes a header value; characters U+0080..U+00FF
 * become single bytes (ISO-8859-1, obs-text).
 * <p>
 * Allocates nothing on success, given names as {@link HttpHeaderName} constants and values as any
 * {@link CharSequence} (a {@code String} constant, an {@link org.agrona.AsciiSequenceView} over a decoded head, a
 * reused {@code StringBuilder}) or a {@code long}. Owned by one thread at a time; not thread-safe.
 */
public final class HttpHeadEncoder
{
    /** Returned by {@link #end()} when the head did not fit. */
    public static final int OVERFLOW = -1;

    private static final int WRAPPED = 0;
    private static final int HEAD_FIELDS = 1;
    private static final int TRAILER_FIELDS = 2;
    private static final int ENDED = 3;

    private static final byte[] CRLF = {CR, LF};
    private static final byte[] LAST_CHUNK = {'0', CR, LF};
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);

    private MutableDirectBuffer buffer;
    private int start;
    private int position;
    private int limit;
    private boolean overflow;
    private int stage = ENDED;
    private boolean framed;

    /**
     * Starts a head at {@code offset}, to be written within {@code length} bytes.
     */
    public HttpHeadEncoder wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException(
                "offset " + offset + " and length " + length + " outside a buffer of " + buffer.capacity());
        }
        this.buffer = buffer;
        this.start = offset;
        this.position = offset;
        this.limit = offset + length;
        this.overflow = false;
        this.stage = WRAPPED;
        this.framed = false;
        return this;
    }

    /** {@code method SP target SP HTTP/1.1 CRLF}. */
    public HttpHeadEncoder requestLine(final HttpMethod method, final CharSequence target)
    {
        if (method == HttpMethod.OTHER)
        {
            throw new IllegalArgumentException("write an extension method by its name");
        }
        startLine();
        final byte[] bytes = method.bytes();
        if (room(bytes.length + 1))
        {
            bytes(bytes);
            buffer.putByte(position++, SP);
        }
        return requestLineRest(target);
    }

    /** {@code method SP target SP HTTP/1.1 CRLF}, for any method that is a token. */
    public HttpHeadEncoder requestLine(final CharSequence method, final CharSequence target)
    {
        startLine();
        if (method.length() == 0)
        {
            throw new IllegalArgumentException("empty method");
        }
        if (room(method.length() + 1))
        {
            text(method, 0, method.length(), HttpGrammar.TCHAR, "method");
            buffer.putByte(position++, SP);
        }
        return requestLineRest(target);
    }

    private HttpHeadEncoder requestLineRest(final CharSequence target)
    {
        if (target.length() == 0)
        {
            throw new IllegalArgumentException("empty request target");
        }
        if (room(target.length() + 1 + HttpVersion.LENGTH + 2))
        {
            text(target, 0, target.length(), HttpGrammar.TARGET, "request target");
            buffer.putByte(position++, SP);
            bytes(HttpVersion.HTTP_1_1.bytes());
            bytes(CRLF);
        }
        stage = HEAD_FIELDS;
        return this;
    }

    /** {@code HTTP/1.1 SP status SP reason CRLF}, with the reason of RFC 9110 for the status, or none. */
    public HttpHeadEncoder statusLine(final int status)
    {
        return statusLine(status, reasonPhrase(status));
    }

    /** {@code HTTP/1.1 SP status SP reason CRLF}; {@code status} is 100..599. */
    public HttpHeadEncoder statusLine(final int status, final CharSequence reason)
    {
        if (status < 100 || status > 599)
        {
            throw new IllegalArgumentException("status out of range 100..599: " + status);
        }
        startLine();
        if (room(HttpVersion.LENGTH + 5 + reason.length() + 2))
        {
            bytes(HttpVersion.HTTP_1_1.bytes());
            buffer.putByte(position++, SP);
            buffer.putNaturalIntAscii(position, status);
            position += 3;
            buffer.putByte(position++, SP);
            text(reason, 0, reason.length(), HttpGrammar.REASON, "reason phrase");
            bytes(CRLF);
        }
        stage = HEAD_FIELDS;
        return this;
    }

    /**
     * The last chunk of a chunked body, {@code 0 CRLF}, after which {@code header(...)} writes trailer fields and
     * {@link #end()} the final CRLF. Content-Length, Transfer-Encoding and Host are refused in trailers.
     */
    public HttpHeadEncoder lastChunk()
    {
        startLine();
        if (room(LAST_CHUNK.length))
        {
            bytes(LAST_CHUNK);
        }
        stage = TRAILER_FIELDS;
        return this;
    }

    public HttpHeadEncoder header(final HttpHeaderName name, final CharSequence value)
    {
        checkName(name);
        fieldName(name.bytes());
        return fieldValue(value);
    }

    /** A field whose name is not a constant; checked as it is written. */
    public HttpHeadEncoder header(final CharSequence name, final CharSequence value)
    {
        fields();
        if (name.length() == 0)
        {
            throw new IllegalArgumentException("empty header name");
        }
        if (HttpHeaderName.CONTENT_LENGTH.matches(name) || HttpHeaderName.TRANSFER_ENCODING.matches(name) ||
            (stage == TRAILER_FIELDS && HttpHeaderName.HOST.matches(name)))
        {
            throw new IllegalArgumentException(refusal(name.toString()));
        }
        if (room(name.length() + 2))
        {
            text(name, 0, name.length(), HttpGrammar.TCHAR, "header name");
            buffer.putByte(position++, COLON);
            buffer.putByte(position++, SP);
        }
        return fieldValue(value);
    }

    /** A field with a decimal value, written without allocating. */
    public HttpHeadEncoder header(final HttpHeaderName name, final long value)
    {
        checkName(name);
        fieldName(name.bytes());
        return decimalValue(value);
    }

    /**
     * A field copied from a decoded head or trailer section (for example {@link HttpFieldsDecoder#nameOffset}),
     * checked as it is copied. The value is trimmed of the whitespace around it.
     */
    public HttpHeadEncoder header(
        final DirectBuffer source, final int nameOffset, final int nameLength, final int valueOffset,
        final int valueLength)
    {
        fields();
        if (nameLength <= 0)
        {
            throw new IllegalArgumentException("empty header name");
        }
        if (HttpHeaderName.CONTENT_LENGTH.matches(source, nameOffset, nameLength) ||
            HttpHeaderName.TRANSFER_ENCODING.matches(source, nameOffset, nameLength) ||
            (stage == TRAILER_FIELDS && HttpHeaderName.HOST.matches(source, nameOffset, nameLength)))
        {
            throw new IllegalArgumentException(refusal(HttpFieldsDecoder.string(source, nameOffset, nameLength)));
        }
        int from = valueOffset;
        int to = valueOffset + valueLength;
        while (from < to && HttpGrammar.isWhitespace(source.getByte(from)))
        {
            from++;
        }
        while (to > from && HttpGrammar.isWhitespace(source.getByte(to - 1)))
        {
            to--;
        }
        if (room(nameLength + 2 + (to - from) + 2))
        {
            copy(source, nameOffset, nameOffset + nameLength, HttpGrammar.TCHAR, "header name");
            buffer.putByte(position++, COLON);
            buffer.putByte(position++, SP);
            copy(source, from, to, HttpGrammar.FIELD_VCHAR | HttpGrammar.WS, "header value");
            bytes(CRLF);
        }
        return this;
    }

    /** {@code Content-Length: length}. At most one framing field per head; none in trailers. */
    public HttpHeadEncoder contentLength(final long length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("negative content length " + length);
        }
        framing();
        fieldName(HttpHeaderName.CONTENT_LENGTH.bytes());
        return decimalValue(length);
    }

    /** {@code Transfer-Encoding: chunked}. At most one framing field per head; none in trailers. */
    public HttpHeadEncoder chunked()
    {
        framing();
        fieldName(HttpHeaderName.TRANSFER_ENCODING.bytes());
        if (room(CHUNKED.length + 2))
        {
            bytes(CHUNKED);
            bytes(CRLF);
        }
        return this;
    }

    /** {@code Connection: close}. */
    public HttpHeadEncoder connectionClose()
    {
        if (stage != HEAD_FIELDS)
        {
            throw new IllegalStateException("Connection belongs in a head, after its start line");
        }
        fieldName(HttpHeaderName.CONNECTION.bytes());
        if (room(CLOSE.length + 2))
        {
            bytes(CLOSE);
            bytes(CRLF);
        }
        return this;
    }

    /**
     * Writes the final CRLF.
     *
     * @return bytes written from the offset given to {@link #wrap}, or {@link #OVERFLOW}.
     */
    public int end()
    {
        fields();
        stage = ENDED;
        if (room(CRLF.length))
        {
            bytes(CRLF);
        }
        return overflow ? OVERFLOW : position - start;
    }

    /** Bytes written so far, from the offset given to {@link #wrap}. */
    public int length()
    {
        return position - start;
    }

    /** The reason phrase RFC 9110 gives {@code status}, or an empty one for a status it does not name. */
    public static String reasonPhrase(final int status)
    {
        switch (status)
        {
            case 100: return "Continue";
            case 101: return "Switching Protocols";
            case 200: return "OK";
            case 201: return "Created";
            case 202: return "Accepted";
            case 204: return "No Content";
            case 206: return "Partial Content";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 303: return "See Other";
            case 304: return "Not Modified";
            case 307: return "Temporary Redirect";
            case 308: return "Permanent Redirect";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 411: return "Length Required";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 417: return "Expectation Failed";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 505: return "HTTP Version Not Supported";
            default: return "";
        }
    }

    // ---- the writing ----

    private void startLine()
    {
        if (stage != WRAPPED)
        {
            throw new IllegalStateException(stage == ENDED ? "wrap a buffer first" : "the start line is written");
        }
    }

    private void fields()
    {
        if (stage != HEAD_FIELDS && stage != TRAILER_FIELDS)
        {
            throw new IllegalStateException(stage == WRAPPED ? "write the start line first" : "wrap a buffer first");
        }
    }

    private void framing()
    {
        if (stage != HEAD_FIELDS)
        {
            throw new IllegalStateException("framing fields belong in a head, after its start line");
        }
        if (framed)
        {
            throw new IllegalStateException("the head already has its framing field");
        }
        framed = true;
    }

    private void checkName(final HttpHeaderName name)
    {
        fields();
        if (name.equals(HttpHeaderName.CONTENT_LENGTH) || name.equals(HttpHeaderName.TRANSFER_ENCODING) ||
            (stage == TRAILER_FIELDS && name.equals(HttpHeaderName.HOST)))
        {
            throw new IllegalArgumentException(refusal(name.toString()));
        }
    }

    private String refusal(final String name)
    {
        return stage == TRAILER_FIELDS ? name + " is not allowed in trailers" :
            name + " is written by contentLength() or chunked()";
    }

    private void fieldName(final byte[] name)
    {
        if (room(name.length + 2))
        {
            bytes(name);
            buffer.putByte(position++, COLON);
            buffer.putByte(position++, SP);
        }
    }

    private HttpHeadEncoder fieldValue(final CharSequence value)
    {
        int from = 0;
        int to = value.length();
        while (from < to && HttpGrammar.isWhitespace(value.charAt(from)))
        {
            from++;
        }
        while (to > from && HttpGrammar.isWhitespace(value.charAt(to - 1)))
        {
            to--;
        }
        if (room(to - from + 2))
        {
            text(value, from, to, HttpGrammar.FIELD_VCHAR | HttpGrammar.WS, "header value");
            bytes(CRLF);
        }
        return this;
    }

    private HttpHeadEncoder decimalValue(final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("negative header value " + value);
        }
        if (room(AsciiEncoding.digitCount(value) + 2))
        {
            position += buffer.putNaturalLongAscii(position, value);
            bytes(CRLF);
        }
        return this;
    }

    /** Whether {@code length} more bytes fit; if not, marks the head as overflowed and nothing more is written. */
    private boolean room(final int length)
    {
        if (overflow || limit - position < length)
        {
            overflow = true;
            return false;
        }
        return true;
    }

    private void bytes(final byte[] bytes)
    {
        buffer.putBytes(position, bytes);
        position += bytes.length;
    }

    /**
     * Checks every character, then writes: ASCII text with Agrona's bulk copy (one bounds check for the run), text
     * with obs-text characters byte by byte.
     */
    private void text(
        final CharSequence text, final int from, final int to, final int characterClass, final String what)
    {
        boolean ascii = true;
        for (int i = from; i < to; i++)
        {
            final char c = text.charAt(i);
            if (c > 0xFF || !HttpGrammar.is(c, characterClass))
            {
                throw new IllegalArgumentException(invalid(what, c, i));
            }
            ascii &= c < 0x80;
        }
        if (ascii)
        {
            position += buffer.putStringWithoutLengthAscii(position, text, from, to - from);
        }
        else
        {
            for (int i = from; i < to; i++)
            {
                buffer.putByte(position++, (byte)text.charAt(i));
            }
        }
    }

    private void copy(
        final DirectBuffer source, final int from, final int to, final int characterClass, final String what)
    {
        final MutableDirectBuffer buffer = this.buffer;
        int at = position;
        for (int i = from; i < to; i++)
        {
            final byte b = source.getByte(i);
            if (!HttpGrammar.is(b, characterClass))
            {
                throw new IllegalArgumentException(invalid(what, b & 0xFF, i - from));
            }
            buffer.putByte(at++, b);
        }
        position = at;
    }

    private static String invalid(final String what, final int c, final int index)
    {
        return "invalid character U+" + String.format("%04X", c) + " at " + index + " of the " + what;
    }
}

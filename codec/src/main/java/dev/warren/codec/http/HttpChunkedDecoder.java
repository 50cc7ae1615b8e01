package dev.warren.codec.http;

import org.agrona.DirectBuffer;

import static dev.warren.codec.http.HttpFieldsDecoder.KIND_CONTENT_LENGTH;
import static dev.warren.codec.http.HttpFieldsDecoder.KIND_HOST;
import static dev.warren.codec.http.HttpFieldsDecoder.KIND_TRANSFER_ENCODING;
import static dev.warren.codec.http.HttpGrammar.BACKSLASH;
import static dev.warren.codec.http.HttpGrammar.CR;
import static dev.warren.codec.http.HttpGrammar.DQUOTE;
import static dev.warren.codec.http.HttpGrammar.EQUALS;
import static dev.warren.codec.http.HttpGrammar.LF;
import static dev.warren.codec.http.HttpGrammar.SEMICOLON;

/**
 * Decodes a chunked body (RFC 9112 §7.1) as a byte-at-a-time state machine over the bytes the caller has, handing
 * the chunk data out as slices of the caller's buffer: nothing is copied and nothing is buffered.
 * <p>
 * <b>Use.</b> Call {@link #decode} with the body bytes not yet consumed. It returns how many it consumed, and when
 * chunk data was among them, {@link #dataLength()} bytes at {@link #dataOffset()} in the same buffer are body
 * (at most one slice per call, so the caller can stop when its consumer has no room). Call again with what is left;
 * when a call consumes nothing and {@link #isComplete()} is false, read more. Chunk-size lines are consumed as they
 * are parsed, so they may be split anywhere. The trailer section is the exception: it is consumed only once it is
 * complete, so its fields can be read in place, and until then the caller keeps its bytes contiguous and passes
 * them again from their first byte, as for a head (see {@link HttpHeadDecoder}).
 * <p>
 * <b>Strict</b>, every fault a 400 error: a chunk size that is empty, not hex, longer than 16 digits, at or above
 * 2<sup>63</sup>, or above {@link HttpLimits#maxChunkSize()}; whitespace after the size that does not lead to an
 * extension; a malformed extension ({@code ;name[=token|quoted-string]}, with optional whitespace around {@code ;} and
 * {@code =}) or a longer one than {@link HttpLimits#maxChunkExtension()}; a bare CR or LF anywhere; chunk data not
 * followed by CRLF. Trailer fields follow the header rules of {@link HttpFieldsDecoder} within
 * {@link HttpLimits#maxTrailerBlock()} and {@link HttpLimits#maxHeaderCount()}, and may not be Content-Length,
 * Transfer-Encoding or Host (RFC 9110 §6.5.1: they would change framing or routing after the fact).
 * <p>
 * Owned by one connection on one thread; not thread-safe. Allocates only on error.
 */
public final class HttpChunkedDecoder
{
    /** Returned by {@link #decode} on malformed input; see {@link #errorStatus()} and {@link #errorReason()}. */
    public static final int ERROR = -1;

    /** Hex digits a chunk size may have, leading zeros included: 16 hold every size below 2^63. */
    public static final int MAX_CHUNK_SIZE_DIGITS = 16;

    private static final int SIZE_START = 0;
    private static final int SIZE = 1;
    private static final int EXT_BEFORE_SEMICOLON = 2;
    private static final int EXT_BEFORE_NAME = 3;
    private static final int EXT_NAME = 4;
    private static final int EXT_AFTER_NAME = 5;
    private static final int EXT_BEFORE_VALUE = 6;
    private static final int EXT_TOKEN_VALUE = 7;
    private static final int EXT_QUOTED_VALUE = 8;
    private static final int EXT_QUOTED_ESCAPE = 9;
    private static final int EXT_AFTER_VALUE = 10;
    private static final int SIZE_LF = 11;
    private static final int DATA = 12;
    private static final int DATA_CR = 13;
    private static final int DATA_LF = 14;
    private static final int TRAILERS = 15;
    private static final int DONE = 16;
    private static final int FAILED = 17;

    private final long maxChunkSize;
    private final int maxChunkExtension;
    private final HttpFieldsDecoder trailers;

    private int state;
    private long chunkSize;
    private int digits;
    private int extensionLength;
    private long remaining;
    private int dataOffset;
    private int dataLength;
    private int errorStatus;
    private String errorReason;

    public HttpChunkedDecoder()
    {
        this(HttpLimits.DEFAULTS);
    }

    public HttpChunkedDecoder(final HttpLimits limits)
    {
        this.maxChunkSize = limits.maxChunkSize();
        this.maxChunkExtension = limits.maxChunkExtension();
        this.trailers = new HttpFieldsDecoder(limits.maxTrailerBlock(), limits.maxHeaderCount(), "trailer");
        reset();
    }

    /** Ready for the next chunked body. */
    public void reset()
    {
        state = SIZE_START;
        chunkSize = 0;
        digits = 0;
        extensionLength = 0;
        remaining = 0;
        dataOffset = 0;
        dataLength = 0;
        errorStatus = 0;
        errorReason = null;
        trailers.reset();
    }

    /**
     * @return bytes consumed from {@code offset}, or {@link #ERROR}. When the consumed bytes include chunk data,
     * {@link #dataLength()} is positive and the data is the last thing consumed.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        dataLength = 0;
        if (state == DONE)
        {
            return 0;
        }
        if (state == FAILED)
        {
            return ERROR;
        }

        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            if (state == DATA)
            {
                final int slice = (int)Math.min(remaining, end - i);
                dataOffset = i;
                dataLength = slice;
                remaining -= slice;
                i += slice;
                if (remaining == 0)
                {
                    state = DATA_CR;
                }
                return i - offset;
            }
            if (state == TRAILERS)
            {
                final int result = trailers.decode(buffer, i, end - i);
                if (result == HttpFieldsDecoder.ERROR)
                {
                    return fail(trailers.errorStatus(), trailers.errorReason());
                }
                if (result == HttpFieldsDecoder.NEED_MORE)
                {
                    return i - offset;
                }
                for (int f = 0, count = trailers.count(); f < count; f++)
                {
                    final byte kind = trailers.kind(f);
                    if (kind == KIND_CONTENT_LENGTH || kind == KIND_TRANSFER_ENCODING || kind == KIND_HOST)
                    {
                        return fail(400, "framing or routing field in the trailers");
                    }
                }
                state = DONE;
                return i + result - offset;
            }

            final int b = buffer.getByte(i);
            if (state >= EXT_BEFORE_SEMICOLON && state <= EXT_AFTER_VALUE && b != CR &&
                ++extensionLength > maxChunkExtension)
            {
                return fail(400, "chunk extension longer than " + maxChunkExtension + " bytes");
            }
            if (step(b) == ERROR)
            {
                return ERROR;
            }
            i++;
        }
        return i - offset;
    }

    /** Moves the chunk-line and CRLF states on by one byte; returns {@link #ERROR} from {@link #fail} or 0. */
    private int step(final int b)
    {
        switch (state)
        {
            case SIZE_START:
            {
                final int digit = HttpGrammar.hexValue(b);
                if (digit < 0)
                {
                    return fail(400, b == CR || b == SEMICOLON || b == LF ? "missing chunk size" : "invalid chunk size");
                }
                chunkSize = digit;
                digits = 1;
                extensionLength = 0;
                state = SIZE;
                return 0;
            }

            case SIZE:
            {
                final int digit = HttpGrammar.hexValue(b);
                if (digit >= 0)
                {
                    if (++digits > MAX_CHUNK_SIZE_DIGITS || chunkSize > (Long.MAX_VALUE >>> 4))
                    {
                        return fail(400, "chunk size too large");
                    }
                    chunkSize = (chunkSize << 4) | digit;
                    return chunkSize > maxChunkSize ? fail(400, "chunk larger than " + maxChunkSize + " bytes") : 0;
                }
                if (b == CR)
                {
                    state = SIZE_LF;
                    return 0;
                }
                if (b == SEMICOLON)
                {
                    extensionLength = 1;
                    if (extensionLength > maxChunkExtension)
                    {
                        return fail(400, "chunk extension longer than " + maxChunkExtension + " bytes");
                    }
                    state = EXT_BEFORE_NAME;
                    return 0;
                }
                if (HttpGrammar.isWhitespace(b))
                {
                    extensionLength = 1;
                    if (extensionLength > maxChunkExtension)
                    {
                        return fail(400, "chunk extension longer than " + maxChunkExtension + " bytes");
                    }
                    state = EXT_BEFORE_SEMICOLON;
                    return 0;
                }
                return fail(400, b == LF ? "bare LF after a chunk size" : "invalid chunk size");
            }

            case EXT_BEFORE_SEMICOLON:
                if (HttpGrammar.isWhitespace(b))
                {
                    return 0;
                }
                if (b == SEMICOLON)
                {
                    state = EXT_BEFORE_NAME;
                    return 0;
                }
                return fail(400, "whitespace after a chunk size");

            case EXT_BEFORE_NAME:
                if (HttpGrammar.isWhitespace(b))
                {
                    return 0;
                }
                if (HttpGrammar.isTchar(b))
                {
                    state = EXT_NAME;
                    return 0;
                }
                return malformedExtension(b);

            case EXT_NAME:
                if (HttpGrammar.isTchar(b))
                {
                    return 0;
                }
                return afterExtensionPart(b, EXT_AFTER_NAME, true);

            case EXT_AFTER_NAME:
                return afterExtensionPart(b, EXT_AFTER_NAME, true);

            case EXT_BEFORE_VALUE:
                if (HttpGrammar.isWhitespace(b))
                {
                    return 0;
                }
                if (b == DQUOTE)
                {
                    state = EXT_QUOTED_VALUE;
                    return 0;
                }
                if (HttpGrammar.isTchar(b))
                {
                    state = EXT_TOKEN_VALUE;
                    return 0;
                }
                return malformedExtension(b);

            case EXT_TOKEN_VALUE:
                if (HttpGrammar.isTchar(b))
                {
                    return 0;
                }
                return afterExtensionPart(b, EXT_AFTER_VALUE, false);

            case EXT_QUOTED_VALUE:
                if (b == DQUOTE)
                {
                    state = EXT_AFTER_VALUE;
                    return 0;
                }
                if (b == BACKSLASH)
                {
                    state = EXT_QUOTED_ESCAPE;
                    return 0;
                }
                return HttpGrammar.is(b, HttpGrammar.QDTEXT) ? 0 : malformedExtension(b);

            case EXT_QUOTED_ESCAPE:
                if (HttpGrammar.is(b, HttpGrammar.REASON))
                {
                    state = EXT_QUOTED_VALUE;
                    return 0;
                }
                return malformedExtension(b);

            case EXT_AFTER_VALUE:
                return afterExtensionPart(b, EXT_AFTER_VALUE, false);

            case SIZE_LF:
                if (b != LF)
                {
                    return fail(400, "bare CR after a chunk size");
                }
                if (chunkSize == 0)
                {
                    state = TRAILERS;
                }
                else
                {
                    remaining = chunkSize;
                    state = DATA;
                }
                return 0;

            case DATA_CR:
                if (b != CR)
                {
                    return fail(400, "chunk data not followed by CRLF");
                }
                state = DATA_LF;
                return 0;

            case DATA_LF:
                if (b != LF)
                {
                    return fail(400, "chunk data not followed by CRLF");
                }
                state = SIZE_START;
                return 0;

            default:
                throw new IllegalStateException("unreachable: state " + state);
        }
    }

    /** After an extension's name or value (or whitespace after it): {@code ;}, {@code =} (after a name), or the CR. */
    private int afterExtensionPart(final int b, final int whitespaceState, final boolean mayTakeValue)
    {
        if (HttpGrammar.isWhitespace(b))
        {
            state = whitespaceState;
            return 0;
        }
        if (b == SEMICOLON)
        {
            state = EXT_BEFORE_NAME;
            return 0;
        }
        if (b == EQUALS && mayTakeValue)
        {
            state = EXT_BEFORE_VALUE;
            return 0;
        }
        if (b == CR)
        {
            state = SIZE_LF;
            return 0;
        }
        return malformedExtension(b);
    }

    private int malformedExtension(final int b)
    {
        return fail(400, b == LF ? "bare LF in a chunk extension" :
            b == CR ? "incomplete chunk extension" : "malformed chunk extension");
    }

    private int fail(final int status, final String reason)
    {
        state = FAILED;
        dataLength = 0;
        errorStatus = status;
        errorReason = reason;
        return ERROR;
    }

    // ---- accessors ----

    /** After a {@link #decode} that consumed chunk data: where it starts in the buffer given. */
    public int dataOffset()
    {
        return dataOffset;
    }

    /** Bytes of chunk data the last {@link #decode} consumed, at {@link #dataOffset()}; 0 if none. */
    public int dataLength()
    {
        return dataLength;
    }

    /** Whether the last chunk and the trailer section have been consumed. */
    public boolean isComplete()
    {
        return state == DONE;
    }

    /** The trailer fields, once {@link #isComplete()}; their offsets are in the buffer of the completing call. */
    public HttpFieldsDecoder trailers()
    {
        return trailers;
    }

    /** After {@link #ERROR}: 400, or 431 for a trailer section over its limits. */
    public int errorStatus()
    {
        return errorStatus;
    }

    public String errorReason()
    {
        return errorReason;
    }
}

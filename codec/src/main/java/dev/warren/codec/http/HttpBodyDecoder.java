package dev.warren.codec.http;

import org.agrona.DirectBuffer;

/**
 * Delimits a message body, whatever its {@link BodyFraming}, and hands it out as slices of the caller's buffer.
 * <p>
 * {@link #reset(HttpHeadDecoder)} (or {@link #reset(BodyFraming, long)}) after a head, then call {@link #decode} with
 * the bytes that follow it, as for {@link HttpChunkedDecoder}: each call returns the bytes consumed, of which the last
 * {@link #dataLength()} at {@link #dataOffset()} are body. Bytes beyond the body's end are not consumed: they are the
 * next message. When the connection's input ends, call {@link #endOfInput()}: it completes a body read until close
 * and refuses a truncated one.
 * <p>
 * Owned by one connection on one thread; not thread-safe. Allocates only on error.
 */
public final class HttpBodyDecoder
{
    /** Returned by {@link #decode} and {@link #endOfInput()} on a malformed or truncated body. */
    public static final int ERROR = -1;

    private final HttpChunkedDecoder chunked;

    private BodyFraming framing = BodyFraming.NONE;
    private long remaining;
    private boolean complete = true;
    private boolean failed;
    private int dataOffset;
    private int dataLength;
    private int errorStatus;
    private String errorReason;

    public HttpBodyDecoder()
    {
        this(HttpLimits.DEFAULTS);
    }

    public HttpBodyDecoder(final HttpLimits limits)
    {
        chunked = new HttpChunkedDecoder(limits);
    }

    /** Ready for the body that {@code head}, complete, announced. */
    public HttpBodyDecoder reset(final HttpHeadDecoder head)
    {
        return reset(head.framing(), head.contentLength());
    }

    /**
     * @param contentLength the body's length, for {@link BodyFraming#CONTENT_LENGTH}; ignored otherwise.
     */
    public HttpBodyDecoder reset(final BodyFraming framing, final long contentLength)
    {
        if (framing == BodyFraming.CONTENT_LENGTH && contentLength < 0)
        {
            throw new IllegalArgumentException("negative content length " + contentLength);
        }
        this.framing = framing;
        remaining = framing == BodyFraming.CONTENT_LENGTH ? contentLength : 0;
        complete = framing == BodyFraming.NONE || (framing == BodyFraming.CONTENT_LENGTH && contentLength == 0);
        failed = false;
        dataOffset = 0;
        dataLength = 0;
        errorStatus = 0;
        errorReason = null;
        chunked.reset();
        return this;
    }

    /**
     * @return bytes consumed from {@code offset}, or {@link #ERROR}.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        dataLength = 0;
        if (failed)
        {
            return ERROR;
        }
        if (complete)
        {
            return 0;
        }
        switch (framing)
        {
            case CONTENT_LENGTH:
            {
                final int slice = (int)Math.min(remaining, length);
                remaining -= slice;
                complete = remaining == 0;
                return slice(offset, slice);
            }

            case UNTIL_CLOSE:
                return slice(offset, length);

            case CHUNKED:
            {
                final int consumed = chunked.decode(buffer, offset, length);
                if (consumed == HttpChunkedDecoder.ERROR)
                {
                    failed = true;
                    errorStatus = chunked.errorStatus();
                    errorReason = chunked.errorReason();
                    return ERROR;
                }
                dataOffset = chunked.dataOffset();
                dataLength = chunked.dataLength();
                complete = chunked.isComplete();
                return consumed;
            }

            default:
                throw new IllegalStateException("unreachable: framing " + framing);
        }
    }

    /**
     * The connection's input has ended.
     *
     * @return 0 when the body is complete (a body read until close completes here), or {@link #ERROR} when the body
     * was cut short.
     */
    public int endOfInput()
    {
        dataLength = 0;
        if (failed)
        {
            return ERROR;
        }
        if (framing == BodyFraming.UNTIL_CLOSE)
        {
            complete = true;
        }
        if (!complete)
        {
            failed = true;
            errorStatus = 400;
            errorReason = "input ended before the body did";
            return ERROR;
        }
        return 0;
    }

    private int slice(final int offset, final int length)
    {
        dataOffset = offset;
        dataLength = length;
        return length;
    }

    // ---- accessors ----

    public BodyFraming framing()
    {
        return framing;
    }

    public int dataOffset()
    {
        return dataOffset;
    }

    public int dataLength()
    {
        return dataLength;
    }

    public boolean isComplete()
    {
        return complete;
    }

    /** The trailer fields of a chunked body, once complete; empty otherwise. */
    public HttpFieldsDecoder trailers()
    {
        return chunked.trailers();
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

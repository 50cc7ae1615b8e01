package dev.warren.codec.http;

/**
 * Every size an HTTP/1.1 decoder accepts (SPEC §7: every size has a limit). Immutable.
 * <p>
 * Each default is a named constant, read once from the system property named next to it, so an operator can raise
 * or lower it without a rebuild: for example {@code -Dwarren.http.maxHeaderBlock=65536}.
 *
 * @param maxRequestLine    bytes of the start line before its CRLF (and of any empty lines before a request line):
 *                          longer is a 414 error. Applies to a response's status line too.
 * @param maxHeaderBlock    bytes of the header section after the start line, its final empty line included: longer
 *                          is a 431 error.
 * @param maxHeaderCount    header fields in one head, and trailer fields in one trailer section: more is a 431 error.
 * @param maxChunkExtension bytes between a chunk size and its CRLF (whitespace, {@code ;} and extensions): longer is a
 *                          400 error.
 * @param maxTrailerBlock   bytes of a chunked body's trailer section, its final empty line included: longer is a 431
 *                          error.
 * @param maxChunkSize      the largest chunk size accepted; larger is a 400 error. Chunk data is never buffered, so
 *                          the default is the largest size a 63-bit count holds.
 */
public record HttpLimits(
    int maxRequestLine,
    int maxHeaderBlock,
    int maxHeaderCount,
    int maxChunkExtension,
    int maxTrailerBlock,
    long maxChunkSize)
{
    public static final String MAX_REQUEST_LINE_PROPERTY = "warren.http.maxRequestLine";
    public static final int DEFAULT_MAX_REQUEST_LINE = Integer.getInteger(MAX_REQUEST_LINE_PROPERTY, 8 * 1024);

    public static final String MAX_HEADER_BLOCK_PROPERTY = "warren.http.maxHeaderBlock";
    public static final int DEFAULT_MAX_HEADER_BLOCK = Integer.getInteger(MAX_HEADER_BLOCK_PROPERTY, 32 * 1024);

    public static final String MAX_HEADER_COUNT_PROPERTY = "warren.http.maxHeaderCount";
    public static final int DEFAULT_MAX_HEADER_COUNT = Integer.getInteger(MAX_HEADER_COUNT_PROPERTY, 100);

    public static final String MAX_CHUNK_EXTENSION_PROPERTY = "warren.http.maxChunkExtension";
    public static final int DEFAULT_MAX_CHUNK_EXTENSION = Integer.getInteger(MAX_CHUNK_EXTENSION_PROPERTY, 1024);

    public static final String MAX_TRAILER_BLOCK_PROPERTY = "warren.http.maxTrailerBlock";
    public static final int DEFAULT_MAX_TRAILER_BLOCK = Integer.getInteger(MAX_TRAILER_BLOCK_PROPERTY, 8 * 1024);

    public static final String MAX_CHUNK_SIZE_PROPERTY = "warren.http.maxChunkSize";
    public static final long DEFAULT_MAX_CHUNK_SIZE = Long.getLong(MAX_CHUNK_SIZE_PROPERTY, Long.MAX_VALUE);

    /** The shortest start line limit allowed: a request line of a short target, {@code GET /x HTTP/1.1}, must fit. */
    public static final int MIN_REQUEST_LINE = 16;
    /** The smallest header or trailer block limit allowed: the final empty line must fit. */
    public static final int MIN_BLOCK = 2;

    public static final HttpLimits DEFAULTS = new HttpLimits(
        DEFAULT_MAX_REQUEST_LINE, DEFAULT_MAX_HEADER_BLOCK, DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_CHUNK_EXTENSION,
        DEFAULT_MAX_TRAILER_BLOCK, DEFAULT_MAX_CHUNK_SIZE);

    /**
     * @throws IllegalArgumentException when a limit is out of range; the message names it.
     */
    public HttpLimits
    {
        if (maxRequestLine < MIN_REQUEST_LINE)
        {
            throw new IllegalArgumentException("maxRequestLine must be at least " + MIN_REQUEST_LINE + ": " +
                maxRequestLine);
        }
        if (maxHeaderBlock < MIN_BLOCK)
        {
            throw new IllegalArgumentException("maxHeaderBlock must be at least " + MIN_BLOCK + ": " + maxHeaderBlock);
        }
        if (maxHeaderCount < 0)
        {
            throw new IllegalArgumentException("maxHeaderCount must not be negative: " + maxHeaderCount);
        }
        if (maxChunkExtension < 0)
        {
            throw new IllegalArgumentException("maxChunkExtension must not be negative: " + maxChunkExtension);
        }
        if (maxTrailerBlock < MIN_BLOCK)
        {
            throw new IllegalArgumentException("maxTrailerBlock must be at least " + MIN_BLOCK + ": " +
                maxTrailerBlock);
        }
        if (maxChunkSize < 1)
        {
            throw new IllegalArgumentException("maxChunkSize must be at least 1: " + maxChunkSize);
        }
    }

    public HttpLimits withMaxRequestLine(final int maxRequestLine)
    {
        return new HttpLimits(maxRequestLine, maxHeaderBlock, maxHeaderCount, maxChunkExtension, maxTrailerBlock,
            maxChunkSize);
    }

    public HttpLimits withMaxHeaderBlock(final int maxHeaderBlock)
    {
        return new HttpLimits(maxRequestLine, maxHeaderBlock, maxHeaderCount, maxChunkExtension, maxTrailerBlock,
            maxChunkSize);
    }

    public HttpLimits withMaxHeaderCount(final int maxHeaderCount)
    {
        return new HttpLimits(maxRequestLine, maxHeaderBlock, maxHeaderCount, maxChunkExtension, maxTrailerBlock,
            maxChunkSize);
    }

    public HttpLimits withMaxChunkExtension(final int maxChunkExtension)
    {
        return new HttpLimits(maxRequestLine, maxHeaderBlock, maxHeaderCount, maxChunkExtension, maxTrailerBlock,
            maxChunkSize);
    }

    public HttpLimits withMaxTrailerBlock(final int maxTrailerBlock)
    {
        return new HttpLimits(maxRequestLine, maxHeaderBlock, maxHeaderCount, maxChunkExtension, maxTrailerBlock,
            maxChunkSize);
    }

    public HttpLimits withMaxChunkSize(final long maxChunkSize)
    {
        return new HttpLimits(maxRequestLine, maxHeaderBlock, maxHeaderCount, maxChunkExtension, maxTrailerBlock,
            maxChunkSize);
    }
}

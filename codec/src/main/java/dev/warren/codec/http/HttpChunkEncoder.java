package dev.warren.codec.http;

import org.agrona.MutableDirectBuffer;

import static dev.warren.codec.http.HttpGrammar.CR;
import static dev.warren.codec.http.HttpGrammar.LF;

/**
 * Writes the framing of a chunked body (RFC 9112 §7.1) around data the caller places itself: a chunk header
 * ({@code hex-size CRLF}) before the data, a CRLF after it, and the last chunk. A chunk header can be written
 * <em>in front of</em> data already in the buffer ({@link #chunkHeaderBefore}), as the relay writes a frame header in
 * front of bytes read from a socket, so the data is never moved. For a last chunk with trailer fields, use
 * {@link HttpHeadEncoder#lastChunk()}.
 * <p>
 * The caller makes sure the buffer has room. Stateless and thread-safe; allocates nothing.
 */
public final class HttpChunkEncoder
{
    /** The longest chunk header: 16 hex digits and CRLF. */
    public static final int MAX_CHUNK_HEADER_LENGTH = HttpChunkedDecoder.MAX_CHUNK_SIZE_DIGITS + 2;
    /** {@code CRLF} after chunk data. */
    public static final int CHUNK_END_LENGTH = 2;
    /** {@code 0 CRLF CRLF}: the last chunk with no trailers. */
    public static final int LAST_CHUNK_LENGTH = 5;

    private static final byte[] HEX_DIGITS = {
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private HttpChunkEncoder()
    {
    }

    /** Bytes of the chunk header for {@code size} bytes of data. */
    public static int chunkHeaderLength(final long size)
    {
        checkSize(size);
        return hexDigits(size) + 2;
    }

    /** Writes {@code hex(size) CRLF} at {@code offset}; returns the bytes written. {@code size} is positive. */
    public static int chunkHeader(final MutableDirectBuffer buffer, final int offset, final long size)
    {
        final int length = chunkHeaderLength(size);
        putHeader(buffer, offset + length, size);
        return length;
    }

    /**
     * Writes the chunk header so that it ends exactly at {@code dataOffset}, where {@code size} bytes of data already
     * are; returns the offset where the header starts. Reserve {@link #MAX_CHUNK_HEADER_LENGTH} bytes in front of
     * the data to be sure it fits.
     */
    public static int chunkHeaderBefore(final MutableDirectBuffer buffer, final int dataOffset, final long size)
    {
        final int length = chunkHeaderLength(size);
        putHeader(buffer, dataOffset, size);
        return dataOffset - length;
    }

    /** Writes the CRLF that follows chunk data; returns {@link #CHUNK_END_LENGTH}. */
    public static int chunkEnd(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, CR);
        buffer.putByte(offset + 1, LF);
        return CHUNK_END_LENGTH;
    }

    /** Writes {@code 0 CRLF CRLF}, the end of a chunked body without trailers; returns {@link #LAST_CHUNK_LENGTH}. */
    public static int lastChunk(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)'0');
        buffer.putByte(offset + 1, CR);
        buffer.putByte(offset + 2, LF);
        buffer.putByte(offset + 3, CR);
        buffer.putByte(offset + 4, LF);
        return LAST_CHUNK_LENGTH;
    }

    /** Writes {@code hex(size) CRLF} so that it ends at {@code end}. */
    private static void putHeader(final MutableDirectBuffer buffer, final int end, final long size)
    {
        buffer.putByte(end - 1, LF);
        buffer.putByte(end - 2, CR);
        int at = end - 3;
        long rest = size;
        do
        {
            buffer.putByte(at--, HEX_DIGITS[(int)(rest & 0xF)]);
            rest >>>= 4;
        }
        while (rest != 0);
    }

    private static int hexDigits(final long size)
    {
        return Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(size) + 3) >> 2);
    }

    private static void checkSize(final long size)
    {
        if (size <= 0)
        {
            throw new IllegalArgumentException("a chunk has at least one byte (the last chunk is lastChunk()): " + size);
        }
    }
}

package dev.warren.loadgen.drive;

import java.nio.ByteBuffer;

/**
 * {@code loadgen http}: the one request every connection sends, encoded once (head, then body). Immutable by
 * convention: {@link #bytes()} is read-only, and each connection sends a duplicate of it.
 *
 * @param method the request's method, e.g. {@code GET}: the report's pattern.
 * @param bytes  the request, from position 0 to its limit.
 */
public record HttpRequestBytes(String method, ByteBuffer bytes)
{
    public HttpRequestBytes
    {
        if (method == null || bytes == null || bytes.remaining() == 0)
        {
            throw new IllegalArgumentException("a method and the request's bytes are required");
        }
        bytes = bytes.asReadOnlyBuffer();
    }

    /** The request's length in bytes. */
    public int size()
    {
        return bytes.remaining();
    }
}

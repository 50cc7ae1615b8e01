package dev.warren.codec.http;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * The request methods of RFC 9110 §9 and RFC 5789, and {@link #OTHER} for any other valid token: an unknown method
 * is not an error of the codec (a front door may forward it), only of whoever cannot serve it. Methods are
 * case-sensitive: {@code get} is {@link #OTHER}.
 */
public enum HttpMethod
{
    GET,
    HEAD,
    POST,
    PUT,
    DELETE,
    CONNECT,
    OPTIONS,
    TRACE,
    PATCH,
    /** A valid token that is none of the above; read it with {@link HttpRequestHeadDecoder#methodAsString()}. */
    OTHER;

    private final byte[] bytes = name().getBytes(StandardCharsets.US_ASCII);

    /** The method as written on the wire; for {@link #OTHER}, the text {@code OTHER}, which is never sent. */
    byte[] bytes()
    {
        return bytes;
    }

    /**
     * The method spelled by {@code length} bytes at {@code offset}, without allocating.
     */
    public static HttpMethod lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        switch (length)
        {
            case 3:
                return matches(GET, buffer, offset) ? GET : matches(PUT, buffer, offset) ? PUT : OTHER;
            case 4:
                return matches(POST, buffer, offset) ? POST : matches(HEAD, buffer, offset) ? HEAD : OTHER;
            case 5:
                return matches(PATCH, buffer, offset) ? PATCH : matches(TRACE, buffer, offset) ? TRACE : OTHER;
            case 6:
                return matches(DELETE, buffer, offset) ? DELETE : OTHER;
            case 7:
                return matches(OPTIONS, buffer, offset) ? OPTIONS : matches(CONNECT, buffer, offset) ? CONNECT : OTHER;
            default:
                return OTHER;
        }
    }

    private static boolean matches(final HttpMethod method, final DirectBuffer buffer, final int offset)
    {
        final byte[] bytes = method.bytes;
        for (int i = 0; i < bytes.length; i++)
        {
            if (buffer.getByte(offset + i) != bytes[i])
            {
                return false;
            }
        }
        return true;
    }
}

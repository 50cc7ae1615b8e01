package dev.warren.codec.http;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A header field name, held as the bytes to write and their lower case for matching: decoders compare a received
 * name with it case-insensitively (RFC 9110 §5.1) without allocating. Make one per name, once, and keep it in a
 * constant. Immutable and thread-safe.
 */
public final class HttpHeaderName
{
    public static final HttpHeaderName HOST = new HttpHeaderName("Host");
    public static final HttpHeaderName CONTENT_LENGTH = new HttpHeaderName("Content-Length");
    public static final HttpHeaderName TRANSFER_ENCODING = new HttpHeaderName("Transfer-Encoding");
    public static final HttpHeaderName CONNECTION = new HttpHeaderName("Connection");
    public static final HttpHeaderName EXPECT = new HttpHeaderName("Expect");
    public static final HttpHeaderName UPGRADE = new HttpHeaderName("Upgrade");
    public static final HttpHeaderName TRAILER = new HttpHeaderName("Trailer");
    public static final HttpHeaderName TE = new HttpHeaderName("TE");
    public static final HttpHeaderName KEEP_ALIVE = new HttpHeaderName("Keep-Alive");
    public static final HttpHeaderName PROXY_CONNECTION = new HttpHeaderName("Proxy-Connection");
    public static final HttpHeaderName CONTENT_TYPE = new HttpHeaderName("Content-Type");
    public static final HttpHeaderName DATE = new HttpHeaderName("Date");
    public static final HttpHeaderName SERVER = new HttpHeaderName("Server");
    public static final HttpHeaderName USER_AGENT = new HttpHeaderName("User-Agent");
    public static final HttpHeaderName ACCEPT = new HttpHeaderName("Accept");
    public static final HttpHeaderName LOCATION = new HttpHeaderName("Location");
    public static final HttpHeaderName AUTHORIZATION = new HttpHeaderName("Authorization");
    public static final HttpHeaderName COOKIE = new HttpHeaderName("Cookie");

    private final String name;
    private final byte[] bytes;
    private final byte[] lowerCase;

    private HttpHeaderName(final String name)
    {
        if (name.isEmpty())
        {
            throw new IllegalArgumentException("a header name must not be empty");
        }
        this.name = name;
        this.bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        this.lowerCase = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            if (!HttpGrammar.isTchar(bytes[i]) || name.charAt(i) > 0x7F)
            {
                throw new IllegalArgumentException("not a token character in a header name: " + name);
            }
            lowerCase[i] = (byte)HttpGrammar.toLowerCase(bytes[i]);
        }
    }

    /**
     * @param name a token (RFC 9110 §5.6.2), written as given, matched case-insensitively.
     * @throws IllegalArgumentException when {@code name} is empty or holds a character that is not a token's.
     */
    public static HttpHeaderName of(final String name)
    {
        return new HttpHeaderName(name);
    }

    public int length()
    {
        return bytes.length;
    }

    /** Whether the {@code length} bytes at {@code offset} spell this name, in any case. */
    public boolean matches(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length != lowerCase.length)
        {
            return false;
        }
        final byte[] lowerCase = this.lowerCase;
        for (int i = 0; i < length; i++)
        {
            if (HttpGrammar.toLowerCase(buffer.getByte(offset + i)) != lowerCase[i])
            {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} spells this name, in any case. */
    public boolean matches(final CharSequence name)
    {
        if (name.length() != lowerCase.length)
        {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++)
        {
            final char c = name.charAt(i);
            if (c > 0x7F || HttpGrammar.toLowerCase(c) != lowerCase[i])
            {
                return false;
            }
        }
        return true;
    }

    byte[] bytes()
    {
        return bytes;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof HttpHeaderName && Arrays.equals(lowerCase, ((HttpHeaderName)other).lowerCase);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(lowerCase);
    }

    /** The name as it is written. */
    @Override
    public String toString()
    {
        return name;
    }
}

package dev.warren.codec.http;

import java.nio.charset.StandardCharsets;

/**
 * The two HTTP versions a decoder accepts; any other is a 505 error.
 */
public enum HttpVersion
{
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    /** Bytes of {@code "HTTP/x.y"}. */
    public static final int LENGTH = 8;

    private final String text;
    private final byte[] bytes;

    HttpVersion(final String text)
    {
        this.text = text;
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The version as written on the wire, {@code HTTP/1.1}. */
    public String text()
    {
        return text;
    }

    byte[] bytes()
    {
        return bytes;
    }
}

package dev.warren.codec.http;

/**
 * How the body after a head is delimited (RFC 9112 §6.3), as decided by a head decoder once the head is complete.
 */
public enum BodyFraming
{
    /** No body: a request without framing fields, or a response to HEAD, a 1xx, 204 or 304, or a 2xx to CONNECT. */
    NONE,
    /** Exactly {@code contentLength()} bytes (zero included). */
    CONTENT_LENGTH,
    /** The chunked transfer coding, ended by a last chunk and a trailer section. */
    CHUNKED,
    /** Responses only: every byte until the server closes the connection; the connection cannot be reused. */
    UNTIL_CLOSE
}

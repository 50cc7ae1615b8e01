package dev.warren.api;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * One {@code fetch()} (SPEC §3). Immutable; build with {@link #builder(String)}.
 *
 * @param url      an absolute {@code http} URL.
 * @param method   the method, any but {@code CONNECT}; {@code GET} by default.
 * @param headers  request header fields (the engine sets {@code Host}, {@code Content-Length} and
 *                 {@code Connection} itself).
 * @param body     the body as bytes, or null for none; {@code GET} and {@code HEAD} take none.
 * @param redirect what to do with a redirect; {@link RedirectMode#FOLLOW} by default.
 * @param timeout  how long each request (each redirect hop) may take until its response head; null for no limit.
 *                 Past it the stream is reset and the fetch fails with {@code connection_timeout}.
 * @param bodyPublisher the body as a stream, or null; at most one of {@code body} and {@code bodyPublisher}. It is
 *                 subscribed once, when the request is sent, and asked for one buffer at a time, only after the
 *                 tunnel took the previous one within the stream's credit: a slow private host slows the
 *                 publisher, and memory stays within the stream's window whatever the body's size. A buffer is not
 *                 read again once the next one is requested. A stream cannot be sent twice, so a {@code 307}/{@code
 *                 308} redirect (or a {@code 301}/{@code 302} that keeps the method) fails the fetch with
 *                 {@code request_invalid} under {@link RedirectMode#FOLLOW}, as the Fetch standard says.
 * @param bodyLength the streamed body's length in bytes, sent as {@code Content-Length}; {@code -1} when unknown
 *                 (the body goes {@code Transfer-Encoding: chunked}). A publisher that delivers more or fewer bytes
 *                 than a known length fails the fetch with {@code request_invalid} and resets the stream: the
 *                 private host never gets a truncated or overlong request. {@code -1} without a publisher.
 */
public record FetchRequest(
    URI url, String method, HttpHeaders headers, byte[] body, RedirectMode redirect, java.time.Duration timeout,
    Flow.Publisher<ByteBuffer> bodyPublisher, long bodyLength)
{
    /**
     * Checks the shape; semantic checks (absolute URL, method and body) happen in {@code fetch()} and fail with
     * {@code request_invalid}.
     *
     * @param url      an absolute {@code http} URL.
     * @param method   the method.
     * @param headers  request header fields.
     * @param body     the body, or null.
     * @param redirect what to do with a redirect.
     * @param timeout  the limit until each response head, or null.
     * @param bodyPublisher the body as a stream, or null.
     * @param bodyLength the streamed body's length, or -1 when unknown or without a publisher.
     */
    public FetchRequest
    {
        if (body != null && bodyPublisher != null)
        {
            throw new IllegalArgumentException("a request has one body: bytes or a publisher, not both");
        }
        if (bodyLength < -1 || (bodyPublisher == null && bodyLength != -1))
        {
            throw new IllegalArgumentException("bodyLength must be -1 (unknown) or >= 0 with a publisher: " +
                bodyLength);
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative()))
        {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(redirect, "redirect");
    }

    /**
     * A request whose body, if any, is bytes.
     *
     * @param url      an absolute {@code http} URL.
     * @param method   the method.
     * @param headers  request header fields.
     * @param body     the body, or null.
     * @param redirect what to do with a redirect.
     * @param timeout  the limit until each response head, or null.
     */
    public FetchRequest(
        final URI url, final String method, final HttpHeaders headers, final byte[] body, final RedirectMode redirect,
        final java.time.Duration timeout)
    {
        this(url, method, headers, body, redirect, timeout, null, -1);
    }

    /** @return whether the request has a body, as bytes or as a stream. */
    public boolean hasBody()
    {
        return body != null || bodyPublisher != null;
    }

    /**
     * @param url the URL, e.g. {@code http://internal-api/users}.
     * @return a builder for a GET of {@code url}.
     * @throws IllegalArgumentException when {@code url} is not a URI at all.
     */
    public static Builder builder(final String url)
    {
        return new Builder(URI.create(url));
    }

    /**
     * @param url the URL.
     * @return a builder for a GET of {@code url}.
     */
    public static Builder builder(final URI url)
    {
        return new Builder(url);
    }

    /** Builds a {@link FetchRequest}. Not thread-safe. */
    public static final class Builder
    {
        private final URI url;
        private String method = "GET";
        private HttpHeaders headers = HttpHeaders.EMPTY;
        private byte[] body;
        private Flow.Publisher<ByteBuffer> bodyPublisher;
        private long bodyLength = -1;
        private RedirectMode redirect = RedirectMode.FOLLOW;
        private java.time.Duration timeout;

        private Builder(final URI url)
        {
            this.url = url;
        }

        /**
         * @param method the method, e.g. {@code POST}.
         * @return this builder.
         */
        public Builder method(final String method)
        {
            this.method = method;
            return this;
        }

        /**
         * @param headers the request header fields.
         * @return this builder.
         */
        public Builder headers(final HttpHeaders headers)
        {
            this.headers = headers;
            return this;
        }

        /**
         * @param body the body bytes (not copied: do not change them afterwards).
         * @return this builder.
         */
        public Builder body(final byte[] body)
        {
            this.body = body;
            this.bodyPublisher = null;
            this.bodyLength = -1;
            return this;
        }

        /**
         * A body of unknown length, streamed with backpressure and sent {@code Transfer-Encoding: chunked}.
         *
         * @param body the publisher of the body's bytes, subscribed once when the request is sent.
         * @return this builder.
         * @see FetchRequest#bodyPublisher()
         */
        public Builder body(final Flow.Publisher<ByteBuffer> body)
        {
            return body(body, -1);
        }

        /**
         * A body streamed with backpressure.
         *
         * @param body   the publisher of the body's bytes, subscribed once when the request is sent.
         * @param length exactly how many bytes it will publish (sent as {@code Content-Length}), or -1 when unknown
         *               ({@code Transfer-Encoding: chunked}).
         * @return this builder.
         * @see FetchRequest#bodyLength()
         */
        public Builder body(final Flow.Publisher<ByteBuffer> body, final long length)
        {
            this.bodyPublisher = Objects.requireNonNull(body, "body");
            this.bodyLength = length;
            this.body = null;
            return this;
        }

        /**
         * @param body the body, sent as UTF-8.
         * @return this builder.
         */
        public Builder body(final String body)
        {
            return body(body.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * @param redirect what to do with redirects.
         * @return this builder.
         */
        public Builder redirect(final RedirectMode redirect)
        {
            this.redirect = redirect;
            return this;
        }

        /**
         * @param timeout how long each request may take until its response head.
         * @return this builder.
         */
        public Builder timeout(final java.time.Duration timeout)
        {
            this.timeout = timeout;
            return this;
        }

        /** @return the request. */
        public FetchRequest build()
        {
            return new FetchRequest(url, method, headers, body, redirect, timeout, bodyPublisher, bodyLength);
        }
    }
}

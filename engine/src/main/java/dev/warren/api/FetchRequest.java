package dev.warren.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One {@code fetch()} (SPEC §3). Immutable; build with {@link #builder(String)}.
 *
 * @param url      an absolute {@code http} URL.
 * @param method   the method, any but {@code CONNECT}; {@code GET} by default.
 * @param headers  request header fields (the engine sets {@code Host}, {@code Content-Length} and
 *                 {@code Connection} itself).
 * @param body     the body, or null for none; {@code GET} and {@code HEAD} take none.
 * @param redirect what to do with a redirect; {@link RedirectMode#FOLLOW} by default.
 * @param timeout  how long each request (each redirect hop) may take until its response head; null for no limit.
 *                 Past it the stream is reset and the fetch fails with {@code connection_timeout}.
 */
public record FetchRequest(
    URI url, String method, HttpHeaders headers, byte[] body, RedirectMode redirect, java.time.Duration timeout)
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
     */
    public FetchRequest
    {
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
            return this;
        }

        /**
         * @param body the body, sent as UTF-8.
         * @return this builder.
         */
        public Builder body(final String body)
        {
            this.body = body.getBytes(StandardCharsets.UTF_8);
            return this;
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
            return new FetchRequest(url, method, headers, body, redirect, timeout);
        }
    }
}

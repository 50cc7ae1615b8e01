package dev.warren.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of one {@code connect()} call. Immutable; build with {@link #builder()}.
 *
 * @param secureTransport TLS to the private host; default {@link SecureTransport#OFF}.
 * @param allowHalfOpen   when false (the default), the private host finishing its side also closes ours.
 * @param connectTimeout  how long the connector may take to reach the private host; null means the connector's
 *                        own default.
 */
public record ConnectOptions(SecureTransport secureTransport, boolean allowHalfOpen, Duration connectTimeout)
{
    /** The defaults: plain TCP, no half-open, the connector's own connect timeout. */
    public static final ConnectOptions DEFAULTS = new ConnectOptions(SecureTransport.OFF, false, null);

    /**
     * Checks and creates the options.
     *
     * @param secureTransport TLS to the private host; not null.
     * @param allowHalfOpen   whether our side stays open after the private host finished its side.
     * @param connectTimeout  how long the connector may take to reach the private host; null for its default.
     * @throws NullPointerException     when {@code secureTransport} is null.
     * @throws IllegalArgumentException when {@code connectTimeout} is zero or negative.
     */
    public ConnectOptions
    {
        Objects.requireNonNull(secureTransport, "secureTransport");
        if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero()))
        {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
    }

    /**
     * Starts building options from the defaults ({@link #DEFAULTS}).
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /** Builds {@link ConnectOptions}. Not thread-safe. */
    public static final class Builder
    {
        private SecureTransport secureTransport = SecureTransport.OFF;
        private boolean allowHalfOpen;
        private Duration connectTimeout;

        /**
         * Sets TLS to the private host. Only {@link SecureTransport#OFF} is supported so far.
         *
         * @param secureTransport the transport; default {@link SecureTransport#OFF}.
         * @return this builder.
         */
        public Builder secureTransport(final SecureTransport secureTransport)
        {
            this.secureTransport = secureTransport;
            return this;
        }

        /**
         * Sets whether our side stays open after the private host finished its side.
         *
         * @param allowHalfOpen true to keep it open; default false.
         * @return this builder.
         */
        public Builder allowHalfOpen(final boolean allowHalfOpen)
        {
            this.allowHalfOpen = allowHalfOpen;
            return this;
        }

        /**
         * Sets how long the connector may take to reach the private host.
         *
         * @param connectTimeout a positive duration, or null for the connector's default.
         * @return this builder.
         */
        public Builder connectTimeout(final Duration connectTimeout)
        {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options.
         * @throws NullPointerException     when the secure transport was set to null.
         * @throws IllegalArgumentException when the connect timeout is zero or negative.
         */
        public ConnectOptions build()
        {
            return new ConnectOptions(secureTransport, allowHalfOpen, connectTimeout);
        }
    }
}

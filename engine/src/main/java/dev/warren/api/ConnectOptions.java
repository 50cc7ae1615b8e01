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
    public static final ConnectOptions DEFAULTS = new ConnectOptions(SecureTransport.OFF, false, null);

    public ConnectOptions
    {
        Objects.requireNonNull(secureTransport, "secureTransport");
        if (connectTimeout != null && (connectTimeout.isNegative() || connectTimeout.isZero()))
        {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
    }

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

        public Builder secureTransport(final SecureTransport secureTransport)
        {
            this.secureTransport = secureTransport;
            return this;
        }

        public Builder allowHalfOpen(final boolean allowHalfOpen)
        {
            this.allowHalfOpen = allowHalfOpen;
            return this;
        }

        public Builder connectTimeout(final Duration connectTimeout)
        {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public ConnectOptions build()
        {
            return new ConnectOptions(secureTransport, allowHalfOpen, connectTimeout);
        }
    }
}

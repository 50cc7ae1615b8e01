package dev.warren.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a connector needs (SPEC §6). Immutable; build with {@link #builder()}.
 *
 * @param edge           the edge's tunnel address; the connector dials out to it.
 * @param tunnel         the tunnel id.
 * @param token          the tunnel's token; never sent on the wire, never logged.
 * @param haConnections  tunnel connections kept up (default 4).
 * @param allow          destinations it may dial: CIDR ranges, host names, each with an optional {@code :port}.
 *                       Empty allows nothing.
 * @param connectTimeout how long dialing a private host may take (default 30 s); a call may ask for less.
 * @param eventLoops     event-loop threads; 0 means one per core.
 * @param reconnectBase  first reconnect back-off (default 100 ms), doubling up to {@code reconnectMax} (default
 *                       30 s), each delay drawn uniformly below it (full jitter).
 * @param reconnectMax   the back-off cap.
 */
public record ConnectorConfig(
    InetSocketAddress edge, String tunnel, String token, int haConnections, List<String> allow,
    Duration connectTimeout, int eventLoops, Duration reconnectBase, Duration reconnectMax)
{
    public static final int DEFAULT_HA_CONNECTIONS = 4;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public ConnectorConfig
    {
        Objects.requireNonNull(edge, "edge");
        Objects.requireNonNull(tunnel, "tunnel");
        Objects.requireNonNull(token, "token");
        allow = List.copyOf(allow);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(reconnectBase, "reconnectBase");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        if (tunnel.isEmpty() || tunnel.length() > 255)
        {
            throw new IllegalArgumentException("tunnel id must be 1..255 characters: '" + tunnel + "'");
        }
        if (token.length() < 16)
        {
            throw new IllegalArgumentException("token must be at least 16 characters");
        }
        if (haConnections < 1 || haConnections > 64)
        {
            throw new IllegalArgumentException("haConnections must be 1..64: " + haConnections);
        }
        if (eventLoops < 0)
        {
            throw new IllegalArgumentException("eventLoops must be >= 0: " + eventLoops);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero())
        {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
    }

    @Override
    public String toString()
    {
        return "ConnectorConfig[edge=" + edge + ", tunnel=" + tunnel + ", token=<redacted>, haConnections=" +
            haConnections + ", allow=" + allow + ", connectTimeout=" + connectTimeout + "]";
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Builds a {@link ConnectorConfig}. Not thread-safe. */
    public static final class Builder
    {
        private InetSocketAddress edge = new InetSocketAddress("127.0.0.1", 7844);
        private String tunnel;
        private String token;
        private int haConnections = DEFAULT_HA_CONNECTIONS;
        private final List<String> allow = new ArrayList<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int eventLoops;
        private Duration reconnectBase = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(30);

        public Builder edge(final InetSocketAddress edge)
        {
            this.edge = edge;
            return this;
        }

        public Builder tunnel(final String tunnel, final String token)
        {
            this.tunnel = tunnel;
            this.token = token;
            return this;
        }

        public Builder haConnections(final int haConnections)
        {
            this.haConnections = haConnections;
            return this;
        }

        public Builder allow(final String... entries)
        {
            allow.addAll(List.of(entries));
            return this;
        }

        public Builder connectTimeout(final Duration connectTimeout)
        {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder eventLoops(final int eventLoops)
        {
            this.eventLoops = eventLoops;
            return this;
        }

        public Builder reconnect(final Duration base, final Duration max)
        {
            this.reconnectBase = base;
            this.reconnectMax = max;
            return this;
        }

        public ConnectorConfig build()
        {
            return new ConnectorConfig(
                edge, tunnel, token, haConnections, allow, connectTimeout, eventLoops, reconnectBase, reconnectMax);
        }
    }
}

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
 * @param metricsListen  where {@code /metrics}, {@code /healthz} and {@code /readyz} are served; null for none.
 * @param keepAliveConnections idle keep-alive connections kept per private HTTP destination and event loop
 *                       (default 100, as cloudflared's {@code keepAliveConnections}); 0 keeps none.
 * @param keepAliveTimeout how long an idle keep-alive connection is kept (default 90 s).
 * @param originCaFile   a PEM bundle of CA certificates trusted for {@code https} to private hosts, in addition to
 *                       the JDK's default trust store (for private CAs); null for none.
 * @param tls            how the edge is verified on a TLS tunnel; null for a plaintext tunnel, which needs
 *                       {@code insecure}.
 * @param insecure       dial a plaintext edge ({@code tls} null): the tunnel's traffic, though not its token, is then
 *                       readable and alterable on the network. For development on one machine; logged as a warning.
 */
public record ConnectorConfig(
    InetSocketAddress edge, String tunnel, String token, int haConnections, List<String> allow,
    Duration connectTimeout, int eventLoops, Duration reconnectBase, Duration reconnectMax,
    InetSocketAddress metricsListen, int keepAliveConnections, Duration keepAliveTimeout,
    java.nio.file.Path originCaFile, ConnectorTlsConfig tls, boolean insecure)
{
    /** Tunnel connections kept up unless configured otherwise. */
    public static final int DEFAULT_HA_CONNECTIONS = 4;
    /** How long dialing a private host may take unless configured otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Idle keep-alive connections per private HTTP destination unless configured otherwise. */
    public static final int DEFAULT_KEEP_ALIVE_CONNECTIONS = 100;
    /** How long an idle keep-alive connection is kept unless configured otherwise. */
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Checks and creates the configuration. The allow-list is copied.
     *
     * @param edge           the edge's tunnel address; not null.
     * @param tunnel         the tunnel id, 1..255 characters.
     * @param token          the tunnel's token, at least 16 characters.
     * @param haConnections  tunnel connections kept up, 1..64.
     * @param allow          destinations it may dial.
     * @param connectTimeout how long dialing a private host may take; positive.
     * @param eventLoops     event-loop threads; 0 means one per core.
     * @param reconnectBase  the first reconnect back-off.
     * @param reconnectMax   the back-off cap.
     * @param metricsListen  where metrics and health are served; null for none.
     * @param keepAliveConnections idle keep-alive connections per private HTTP destination and loop, 0..10000.
     * @param keepAliveTimeout how long an idle keep-alive connection is kept; positive.
     * @param originCaFile   a PEM bundle of extra CA certificates for {@code https} to private hosts, or null; it is
     *                       read when the connector starts.
     * @param tls            how the edge is verified; null for a plaintext tunnel.
     * @param insecure       true to accept a plaintext tunnel; only allowed without {@code tls}.
     * @throws NullPointerException     when a required value is null.
     * @throws IllegalArgumentException when a value is out of range; the message says which.
     */
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
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        if (keepAliveConnections < 0 || keepAliveConnections > 10_000)
        {
            throw new IllegalArgumentException("keepAliveConnections must be 0..10000: " + keepAliveConnections);
        }
        if (keepAliveTimeout.isNegative() || keepAliveTimeout.isZero())
        {
            throw new IllegalArgumentException("keepAliveTimeout must be positive: " + keepAliveTimeout);
        }
        if (tls == null && !insecure)
        {
            throw new IllegalArgumentException("the connector must verify the edge: give tls (caFile or pin), or " +
                "set insecure to dial a plaintext edge (development only: the tunnel is then unencrypted)");
        }
        if (tls != null && insecure)
        {
            throw new IllegalArgumentException("insecure cannot go with tls: a TLS edge is always verified; remove " +
                "insecure");
        }
    }

    @Override
    public String toString()
    {
        return "ConnectorConfig[edge=" + edge + ", tunnel=" + tunnel + ", token=<redacted>, haConnections=" +
            haConnections + ", allow=" + allow + ", connectTimeout=" + connectTimeout +
            (metricsListen == null ? "" : ", metricsListen=" + metricsListen) +
            (originCaFile == null ? "" : ", originCaFile=" + originCaFile) +
            (tls == null ? "" : ", tls=" + tls) + (insecure ? ", insecure" : "") + "]";
    }

    /**
     * Starts building a configuration: edge {@code 127.0.0.1:7844}, {@value #DEFAULT_HA_CONNECTIONS} connections,
     * an empty allow-list, 30 s connect timeout, reconnect back-off 100 ms to 30 s, one event loop per core; no
     * TLS and not insecure, so {@code tls} or {@code insecure} must be set.
     *
     * @return a new builder.
     */
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
        private InetSocketAddress metricsListen;
        private int keepAliveConnections = DEFAULT_KEEP_ALIVE_CONNECTIONS;
        private Duration keepAliveTimeout = DEFAULT_KEEP_ALIVE_TIMEOUT;
        private java.nio.file.Path originCaFile;
        private ConnectorTlsConfig tls;
        private boolean insecure;

        /**
         * Sets the edge's tunnel address.
         *
         * @param edge where the edge accepts connectors.
         * @return this builder.
         */
        public Builder edge(final InetSocketAddress edge)
        {
            this.edge = edge;
            return this;
        }

        /**
         * Sets the tunnel and its token.
         *
         * @param tunnel the tunnel id.
         * @param token  the tunnel's token.
         * @return this builder.
         */
        public Builder tunnel(final String tunnel, final String token)
        {
            this.tunnel = tunnel;
            this.token = token;
            return this;
        }

        /**
         * Sets how many tunnel connections are kept up.
         *
         * @param haConnections 1..64; default {@value #DEFAULT_HA_CONNECTIONS}.
         * @return this builder.
         */
        public Builder haConnections(final int haConnections)
        {
            this.haConnections = haConnections;
            return this;
        }

        /**
         * Adds allow-list entries; the list starts empty, which allows nothing.
         *
         * @param entries CIDR ranges or host names, each with an optional {@code :port}.
         * @return this builder.
         */
        public Builder allow(final String... entries)
        {
            allow.addAll(List.of(entries));
            return this;
        }

        /**
         * Sets how long dialing a private host may take.
         *
         * @param connectTimeout a positive duration; default 30 s.
         * @return this builder.
         */
        public Builder connectTimeout(final Duration connectTimeout)
        {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Sets the number of event-loop threads.
         *
         * @param eventLoops the count; 0 means one per core.
         * @return this builder.
         */
        public Builder eventLoops(final int eventLoops)
        {
            this.eventLoops = eventLoops;
            return this;
        }

        /**
         * Sets the reconnect back-off: it starts at {@code base}, doubles up to {@code max}, with full jitter.
         *
         * @param base the first back-off; default 100 ms.
         * @param max  the cap; default 30 s.
         * @return this builder.
         */
        public Builder reconnect(final Duration base, final Duration max)
        {
            this.reconnectBase = base;
            this.reconnectMax = max;
            return this;
        }

        /**
         * Sets where {@code /metrics}, {@code /healthz} and {@code /readyz} are served.
         *
         * @param metricsListen the address (port 0 picks a free one), or null for none (the default).
         * @return this builder.
         */
        public Builder metricsListen(final InetSocketAddress metricsListen)
        {
            this.metricsListen = metricsListen;
            return this;
        }

        /**
         * Sets the keep-alive pool for private HTTP hosts.
         *
         * @param connections idle connections kept per destination and event loop, 0..10000 (default 100).
         * @param timeout     how long an idle one is kept; positive (default 90 s).
         * @return this builder.
         */
        public Builder keepAlive(final int connections, final Duration timeout)
        {
            this.keepAliveConnections = connections;
            this.keepAliveTimeout = timeout;
            return this;
        }

        /**
         * Sets a PEM bundle of CA certificates that {@code https} to private hosts trusts in addition to the JDK's
         * default trust store: the way to reach hosts whose certificates a private CA issued.
         *
         * @param originCaFile the PEM file (one or more {@code CERTIFICATE} blocks), or null for none (the default).
         * @return this builder.
         */
        public Builder originCaFile(final java.nio.file.Path originCaFile)
        {
            this.originCaFile = originCaFile;
            return this;
        }

        /**
         * Dials the edge over TLS, verified as {@code tls} says.
         *
         * @param tls a CA bundle and/or a pin; null for a plaintext tunnel (which needs {@link #insecure}).
         * @return this builder.
         */
        public Builder tls(final ConnectorTlsConfig tls)
        {
            this.tls = tls;
            return this;
        }

        /**
         * Accepts a plaintext edge (no {@link #tls}): for development on one machine only; the connector logs a
         * warning when it starts. Without it (the default) a configuration without {@code tls} is refused.
         *
         * @param insecure true to dial a plaintext edge.
         * @return this builder.
         */
        public Builder insecure(final boolean insecure)
        {
            this.insecure = insecure;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration.
         * @throws NullPointerException     when the tunnel or token was not set.
         * @throws IllegalArgumentException when a value is out of range; the message says which.
         */
        public ConnectorConfig build()
        {
            return new ConnectorConfig(edge, tunnel, token, haConnections, allow, connectTimeout, eventLoops,
                reconnectBase, reconnectMax, metricsListen, keepAliveConnections, keepAliveTimeout, originCaFile, tls,
                insecure);
        }
    }
}

package dev.warren.api;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything an edge needs, as plain values (the YAML file of SPEC §6 maps onto this). Immutable; build with
 * {@link #builder()}.
 *
 * @param tunnelListen where connectors dial in; port 0 picks a free port ({@link Edge#tunnelAddress()} tells it).
 * @param tunnels      the tunnels accepted.
 * @param networks     the VPC Network bindings.
 * @param eventLoops   event-loop threads; 0 means one per core.
 */
public record EdgeConfig(
    InetSocketAddress tunnelListen, List<TunnelConfig> tunnels, List<NetworkConfig> networks, int eventLoops)
{
    public EdgeConfig
    {
        Objects.requireNonNull(tunnelListen, "tunnelListen");
        tunnels = List.copyOf(tunnels);
        networks = List.copyOf(networks);
        if (eventLoops < 0)
        {
            throw new IllegalArgumentException("eventLoops must be >= 0: " + eventLoops);
        }
        final Set<String> tunnelIds = new HashSet<>();
        for (final TunnelConfig tunnel : tunnels)
        {
            if (!tunnelIds.add(tunnel.id()))
            {
                throw new IllegalArgumentException("duplicate tunnel id '" + tunnel.id() + "'");
            }
        }
        final Set<String> names = new HashSet<>();
        for (final NetworkConfig network : networks)
        {
            if (!names.add(network.name()))
            {
                throw new IllegalArgumentException("duplicate binding name '" + network.name() + "'");
            }
            if (!tunnelIds.contains(network.tunnel()))
            {
                throw new IllegalArgumentException(
                    "network '" + network.name() + "' names unknown tunnel '" + network.tunnel() + "'");
            }
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Builds an {@link EdgeConfig}. Not thread-safe. */
    public static final class Builder
    {
        private InetSocketAddress tunnelListen = new InetSocketAddress("127.0.0.1", 7844);
        private final List<TunnelConfig> tunnels = new ArrayList<>();
        private final List<NetworkConfig> networks = new ArrayList<>();
        private int eventLoops;

        public Builder tunnelListen(final InetSocketAddress tunnelListen)
        {
            this.tunnelListen = tunnelListen;
            return this;
        }

        public Builder tunnel(final String id, final String token)
        {
            tunnels.add(new TunnelConfig(id, token));
            return this;
        }

        public Builder network(final String name, final String tunnel)
        {
            networks.add(new NetworkConfig(name, tunnel));
            return this;
        }

        public Builder eventLoops(final int eventLoops)
        {
            this.eventLoops = eventLoops;
            return this;
        }

        public EdgeConfig build()
        {
            return new EdgeConfig(tunnelListen, tunnels, networks, eventLoops);
        }
    }
}

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
 * @param tls          the tunnel's certificate; null for a plaintext tunnel.
 * @param tunnels      the tunnels accepted.
 * @param services     the VPC Service bindings.
 * @param networks     the VPC Network bindings.
 * @param listeners    front doors for callers that are not Java.
 * @param eventLoops   event-loop threads; 0 means one per core.
 * @param metricsListen where {@code /metrics}, {@code /healthz} and {@code /readyz} are served; null for none.
 */
public record EdgeConfig(
    InetSocketAddress tunnelListen, TlsConfig tls, List<TunnelConfig> tunnels, List<ServiceConfig> services,
    List<NetworkConfig> networks, List<ListenerConfig> listeners, int eventLoops, InetSocketAddress metricsListen)
{
    /**
     * A configuration without a metrics listener.
     *
     * @param tunnelListen where connectors dial in.
     * @param tls          the tunnel's certificate; null for a plaintext tunnel.
     * @param tunnels      the tunnels accepted.
     * @param services     the VPC Service bindings.
     * @param networks     the VPC Network bindings.
     * @param listeners    front doors for callers that are not Java.
     * @param eventLoops   event-loop threads; 0 means one per core.
     * @throws IllegalArgumentException when the values are inconsistent; the message says which.
     */
    public EdgeConfig(
        final InetSocketAddress tunnelListen, final TlsConfig tls, final List<TunnelConfig> tunnels,
        final List<ServiceConfig> services, final List<NetworkConfig> networks, final List<ListenerConfig> listeners,
        final int eventLoops)
    {
        this(tunnelListen, tls, tunnels, services, networks, listeners, eventLoops, null);
    }

    /**
     * Checks and creates the configuration: tunnel ids and binding names are unique, every binding names a known
     * tunnel, every listener names a binding that can serve it. The lists are copied.
     *
     * @param tunnelListen  where connectors dial in; not null.
     * @param tls           the tunnel's certificate; null for a plaintext tunnel.
     * @param tunnels       the tunnels accepted.
     * @param services      the VPC Service bindings.
     * @param networks      the VPC Network bindings.
     * @param listeners     front doors for callers that are not Java.
     * @param eventLoops    event-loop threads; 0 means one per core.
     * @param metricsListen where metrics and health are served; null for none.
     * @throws NullPointerException     when {@code tunnelListen} or a list is null.
     * @throws IllegalArgumentException when the values are inconsistent; the message says which.
     */
    public EdgeConfig
    {
        Objects.requireNonNull(tunnelListen, "tunnelListen");
        tunnels = List.copyOf(tunnels);
        services = List.copyOf(services);
        networks = List.copyOf(networks);
        listeners = List.copyOf(listeners);
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
        for (final ServiceConfig service : services)
        {
            if (!names.add(service.name()))
            {
                throw new IllegalArgumentException("duplicate binding name '" + service.name() + "'");
            }
            if (!tunnelIds.contains(service.tunnel()))
            {
                throw new IllegalArgumentException(
                    "service '" + service.name() + "' names unknown tunnel '" + service.tunnel() + "'");
            }
        }
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
        checkListeners(listeners, services, networks);
    }

    /** Checks that every listener names a binding that can serve it. */
    private static void checkListeners(
        final List<ListenerConfig> listeners, final List<ServiceConfig> services, final List<NetworkConfig> networks)
    {
        final Set<InetSocketAddress> addresses = new HashSet<>();
        for (final ListenerConfig listener : listeners)
        {
            if (listener.listen().getPort() != 0 && !addresses.add(listener.listen()))
            {
                throw new IllegalArgumentException("two listeners on " + listener.listen());
            }
            final String binding = listener.connect() != null ? listener.connect() : listener.fetch();
            final ServiceConfig service = services.stream().filter(s -> s.name().equals(binding)).findFirst()
                .orElse(null);
            final boolean network = networks.stream().anyMatch(n -> n.name().equals(binding));
            if (service == null && !network)
            {
                throw new IllegalArgumentException("listener " + listener.listen() + " names unknown binding '" +
                    binding + "'");
            }
            if (listener.connect() != null)
            {
                if (service != null && service.type() != ServiceType.TCP)
                {
                    throw new IllegalArgumentException("listener " + listener.listen() + ": connect needs a network " +
                        "or a tcp service; '" + binding + "' is an http service (use fetch)");
                }
                if (network && listener.target() == null)
                {
                    throw new IllegalArgumentException("listener " + listener.listen() + ": connect to network '" +
                        binding + "' needs a target host:port");
                }
                if (service != null && listener.target() != null)
                {
                    throw new IllegalArgumentException("listener " + listener.listen() + ": service '" + binding +
                        "' has a fixed target; remove target");
                }
            }
            else if (service != null && service.type() != ServiceType.HTTP)
            {
                throw new IllegalArgumentException("listener " + listener.listen() + ": fetch needs a network or an " +
                    "http service; '" + binding + "' is a tcp service (use connect)");
            }
        }
    }

    /**
     * Starts building a configuration: tunnel listener {@code 127.0.0.1:7844}, no tunnels, no bindings, one event
     * loop per core.
     *
     * @return a new builder.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /** Builds an {@link EdgeConfig}. Not thread-safe. */
    public static final class Builder
    {
        private InetSocketAddress tunnelListen = new InetSocketAddress("127.0.0.1", 7844);
        private TlsConfig tls;
        private final List<TunnelConfig> tunnels = new ArrayList<>();
        private final List<ServiceConfig> services = new ArrayList<>();
        private final List<NetworkConfig> networks = new ArrayList<>();
        private final List<ListenerConfig> listeners = new ArrayList<>();
        private int eventLoops;
        private InetSocketAddress metricsListen;

        /**
         * Sets where connectors dial in.
         *
         * @param tunnelListen the address; port 0 picks a free port.
         * @return this builder.
         */
        public Builder tunnelListen(final InetSocketAddress tunnelListen)
        {
            this.tunnelListen = tunnelListen;
            return this;
        }

        /**
         * Adds a tunnel.
         *
         * @param id    the tunnel id, 1..255 characters.
         * @param token its shared secret, at least 16 characters.
         * @return this builder.
         * @throws IllegalArgumentException when the id or token is invalid.
         */
        public Builder tunnel(final String id, final String token)
        {
            tunnels.add(new TunnelConfig(id, token));
            return this;
        }

        /**
         * Sets the tunnel's certificate (not yet supported: the edge refuses to start with it).
         *
         * @param tls the certificate, or null for plaintext.
         * @return this builder.
         */
        public Builder tls(final TlsConfig tls)
        {
            this.tls = tls;
            return this;
        }

        /**
         * Adds a VPC Network binding.
         *
         * @param name   the binding's name.
         * @param tunnel the tunnel id it routes through.
         * @return this builder.
         */
        public Builder network(final String name, final String tunnel)
        {
            networks.add(new NetworkConfig(name, tunnel));
            return this;
        }

        /**
         * Adds a VPC Service binding.
         *
         * @param service the binding, e.g. {@link ServiceConfig#tcp(String, String, String, int)}.
         * @return this builder.
         */
        public Builder service(final ServiceConfig service)
        {
            services.add(service);
            return this;
        }

        /**
         * Adds a front-door listener.
         *
         * @param listener the listener.
         * @return this builder.
         */
        public Builder listener(final ListenerConfig listener)
        {
            listeners.add(listener);
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
         * Builds the configuration.
         *
         * @return the configuration.
         * @throws IllegalArgumentException when the values are inconsistent; the message says which.
         */
        public EdgeConfig build()
        {
            return new EdgeConfig(tunnelListen, tls, tunnels, services, networks, listeners, eventLoops, metricsListen);
        }
    }
}

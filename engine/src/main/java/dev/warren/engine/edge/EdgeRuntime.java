package dev.warren.engine.edge;

import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.api.NetworkConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.api.VpcNetwork;
import dev.warren.api.VpcService;
import dev.warren.engine.net.HostPort;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.EventLoopGroup;
import dev.warren.engine.loop.IoHandler;
import dev.warren.engine.metrics.MetricsServer;
import dev.warren.engine.tls.EdgeTlsContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A running edge: the tunnel listener, the event loops carrying connector connections, the tunnel registry and
 * the bindings. The listener lives on loop 0 and hands accepted connections round-robin to the loops.
 * Thread-safe.
 */
public final class EdgeRuntime implements Edge
{
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");
    /** How often a drain checks whether every tunnel connection has finished. */
    private static final long DRAIN_POLL_NS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);

    private final EventLoopGroup loops;
    private final TunnelRegistry registry;
    private final Map<String, NetworkBinding> networks = new TreeMap<>();
    private final Map<String, ServiceBinding> services = new TreeMap<>();
    /** Each listener's sockets: one per event loop where the system allows ({@link FrontDoorAcceptor}). */
    private final List<ServerSocketChannel[]> frontDoorChannels = new ArrayList<>();
    private final List<ListenerConfig> frontDoorConfigs = new ArrayList<>();
    private final List<FrontDoor> frontDoors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> listenerAddresses = new ArrayList<>();
    private final ServerSocketChannel listener;
    private final InetSocketAddress tunnelAddress;
    private final TunnelLimits limits = TunnelLimits.DEFAULTS;
    private final HandshakeGuard handshakeGuard = new HandshakeGuard();
    /** Addresses whose refusal was logged in their current penalty (one line each, not one per connection). */
    private final java.util.Set<java.net.InetAddress> rateLimitLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final EdgeMetrics metrics;
    private final InetSocketAddress metricsListen;
    private volatile MetricsServer metricsServer;
    /** The tunnel's certificate and engines; null for a plaintext tunnel. */
    private final EdgeTlsContext tunnelTls;

    private EdgeRuntime(final EdgeConfig config) throws IOException
    {
        tunnelTls = config.tls() == null ? null : new EdgeTlsContext(config.tls());
        final int loopCount = config.eventLoops() == 0 ? EventLoopGroup.DEFAULT_LOOPS : config.eventLoops();
        metrics = new EdgeMetrics(config.tunnels(), loopCount);
        metricsListen = config.metricsListen();
        registry = new TunnelRegistry(config.tunnels(), metrics);
        for (final NetworkConfig network : config.networks())
        {
            networks.put(network.name(), new NetworkBinding(network.name(), network.tunnel(), registry,
                metrics.binding(network.name(), network.tunnel())));
        }
        for (final ServiceConfig service : config.services())
        {
            services.put(service.name(), new ServiceBinding(service, registry,
                metrics.binding(service.name(), service.tunnel())));
        }
        for (final ListenerConfig frontDoor : config.listeners())
        {
            if (frontDoor.fetch() != null && services.containsKey(frontDoor.fetch()) &&
                services.get(frontDoor.fetch()).config().httpPort() == 0)
            {
                throw new IllegalArgumentException("listener " + frontDoor.listen() + ": fetch: " + frontDoor.fetch() +
                    " needs the service's httpPort (the listener speaks plain HTTP to it)");
            }
            if (frontDoor.target() != null)
            {
                HostPort.parse(frontDoor.target());
            }
        }
        try
        {
            for (final ListenerConfig frontDoor : config.listeners())
            {
                final ServerSocketChannel[] channels = FrontDoorAcceptor.bind(frontDoor.listen(), loopCount);
                frontDoorChannels.add(channels);
                frontDoorConfigs.add(frontDoor);
                listenerAddresses.add((InetSocketAddress)channels[0].getLocalAddress());
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Listeners are bound in the config's order and added once bound: the one that failed is the next.
            closeAll(frontDoorChannels);
            throw new IOException("cannot bind listener " + config.listeners().get(frontDoorChannels.size())
                .listen() + ": " + ex.getMessage(), ex);
        }
        listener = ServerSocketChannel.open();
        try
        {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(config.tunnelListen(), 1024);
            listener.configureBlocking(false);
        }
        catch (final IOException ex)
        {
            listener.close();
            closeAll(frontDoorChannels);
            throw ex;
        }
        tunnelAddress = (InetSocketAddress)listener.getLocalAddress();
        loops = new EventLoopGroup("warren-edge", loopCount);
        metrics.attach(registry, loops);
    }

    public static EdgeRuntime start(final EdgeConfig config) throws IOException
    {
        final EdgeRuntime edge = new EdgeRuntime(config);
        final EventLoop acceptLoop = edge.loops.loop(0);
        try
        {
            runOn(acceptLoop, () ->
            {
                final Acceptor acceptor = new Acceptor(edge);
                acceptor.key = acceptLoop.register(edge.listener, SelectionKey.OP_ACCEPT, acceptor);
            });
        }
        catch (final IOException ex)
        {
            edge.close();
            throw new IOException("cannot register the tunnel listener", ex);
        }
        if (edge.metricsListen != null)
        {
            try
            {
                edge.metricsServer = MetricsServer.start(edge.metricsListen, "warren-edge-metrics", edge.metrics);
            }
            catch (final IOException ex)
            {
                edge.close();
                throw new IOException("cannot bind metricsListen " + edge.metricsListen + ": " + ex.getMessage(), ex);
            }
        }
        final EdgeTlsContext tls = edge.tunnelTls;
        if (tls == null)
        {
            LOG.log(INFO, () -> "edge listening for connectors on " + edge.tunnelAddress + " (plaintext tunnel)");
        }
        else
        {
            LOG.log(INFO, () -> "edge listening for connectors on " + edge.tunnelAddress + " over TLS (" +
                String.join(", ", tls.protocols()) + "), certificate " + tls.certificate().getSubjectX500Principal() +
                " valid until " + tls.certificate().getNotAfter().toInstant() + "; connector pin " + tls.pin());
        }
        for (int i = 0; i < edge.frontDoorChannels.size(); i++)
        {
            // One socket per loop, socket j on loop j; a lone socket on loop i (mod the loops), spreading listeners.
            final ServerSocketChannel[] channels = edge.frontDoorChannels.get(i);
            final EventLoop[] acceptLoops = new EventLoop[channels.length];
            for (int j = 0; j < channels.length; j++)
            {
                acceptLoops[j] = edge.loops.loop((channels.length == 1 ? i : j) % edge.loops.size());
            }
            final FrontDoor frontDoor = edge.frontDoor(edge.frontDoorConfigs.get(i), channels, acceptLoops);
            for (final FrontDoorAcceptor acceptor : frontDoor.acceptors())
            {
                try
                {
                    runOn(acceptor.loop(), acceptor::start);
                }
                catch (final IOException ex)
                {
                    edge.close();
                    throw new IOException("cannot start " + frontDoor.description + ": " + ex.getMessage(), ex);
                }
            }
            frontDoor.started();
            edge.frontDoors.add(frontDoor);
        }
        return edge;
    }

    /** Something done on a loop's thread that may fail with an {@link IOException}. */
    private interface LoopAction
    {
        void run() throws IOException;
    }

    /** Runs {@code action} on {@code loop} and waits for it; whatever it throws comes back as an IOException. */
    private static void runOn(final EventLoop loop, final LoopAction action) throws IOException
    {
        try
        {
            loop.submit(() ->
            {
                try
                {
                    action.run();
                    return null;
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            }).join();
        }
        catch (final RuntimeException ex)
        {
            final Throwable cause = ex.getCause() instanceof java.io.UncheckedIOException ? ex.getCause().getCause() :
                ex.getCause() != null ? ex.getCause() : ex;
            throw new IOException(cause.getMessage(), cause);
        }
    }

    @Override
    public InetSocketAddress tunnelAddress()
    {
        return tunnelAddress;
    }

    @Override
    public InetSocketAddress metricsAddress()
    {
        final MetricsServer server = metricsServer;
        return server == null ? null : server.address();
    }

    @Override
    public VpcNetwork network(final String name)
    {
        final NetworkBinding binding = networks.get(name);
        if (binding == null)
        {
            throw new IllegalArgumentException("no VPC Network binding named '" + name + "'; known: " + networks.keySet());
        }
        return binding;
    }

    /** The tunnels' live connections, for tests of the chooser. */
    TunnelRegistry registry()
    {
        return registry;
    }

    /** Listener {@code index}, in the config's order, once started. */
    FrontDoor frontDoor(final int index)
    {
        return frontDoors.get(index);
    }

    private FrontDoor frontDoor(final ListenerConfig config, final ServerSocketChannel[] channel, final EventLoop[] loop)
    {
        if (config.fetch() != null)
        {
            final NetworkBinding network = networks.get(config.fetch());
            if (network != null)
            {
                return new HttpFrontDoor(channel, loop, registry, network.tunnelId(), network.name(), null,
                    metrics.binding(network.name(), network.tunnelId()), config.maxConnections(),
                    config.maxBodyBytes());
            }
            final ServiceBinding service = services.get(config.fetch());
            return new HttpFrontDoor(channel, loop, registry, service.config().tunnel(), service.name(),
                new HostPort(service.config().host(), service.config().httpPort()),
                metrics.binding(service.name(), service.config().tunnel()), config.maxConnections(),
                config.maxBodyBytes());
        }
        final NetworkBinding network = networks.get(config.connect());
        if (network != null)
        {
            return new TcpFrontDoor(channel, loop, registry, network.tunnelId(), network.name(),
                HostPort.parse(config.target()), metrics.binding(network.name(), network.tunnelId()),
                config.maxConnections());
        }
        final ServiceBinding service = services.get(config.connect());
        return new TcpFrontDoor(channel, loop, registry, service.config().tunnel(), service.name(), service.tcpTarget(),
            metrics.binding(service.name(), service.config().tunnel()), config.maxConnections());
    }

    @Override
    public VpcService service(final String name)
    {
        final ServiceBinding binding = services.get(name);
        if (binding == null)
        {
            throw new IllegalArgumentException("no VPC Service binding named '" + name + "'; known: " + services.keySet());
        }
        return binding;
    }

    @Override
    public List<InetSocketAddress> listenerAddresses()
    {
        return List.copyOf(listenerAddresses);
    }

    @Override
    public int liveConnections(final String tunnelId)
    {
        return registry.liveConnections(tunnelId);
    }

    /** For tests: the loops, to inspect their pools. */
    public String describeStreams()
    {
        final StringBuilder out = new StringBuilder();
        for (final EdgeTunnelConnection connection : registry.allConnections())
        {
            out.append(connection.loop().submit(connection::describeStreams).join());
        }
        return out.toString();
    }

    /** For tests: the loops. */
    public EventLoopGroup loops()
    {
        return loops;
    }

    @Override
    public CompletableFuture<Void> drain(final Duration grace)
    {
        LOG.log(INFO, () -> "edge on " + tunnelAddress + " draining (grace " + grace.toMillis() + " ms)");
        closeListeners();
        for (final EdgeTunnelConnection connection : registry.allConnections())
        {
            connection.loop().execute(() -> connection.goAway("edge shutting down"));
        }
        final CompletableFuture<Void> drained = new CompletableFuture<>();
        final long deadline = System.nanoTime() + grace.toNanos();
        final EventLoop watcher = loops.loop(0);
        watcher.execute(() -> watchDrain(watcher, drained, deadline));
        return drained;
    }

    /** Loop 0: completes {@code drained} when no tunnel connection is left, or forces the rest closed at the deadline. */
    private void watchDrain(final EventLoop watcher, final CompletableFuture<Void> drained, final long deadline)
    {
        final List<EdgeTunnelConnection> open = registry.allConnections();
        if (open.isEmpty())
        {
            drained.complete(null);
            return;
        }
        if (System.nanoTime() >= deadline)
        {
            LOG.log(INFO, () -> "edge grace period over with " + open.size() + " tunnel connection(s) still busy; closing");
            for (final EdgeTunnelConnection connection : open)
            {
                connection.loop().execute(() -> connection.close(WireCode.NONE, "grace period over", true));
            }
        }
        watcher.schedule(DRAIN_POLL_NS, () -> watchDrain(watcher, drained, deadline));
    }

    private void closeListeners()
    {
        try
        {
            listener.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
        closeAll(frontDoorChannels);
    }

    @Override
    public void close()
    {
        if (metricsServer != null)
        {
            metricsServer.close();
        }
        try
        {
            listener.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
        closeAll(frontDoorChannels);
        for (final EdgeTunnelConnection connection : registry.allConnections())
        {
            connection.loop().submit(() ->
            {
                connection.close(WireCode.NONE, "edge shutting down", true);
                return null;
            }).join();
        }
        loops.close();
        LOG.log(INFO, () -> "edge on " + tunnelAddress + " stopped");
    }

    private static void closeAll(final List<ServerSocketChannel[]> listeners)
    {
        for (final ServerSocketChannel[] channels : listeners)
        {
            for (final ServerSocketChannel channel : channels)
            {
                FrontDoorAcceptor.close(channel);
            }
        }
    }

    /** Accepts connector connections on loop 0. */
    private static final class Acceptor implements IoHandler
    {
        private final EdgeRuntime edge;
        private SelectionKey key;

        Acceptor(final EdgeRuntime edge)
        {
            this.edge = edge;
        }

        @Override
        public void onReady(final int readyOps)
        {
            for (int i = 0; i < 64; i++)
            {
                final SocketChannel channel;
                try
                {
                    channel = edge.listener.accept();
                    if (channel == null)
                    {
                        return;
                    }
                }
                catch (final IOException ex)
                {
                    LOG.log(WARNING, () -> "accept failed on " + edge.tunnelAddress + ": " + ex.getMessage());
                    return;
                }
                hand(channel);
            }
        }

        private void hand(final SocketChannel channel)
        {
            final String remote;
            final java.net.InetAddress remoteAddress;
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final InetSocketAddress peer = (InetSocketAddress)channel.getRemoteAddress();
                remote = String.valueOf(peer);
                remoteAddress = peer.getAddress();
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                return;
            }
            if (!edge.handshakeGuard.allows(remoteAddress))
            {
                closeQuietly(channel);
                if (edge.rateLimitLogged.size() > HandshakeGuard.MAX_TRACKED)
                {
                    edge.rateLimitLogged.clear();
                }
                if (edge.rateLimitLogged.add(remoteAddress))
                {
                    LOG.log(WARNING, () -> "connections from " + remoteAddress.getHostAddress() + " refused for a while: " +
                        "too many failed authentications");
                }
                return;
            }
            edge.rateLimitLogged.remove(remoteAddress);
            final EventLoop loop = edge.loops.next();
            loop.execute(() ->
            {
                try
                {
                    final EdgeTunnelConnection connection = new EdgeTunnelConnection(loop, channel, edge.limits,
                        edge.registry, remote, edge.handshakeGuard, remoteAddress);
                    if (edge.tunnelTls != null)
                    {
                        connection.startTls(edge.tunnelTls.newEngine());
                    }
                    else
                    {
                        connection.start();
                    }
                }
                catch (final IOException ex)
                {
                    closeQuietly(channel);
                }
            });
        }

        @Override
        public void rekeyed(final SelectionKey key)
        {
            this.key = key;
        }

        private static void closeQuietly(final SocketChannel channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // nothing to do
            }
        }
    }
}

package dev.warren.engine.edge;

import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.NetworkConfig;
import dev.warren.api.VpcNetwork;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.EventLoopGroup;
import dev.warren.engine.loop.IoHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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

    private final EventLoopGroup loops;
    private final TunnelRegistry registry;
    private final Map<String, NetworkBinding> networks = new TreeMap<>();
    private final ServerSocketChannel listener;
    private final InetSocketAddress tunnelAddress;
    private final TunnelLimits limits = TunnelLimits.DEFAULTS;

    private EdgeRuntime(final EdgeConfig config) throws IOException
    {
        registry = new TunnelRegistry(config.tunnels());
        for (final NetworkConfig network : config.networks())
        {
            networks.put(network.name(), new NetworkBinding(network.name(), network.tunnel(), registry));
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
            throw ex;
        }
        tunnelAddress = (InetSocketAddress)listener.getLocalAddress();
        loops = new EventLoopGroup("warren-edge", config.eventLoops() == 0 ? EventLoopGroup.DEFAULT_LOOPS :
            config.eventLoops());
    }

    public static EdgeRuntime start(final EdgeConfig config) throws IOException
    {
        final EdgeRuntime edge = new EdgeRuntime(config);
        final EventLoop acceptLoop = edge.loops.loop(0);
        try
        {
            acceptLoop.submit(() ->
            {
                try
                {
                    final Acceptor acceptor = new Acceptor(edge);
                    acceptor.key = acceptLoop.register(edge.listener, SelectionKey.OP_ACCEPT, acceptor);
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
            edge.close();
            throw new IOException("cannot register the tunnel listener", ex);
        }
        LOG.log(INFO, () -> "edge listening for connectors on " + edge.tunnelAddress);
        return edge;
    }

    @Override
    public InetSocketAddress tunnelAddress()
    {
        return tunnelAddress;
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

    @Override
    public int liveConnections(final String tunnelId)
    {
        return registry.liveConnections(tunnelId);
    }

    /** For tests: the loops, to inspect their pools. */
    public EventLoopGroup loops()
    {
        return loops;
    }

    @Override
    public void close()
    {
        try
        {
            listener.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
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
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                remote = String.valueOf(channel.getRemoteAddress());
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                return;
            }
            final EventLoop loop = edge.loops.next();
            loop.execute(() ->
            {
                try
                {
                    new EdgeTunnelConnection(loop, channel, edge.limits, edge.registry, remote).start();
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

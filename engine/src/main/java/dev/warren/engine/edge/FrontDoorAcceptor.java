package dev.warren.engine.edge;

import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.loop.IoHandler;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Accepts one front door's clients on one event loop, from one of the listener's sockets.
 * <p>
 * <b>One socket per loop.</b> On Linux a listener has one listening socket per event loop, all bound to the same
 * address with {@code SO_REUSEPORT}, each accepted on its own loop: the kernel spreads new connections over them,
 * and a client is accepted, read, relayed and closed on one loop, with no hand-off to another (with one socket, every
 * accept lands on one loop and half of the clients moved to another loop's tunnel connection for their first
 * request: an {@code epoll_ctl} pair and a wake-up of that loop each). {@link #bind} makes sure no other socket
 * holds the address first, so a second edge started on the same port still fails with "address in use" rather than
 * sharing its clients. Elsewhere (other systems spread {@code SO_REUSEPORT} connections differently or not at all,
 * a sandbox may refuse the option), with one loop, or with {@code -Dwarren.edge.listenerPerLoop=false}: one socket.
 * <p>
 * Loop thread only, after {@link #start}.
 */
final class FrontDoorAcceptor implements IoHandler
{
    /** Whether listeners get one socket per loop where the system spreads connections over them. */
    static final boolean LISTENER_PER_LOOP = Boolean.parseBoolean(
        System.getProperty("warren.edge.listenerPerLoop", "true")) && isLinux() && reusePortWorks();
    private static final System.Logger LOG = System.getLogger("dev.warren.edge");
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    private static final int BACKLOG = 1024;
    /** Tries at binding a port-0 listener's group before one plain socket is bound instead. */
    private static final int GROUP_BIND_ATTEMPTS = 3;

    private final FrontDoor door;
    private final ServerSocketChannel server;
    private final EventLoop loop;
    private long accepted;

    FrontDoorAcceptor(final FrontDoor door, final ServerSocketChannel server, final EventLoop loop)
    {
        this.door = door;
        this.server = server;
        this.loop = loop;
    }

    /**
     * Binds a listener's sockets: {@code count} of them sharing the address through {@code SO_REUSEPORT}, or one
     * when {@code count} is 1 or the system does not spread connections over such sockets. Fails as a lone bind
     * would when the address is taken, even by sockets that set {@code SO_REUSEPORT} too (another edge of this user):
     * a probe without the option binds first. Between the probe's close and the group's binds another socket may take
     * the port: for port 0 the whole bind starts again (another port); otherwise, and when the system refuses the
     * group's binds, one plain socket is bound instead, which fails as a lone bind would. The sockets are
     * non-blocking; on failure none is left open.
     */
    static ServerSocketChannel[] bind(final InetSocketAddress address, final int count) throws IOException
    {
        if (count > 1 && LISTENER_PER_LOOP)
        {
            for (int attempt = 0; attempt < GROUP_BIND_ATTEMPTS; attempt++)
            {
                final ServerSocketChannel[] group = bindGroup(address, count);
                if (group != null)
                {
                    return group;
                }
                if (address.getPort() != 0)
                {
                    break;
                }
            }
        }
        return new ServerSocketChannel[] {bindOne(address, false)};
    }

    /** The group of {@code count} sockets, or null when a bind with {@code SO_REUSEPORT} failed after the probe. */
    private static ServerSocketChannel[] bindGroup(final InetSocketAddress address, final int count)
        throws IOException
    {
        final InetSocketAddress settled;
        try (ServerSocketChannel probe = ServerSocketChannel.open())
        {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(address, 1);
            settled = (InetSocketAddress)probe.getLocalAddress();
        }
        final ServerSocketChannel[] group = new ServerSocketChannel[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                group[i] = bindOne(settled, true);
            }
            return group;
        }
        catch (final IOException ex)
        {
            for (final ServerSocketChannel channel : group)
            {
                close(channel);
            }
            return null;
        }
    }

    private static ServerSocketChannel bindOne(final InetSocketAddress address, final boolean reusePort)
        throws IOException
    {
        final ServerSocketChannel channel = ServerSocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort)
            {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            channel.bind(address, BACKLOG);
            channel.configureBlocking(false);
            return channel;
        }
        catch (final IOException | RuntimeException ex)
        {
            close(channel);
            throw ex;
        }
    }

    static void close(final ServerSocketChannel channel)
    {
        if (channel == null)
        {
            return;
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }

    /** Loop thread: starts accepting. */
    void start() throws IOException
    {
        loop.register(server, SelectionKey.OP_ACCEPT, this);
    }

    EventLoop loop()
    {
        return loop;
    }

    /** Loop thread: clients this socket accepted so far. */
    long accepted()
    {
        return accepted;
    }

    @Override
    public void onReady(final int readyOps)
    {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++)
        {
            final SocketChannel client;
            try
            {
                client = server.accept();
            }
            catch (final IOException ex)
            {
                LOG.log(WARNING, () -> door.description + ": accept failed: " + ex.getMessage());
                return;
            }
            if (client == null)
            {
                return;
            }
            accepted++;
            door.accepted(client, loop);
        }
    }

    @Override
    public void rekeyed(final SelectionKey key)
    {
        // nothing kept: an acceptor's interest never changes
    }

    private static boolean isLinux()
    {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    /** Whether this JDK and kernel let a listening socket set {@code SO_REUSEPORT} (a sandbox may refuse it). */
    private static boolean reusePortWorks()
    {
        try (ServerSocketChannel probe = ServerSocketChannel.open())
        {
            probe.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            return probe.getOption(StandardSocketOptions.SO_REUSEPORT);
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return false;
        }
    }
}

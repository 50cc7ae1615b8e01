package dev.warren.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP server on 127.0.0.1 run by one NIO thread, for the benchmarks' private hosts ({@link BenchEchoServer},
 * {@link BenchHttpOrigin}): it accepts (TCP_NODELAY, non-blocking, registered for reading with the state
 * {@link #newConnection()} makes), hands every other ready key to {@link #onReady}, closes a connection whose
 * handler throws, and on {@link #close()} stops the thread and closes everything. Infrastructure, not under test;
 * nothing here allocates per event.
 */
abstract class BenchNioServer implements AutoCloseable
{
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    /** Held once: a method reference made at each {@code select} call would allocate per call. */
    private final java.util.function.Consumer<SelectionKey> handler = this::handleSafely;
    private volatile boolean running = true;
    private volatile int accepted;

    BenchNioServer(final String name)
    {
        try
        {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 128);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + name, ex);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The state of a connection just accepted; its key's attachment. */
    abstract Object newConnection();

    /** A connection's key is ready; an exception closes the connection. */
    abstract void onReady(SelectionKey key, SocketChannel channel) throws IOException;

    /** {@code 127.0.0.1:port}. */
    public String address()
    {
        return "127.0.0.1:" + port();
    }

    public int port()
    {
        return server.socket().getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted()
    {
        return accepted;
    }

    /** Whether the server thread has stopped (after {@link #close()}). */
    public boolean stopped()
    {
        return !thread.isAlive();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                selector.select(handler, 100);
            }
        }
        catch (final IOException ex)
        {
            // stopping
        }
        finally
        {
            for (final SelectionKey key : selector.keys())
            {
                closeQuietly(key);
            }
            try
            {
                selector.close();
                server.close();
            }
            catch (final IOException ignore)
            {
                // closing
            }
        }
    }

    private void handleSafely(final SelectionKey key)
    {
        try
        {
            if (!key.isValid())
            {
                return;
            }
            if (key.isAcceptable())
            {
                SocketChannel channel;
                while ((channel = server.accept()) != null)
                {
                    accepted++;
                    channel.configureBlocking(false);
                    channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                    channel.register(selector, SelectionKey.OP_READ, newConnection());
                }
                return;
            }
            onReady(key, (SocketChannel)key.channel());
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(key);
        }
    }

    static void closeQuietly(final SelectionKey key)
    {
        key.cancel();
        try
        {
            key.channel().close();
        }
        catch (final IOException ignore)
        {
            // closing
        }
    }

    /** Stops the thread and closes every connection; waits up to 2 s for the thread. */
    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            thread.join(2000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}

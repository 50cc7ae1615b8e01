package dev.warren.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A TCP echo server on 127.0.0.1, one NIO thread: the private host of {@link RoundTripBenchmark}. Infrastructure,
 * not under test. Echoes with backpressure (stops reading while it cannot write what it read) and closes a
 * connection once the client half-closed and everything was echoed. Each connection has one 64 KiB direct buffer
 * allocated when accepted; reading and writing allocate nothing.
 */
public final class BenchEchoServer implements AutoCloseable
{
    private static final int BUFFER_SIZE = 64 * 1024;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    /** Held once: a method reference made at each {@code select} call would allocate per call. */
    private final java.util.function.Consumer<SelectionKey> handler = this::handleSafely;
    private volatile boolean running = true;
    private volatile int accepted;

    public BenchEchoServer()
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
            throw new UncheckedIOException("cannot start the echo server", ex);
        }
        thread = new Thread(this::run, "bench-echo");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code 127.0.0.1:port}. */
    public String address()
    {
        return "127.0.0.1:" + server.socket().getLocalPort();
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
            handle(key);
        }
        catch (final IOException ex)
        {
            closeQuietly(key);
        }
    }

    private void handle(final SelectionKey key) throws IOException
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
                channel.register(selector, SelectionKey.OP_READ, new Conn());
            }
            return;
        }
        final SocketChannel channel = (SocketChannel)key.channel();
        final Conn conn = (Conn)key.attachment();
        if (key.isReadable() && channel.read(conn.buffer) < 0)
        {
            conn.eof = true;
        }
        conn.buffer.flip();
        channel.write(conn.buffer);
        conn.buffer.compact();
        final boolean empty = conn.buffer.position() == 0;
        if (conn.eof && empty)
        {
            closeQuietly(key);
            return;
        }
        int ops = 0;
        if (!conn.eof && conn.buffer.hasRemaining())
        {
            ops |= SelectionKey.OP_READ;
        }
        if (!empty)
        {
            ops |= SelectionKey.OP_WRITE;
        }
        key.interestOps(ops);
    }

    private static void closeQuietly(final SelectionKey key)
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

    private static final class Conn
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        boolean eof;
    }
}

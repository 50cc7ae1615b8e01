package dev.warren.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's private host: a TCP echo service on {@code 127.0.0.1}, one selector thread for every connection.
 * <p>
 * Echoes with backpressure: each connection has one {@link #BUFFER_BYTES} buffer, and it stops reading while that
 * buffer is full (the client's writes then stall in TCP, not in memory here). Once the client finishes its side,
 * it echoes what is left, finishes its own side and closes.
 * <p>
 * <b>Threading.</b> {@link #start()}, {@link #address()}, {@link #accepted()} and {@link #close()} may be called
 * from any thread; everything else belongs to the service's thread.
 */
final class DemoEchoService implements AutoCloseable
{
    /** Per-connection echo buffer; property {@code warren.demo.echoBufferBytes}. */
    static final int BUFFER_BYTES = Integer.getInteger("warren.demo.echoBufferBytes", 64 * 1024);

    private final ServerSocketChannel server;
    private final Selector selector;
    private final InetSocketAddress address;
    private final Thread thread;
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean running = true;

    private DemoEchoService(final ServerSocketChannel server, final Selector selector)
    {
        this.server = server;
        this.selector = selector;
        this.address = new InetSocketAddress("127.0.0.1", server.socket().getLocalPort());
        this.thread = new Thread(this::run, "demo-echo");
        thread.setDaemon(true);
    }

    /** Binds an ephemeral port on {@code 127.0.0.1} and starts serving. */
    static DemoEchoService start()
    {
        ServerSocketChannel server = null;
        Selector selector = null;
        try
        {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            closeQuietly(server);
            closeQuietly(selector);
            throw new UncheckedIOException("cannot start the demo echo service: " + ex.getMessage(), ex);
        }
        final DemoEchoService service = new DemoEchoService(server, selector);
        service.thread.start();
        return service;
    }

    InetSocketAddress address()
    {
        return address;
    }

    /** {@code 127.0.0.1:port}, as {@code connect()} takes it. */
    String hostPort()
    {
        return "127.0.0.1:" + address.getPort();
    }

    int accepted()
    {
        return accepted.get();
    }

    private void run()
    {
        try
        {
            while (running)
            {
                selector.select(100);
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    try
                    {
                        onReady(key);
                    }
                    catch (final IOException ex)
                    {
                        // The client reset or vanished: that connection ends, the service goes on.
                        key.cancel();
                        closeQuietly(key.channel());
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            running = false;
        }
        finally
        {
            for (final SelectionKey key : selector.keys())
            {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
        }
    }

    private void onReady(final SelectionKey key) throws IOException
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
                accepted.incrementAndGet();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ, new Echo());
            }
            return;
        }
        final SocketChannel channel = (SocketChannel)key.channel();
        final Echo echo = (Echo)key.attachment();
        final ByteBuffer buffer = echo.buffer;
        if (key.isReadable() && channel.read(buffer) < 0)
        {
            echo.clientFinished = true;
        }
        buffer.flip();
        channel.write(buffer);
        buffer.compact();
        final boolean empty = buffer.position() == 0;
        if (echo.clientFinished && empty)
        {
            channel.shutdownOutput();
            key.cancel();
            channel.close();
            return;
        }
        int ops = 0;
        if (!echo.clientFinished && buffer.hasRemaining())
        {
            ops |= SelectionKey.OP_READ;
        }
        if (!empty)
        {
            ops |= SelectionKey.OP_WRITE;
        }
        key.interestOps(ops);
    }

    /** Stops serving and closes every connection; waits up to two seconds for the thread. */
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
        finally
        {
            closeQuietly(server);
        }
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        if (closeable != null)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignore)
            {
                // closing anyway
            }
        }
    }

    /** One connection's echo state; owned by the service's thread. */
    private static final class Echo
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        boolean clientFinished;
    }
}

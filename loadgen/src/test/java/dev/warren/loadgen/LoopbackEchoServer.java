package dev.warren.loadgen;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test server on 127.0.0.1: echoes every byte back on one selector thread, or with {@link #discarding()} drops
 * them. {@link #stallOnceAfter} makes it stop serving everyone for a while, once: its thread sleeps, as a server stuck
 * in a GC pause or on a lock would.
 * <p>
 * Thread-safe: started and closed by the test's thread, counters read from any thread.
 */
public final class LoopbackEchoServer implements AutoCloseable
{
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final boolean echo;
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile long closeAfterBytes = Long.MAX_VALUE;
    private volatile long stallAtNs = Long.MAX_VALUE;
    private volatile long stallNs;
    private volatile long stalledAtNs;
    private volatile boolean running = true;

    private LoopbackEchoServer(final boolean echo)
    {
        this.echo = echo;
        try
        {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        thread = new Thread(this::run, echo ? "test-echo-server" : "test-discard-server");
        thread.setDaemon(true);
        thread.start();
    }

    public static LoopbackEchoServer echoing()
    {
        return new LoopbackEchoServer(true);
    }

    public static LoopbackEchoServer discarding()
    {
        return new LoopbackEchoServer(false);
    }

    /** Once, at {@code delayNs} from now, stop serving every connection for {@code stallNs}. */
    public LoopbackEchoServer stallOnceAfter(final long delayNs, final long stallNs)
    {
        this.stallNs = stallNs;
        this.stallAtNs = System.nanoTime() + delayNs;
        selector.wakeup();
        return this;
    }

    /** Closes each connection once it has received {@code bytes} (what it read so far is still echoed). */
    public LoopbackEchoServer closeEachConnectionAfter(final long bytes)
    {
        this.closeAfterBytes = bytes;
        return this;
    }

    public int port()
    {
        return server.socket().getLocalPort();
    }

    public String address()
    {
        return "127.0.0.1:" + port();
    }

    public long bytesReceived()
    {
        return bytesReceived.get();
    }

    public long connectionsAccepted()
    {
        return connections.get();
    }

    /** When the stall began ({@link System#nanoTime()}), 0 when it has not. */
    public long stalledAtNs()
    {
        return stalledAtNs;
    }

    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            for (final SelectionKey key : selector.keys())
            {
                key.channel().close();
            }
            selector.close();
            server.close();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException ignore)
        {
            // closing anyway
        }
    }

    private void run()
    {
        try
        {
            while (running)
            {
                final long untilStallNs = stallAtNs - System.nanoTime();
                if (untilStallNs <= 0)
                {
                    stallAtNs = Long.MAX_VALUE;
                    stalledAtNs = System.nanoTime();
                    TimeUnit.NANOSECONDS.sleep(stallNs); // the stall under test: everyone waits
                }
                selector.select(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(untilStallNs))));
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid())
                    {
                        continue;
                    }
                    if (key.isAcceptable())
                    {
                        accept();
                    }
                    else
                    {
                        serve(key);
                    }
                }
            }
        }
        catch (final IOException | InterruptedException ex)
        {
            if (running)
            {
                throw new IllegalStateException("test server failed", ex);
            }
        }
    }

    private void accept() throws IOException
    {
        SocketChannel channel;
        while ((channel = server.accept()) != null)
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ, new Connection());
            connections.incrementAndGet();
        }
    }

    private void serve(final SelectionKey key)
    {
        final SocketChannel channel = (SocketChannel)key.channel();
        final Connection connection = (Connection)key.attachment();
        final ByteBuffer buffer = connection.buffer;
        try
        {
            if (key.isWritable())
            {
                channel.write(buffer);
                if (buffer.hasRemaining())
                {
                    return;
                }
                buffer.clear();
                key.interestOps(SelectionKey.OP_READ);
            }
            if (key.isReadable())
            {
                final int read = channel.read(buffer);
                if (read < 0)
                {
                    channel.close();
                    return;
                }
                bytesReceived.addAndGet(read);
                connection.received += read;
                buffer.flip();
                if (echo)
                {
                    channel.write(buffer);
                }
                else
                {
                    buffer.position(buffer.limit());
                }
                if (buffer.hasRemaining())
                {
                    key.interestOps(SelectionKey.OP_WRITE);
                }
                else
                {
                    buffer.clear();
                }
                if (connection.received >= closeAfterBytes)
                {
                    channel.close();
                }
            }
        }
        catch (final IOException ex)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // gone
            }
        }
    }

    /** One accepted connection's state, owned by the server's thread. */
    private static final class Connection
    {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        private long received;
    }
}

package dev.warren.engine.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP echo server on loopback, one NIO thread. Echoes with backpressure (stops reading while it cannot
 * write), and half-closes its side after echoing everything once the client half-closed. With
 * {@code reading=false} it accepts and never reads: a private host that stops reading.
 */
public final class EchoServer implements AutoCloseable
{
    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final boolean reading;
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean running = true;

    public EchoServer()
    {
        this(true);
    }

    public EchoServer(final boolean reading)
    {
        this.reading = reading;
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
            throw new java.io.UncheckedIOException(ex);
        }
        thread = new Thread(this::run, "echo-server");
        thread.setDaemon(true);
        thread.start();
    }

    public int port()
    {
        return server.socket().getLocalPort();
    }

    public String address()
    {
        return "127.0.0.1:" + port();
    }

    public int accepted()
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
                for (final SelectionKey key : selector.selectedKeys())
                {
                    try
                    {
                        handle(key);
                    }
                    catch (final IOException ex)
                    {
                        key.cancel();
                        key.channel().close();
                    }
                }
                selector.selectedKeys().clear();
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
                try
                {
                    key.channel().close();
                }
                catch (final IOException ignore)
                {
                    // closing
                }
            }
        }
    }

    private void handle(final SelectionKey key) throws IOException
    {
        if (key.isAcceptable())
        {
            SocketChannel channel;
            while ((channel = server.accept()) != null)
            {
                accepted.incrementAndGet();
                channel.configureBlocking(false);
                channel.register(selector, reading ? SelectionKey.OP_READ : 0, new Conn());
            }
            return;
        }
        final SocketChannel channel = (SocketChannel)key.channel();
        final Conn conn = (Conn)key.attachment();
        if (key.isReadable())
        {
            final int read = channel.read(conn.buffer);
            if (read < 0)
            {
                conn.eof = true;
            }
        }
        conn.buffer.flip();
        channel.write(conn.buffer);
        conn.buffer.compact();
        final boolean empty = conn.buffer.position() == 0;
        if (conn.eof && empty)
        {
            channel.shutdownOutput();
            key.cancel();
            channel.close();
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

    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try
        {
            thread.join(2000);
            server.close();
            selector.close();
        }
        catch (final InterruptedException | IOException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Conn
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        boolean eof;
    }
}

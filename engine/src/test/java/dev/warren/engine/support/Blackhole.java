package dev.warren.engine.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A loopback port that never answers a connect: a listener whose accept queue is full and that never accepts.
 * Linux drops further SYNs, so a connect to it hangs, which is what an unroutable host looks like.
 */
public final class Blackhole implements AutoCloseable
{
    private final ServerSocketChannel server;
    private final List<SocketChannel> fillers = new ArrayList<>();

    public Blackhole() throws IOException
    {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 1);
        for (int i = 0; i < 16; i++)
        {
            final SocketChannel filler = SocketChannel.open();
            filler.configureBlocking(false);
            fillers.add(filler);
            if (!filler.connect(new InetSocketAddress("127.0.0.1", port())))
            {
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                boolean connected = false;
                while (System.nanoTime() < deadline && !(connected = filler.finishConnect()))
                {
                    Thread.onSpinWait();
                }
                if (!connected)
                {
                    return;
                }
            }
        }
        close();
        throw new IllegalStateException("could not fill the accept queue of port " + port());
    }

    public int port()
    {
        return server.socket().getLocalPort();
    }

    @Override
    public void close() throws IOException
    {
        for (final SocketChannel filler : fillers)
        {
            filler.close();
        }
        server.close();
    }
}

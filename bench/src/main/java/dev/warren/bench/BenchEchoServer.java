package dev.warren.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A TCP echo server on 127.0.0.1, one NIO thread: the private host of {@link RoundTripBenchmark}. Infrastructure,
 * not under test. Echoes with backpressure (stops reading while it cannot write what it read) and closes a
 * connection once the client half-closed and everything was echoed. Each connection has one 64 KiB direct buffer
 * allocated when accepted; reading and writing allocate nothing.
 */
public final class BenchEchoServer extends BenchNioServer
{
    private static final int BUFFER_SIZE = 64 * 1024;

    public BenchEchoServer()
    {
        super("bench-echo");
    }

    @Override
    Object newConnection()
    {
        return new Conn();
    }

    @Override
    void onReady(final SelectionKey key, final SocketChannel channel) throws IOException
    {
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

    private static final class Conn
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        boolean eof;
    }
}

package dev.warren.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 origin on 127.0.0.1, one NIO thread: the private host of {@link HttpRoundTripBenchmark}.
 * Infrastructure, not under test. It answers every request head (bodiless requests only: it counts {@code CRLF CRLF})
 * with the same small keep-alive {@code 200} response, so that {@code -prof gc} sees what the proxy path allocates,
 * not what a real server would. Each connection has one direct buffer in and a shared read-only response out;
 * reading and writing allocate nothing. A response the socket does not take at once is finished before reading on.
 */
public final class BenchHttpOrigin extends BenchNioServer
{
    static final byte[] BODY = "hello from private host\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Type: text/plain\r\n" +
        "Content-Length: " + BODY.length + "\r\nConnection: keep-alive\r\n\r\n" +
        new String(BODY, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);

    public BenchHttpOrigin()
    {
        super("bench-http-origin");
    }

    @Override
    Object newConnection()
    {
        return new Conn();
    }

    @Override
    void onReady(final SelectionKey key, final SocketChannel channel) throws IOException
    {
        ((Conn)key.attachment()).onReady(key, channel);
    }

    private static final class Conn
    {
        private final ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
        private final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
        /** How much of {@code CRLF CRLF} the bytes so far end with. */
        private int matched;

        void onReady(final SelectionKey key, final SocketChannel channel) throws IOException
        {
            if (out.position() > 0 && !flush(channel, key))
            {
                return;
            }
            in.clear();
            final int read = channel.read(in);
            if (read < 0)
            {
                key.cancel();
                channel.close();
                return;
            }
            for (int i = 0; i < read; i++)
            {
                final byte b = in.get(i);
                matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4)
                {
                    matched = 0;
                    if (out.remaining() < RESPONSE.length)
                    {
                        throw new IOException("more pipelined requests than the origin buffers");
                    }
                    out.put(RESPONSE);
                }
            }
            flush(channel, key);
        }

        /** @return whether everything went out. */
        private boolean flush(final SocketChannel channel, final SelectionKey key) throws IOException
        {
            out.flip();
            channel.write(out);
            final boolean done = !out.hasRemaining();
            out.compact();
            key.interestOps(done ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
            return done;
        }
    }
}

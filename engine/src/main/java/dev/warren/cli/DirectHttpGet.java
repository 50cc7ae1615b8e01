package dev.warren.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's direct HTTP baseline: {@code GET}s of one path over keep-alive HTTP/1.1 connections straight to the
 * private HTTP service, each connection carrying one request at a time on a thread of its own (blocking sockets, as
 * simple a client as there is, so the comparison measures the tunnel and not a client library). Bodies must be
 * framed by {@code Content-Length}, which the demo's service always sends.
 * <p>
 * <b>Threading.</b> {@link #get()} may be called from any thread; it runs the request on one of {@code connections}
 * threads, each taking a connection from a pool. {@link #close()} closes the threads and connections.
 */
final class DirectHttpGet implements AutoCloseable
{
    private final InetSocketAddress address;
    private final byte[] request;
    private final ExecutorService threads;
    private final BlockingQueue<Connection> idle;

    DirectHttpGet(final InetSocketAddress address, final String path, final int connections)
    {
        this.address = address;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + address.getAddress().getHostAddress() + ":" +
            address.getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.threads = Executors.newFixedThreadPool(connections, runnable ->
        {
            final Thread thread = new Thread(runnable, "demo-direct-http");
            thread.setDaemon(true);
            return thread;
        });
        this.idle = new ArrayBlockingQueue<>(connections);
    }

    /** @return the body of one {@code GET}, or the failure. */
    CompletableFuture<String> get()
    {
        return CompletableFuture.supplyAsync(() ->
        {
            Connection connection = idle.poll();
            try
            {
                if (connection == null)
                {
                    connection = new Connection(address);
                }
                final String body = connection.exchange(request);
                idle.offer(connection);
                return body;
            }
            catch (final IOException ex)
            {
                if (connection != null)
                {
                    connection.close();
                }
                throw new CompletionException(ex);
            }
        }, threads);
    }

    @Override
    public void close()
    {
        threads.shutdownNow();
        Connection connection;
        while ((connection = idle.poll()) != null)
        {
            connection.close();
        }
    }

    /** One keep-alive connection; used by one thread at a time. */
    private static final class Connection
    {
        private final Socket socket;
        private final InputStream in;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream(256);

        Connection(final InetSocketAddress address) throws IOException
        {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
        }

        String exchange(final byte[] request) throws IOException
        {
            socket.getOutputStream().write(request);
            head.reset();
            int matched = 0;
            while (matched < 4)
            {
                final int b = in.read();
                if (b < 0)
                {
                    throw new IOException("the service closed the connection before the response head ended");
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ?
                    matched + 1 : 0;
            }
            final String text = head.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 200 "))
            {
                throw new IOException("unexpected response: " + text.lines().findFirst().orElse(""));
            }
            final int at = text.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
            if (at < 0)
            {
                throw new IOException("no Content-Length in the response");
            }
            final int end = text.indexOf('\r', at + 2);
            final int length = Integer.parseInt(text.substring(at + 17, end).trim());
            final byte[] body = in.readNBytes(length);
            if (body.length < length)
            {
                throw new IOException("the service closed the connection mid-body");
            }
            return new String(body, StandardCharsets.US_ASCII);
        }

        void close()
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // closing: nothing left to do
            }
        }
    }
}

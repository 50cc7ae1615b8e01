package dev.warren.engine.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * A real loopback server that runs {@code script} on each accepted connection, one thread per connection (the
 * scripts block). Whatever the script returns completes {@link #result()} of the first connection.
 */
public final class ScriptedServer implements AutoCloseable
{
    /** What one connection does. */
    @FunctionalInterface
    public interface Script
    {
        Object run(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final CompletableFuture<Object> result = new CompletableFuture<>();

    public ScriptedServer(final Script script)
    {
        try
        {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        final Thread acceptor = new Thread(() ->
        {
            while (!server.isClosed())
            {
                try
                {
                    final Socket socket = server.accept();
                    final Thread worker = new Thread(() ->
                    {
                        try (socket)
                        {
                            result.complete(script.run(socket));
                        }
                        catch (final Throwable ex)
                        {
                            result.completeExceptionally(ex);
                        }
                    }, "scripted-connection");
                    worker.setDaemon(true);
                    worker.start();
                }
                catch (final IOException ex)
                {
                    return;
                }
            }
        }, "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String address()
    {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int port()
    {
        return server.getLocalPort();
    }

    public CompletableFuture<Object> result()
    {
        return result;
    }

    @Override
    public void close()
    {
        try
        {
            server.close();
        }
        catch (final IOException ignore)
        {
            // closing
        }
    }
}

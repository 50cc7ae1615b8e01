package dev.warren.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP echo on loopback: each connection gets back what it sends, then end-of-stream after ours. */
final class EchoServer implements AutoCloseable
{
    private final ServerSocket server;

    EchoServer() throws IOException
    {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final Thread acceptor = new Thread(this::accept, "echo-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return {@code "127.0.0.1:port"}. */
    String address()
    {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    private void accept()
    {
        while (!server.isClosed())
        {
            try
            {
                final Socket socket = server.accept();
                final Thread echo = new Thread(() -> echo(socket), "echo-" + socket.getPort());
                echo.setDaemon(true);
                echo.start();
            }
            catch (final IOException ex)
            {
                return; // closed
            }
        }
    }

    private static void echo(final Socket socket)
    {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream())
        {
            in.transferTo(out);
            socket.shutdownOutput();
        }
        catch (final IOException ignored)
        {
            // the peer went away
        }
    }

    @Override
    public void close() throws IOException
    {
        server.close();
    }
}

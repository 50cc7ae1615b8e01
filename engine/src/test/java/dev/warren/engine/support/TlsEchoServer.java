package dev.warren.engine.support;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TLS private host on 127.0.0.1, one thread per connection (JDK {@code SSLSocket}s, blocking, so a client that
 * stops reading stops its echo), in one of three modes:
 * <ul>
 *   <li>{@link Mode#ECHO}: TLS from the start; echoes until the client's {@code close_notify}, then closes.</li>
 *   <li>{@link Mode#STARTTLS}: plain first: sends {@code "220 ready\r\n"}, reads a line ({@code STARTTLS}), answers
 *       {@code "220 go ahead\r\n"}, then upgrades the same connection (server side) and echoes as {@code ECHO}.</li>
 *   <li>{@link Mode#NO_READ}: TLS from the start; completes the handshake and then never reads.</li>
 * </ul>
 * {@link #plaintextLines()} is what a STARTTLS connection read before the upgrade; {@link #echoed()} counts the
 * plaintext echoed.
 */
public final class TlsEchoServer implements AutoCloseable
{
    /** What the host does with a connection. */
    public enum Mode
    {
        ECHO, STARTTLS, NO_READ
    }

    private final SSLContext context;
    private final Mode mode;
    private final String[] enabledProtocols;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> plaintextLines = new CopyOnWriteArrayList<>();
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicLong echoed = new AtomicLong();

    public TlsEchoServer(final SSLContext context, final Mode mode) throws IOException
    {
        this(context, mode, new String[0]);
    }

    /** @param protocols the TLS versions it speaks; none = the JDK's defaults (1.3 and 1.2). */
    public TlsEchoServer(final SSLContext context, final Mode mode, final String... protocols) throws IOException
    {
        this.enabledProtocols = protocols;
        this.context = context;
        this.mode = mode;
        if (mode == Mode.STARTTLS)
        {
            server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        }
        else
        {
            final SSLServerSocket tls = (SSLServerSocket)context.getServerSocketFactory().createServerSocket();
            if (protocols.length > 0)
            {
                tls.setEnabledProtocols(protocols);
            }
            tls.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
            server = tls;
        }
        final Thread acceptor = new Thread(this::accept, "tls-host-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port()
    {
        return server.getLocalPort();
    }

    public String address()
    {
        return "127.0.0.1:" + port();
    }

    public List<String> plaintextLines()
    {
        return plaintextLines;
    }

    /** TLS versions negotiated, one per completed handshake. */
    public List<String> protocols()
    {
        return protocols;
    }

    public int handshakes()
    {
        return handshakes.get();
    }

    public long echoed()
    {
        return echoed.get();
    }

    public List<String> failures()
    {
        return failures;
    }

    private void accept()
    {
        try
        {
            while (true)
            {
                final Socket socket = server.accept();
                sockets.add(socket);
                final Thread thread = new Thread(() -> serve(socket), "tls-host-conn");
                thread.setDaemon(true);
                thread.start();
            }
        }
        catch (final IOException ignore)
        {
            // closed
        }
    }

    private void serve(final Socket accepted)
    {
        try (Socket plain = accepted)
        {
            SSLSocket socket;
            if (mode == Mode.STARTTLS)
            {
                final OutputStream out = plain.getOutputStream();
                out.write("220 ready\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                final String line = readLine(plain.getInputStream());
                plaintextLines.add(line);
                out.write("220 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket = (SSLSocket)context.getSocketFactory().createSocket(plain, null, true);
                socket.setUseClientMode(false);
                if (enabledProtocols.length > 0)
                {
                    socket.setEnabledProtocols(enabledProtocols);
                }
            }
            else
            {
                socket = (SSLSocket)plain;
            }
            socket.startHandshake();
            handshakes.incrementAndGet();
            protocols.add(socket.getSession().getProtocol());
            if (mode == Mode.NO_READ)
            {
                synchronized (this)
                {
                    while (!server.isClosed())
                    {
                        wait(1000);
                    }
                }
                return;
            }
            final InputStream in = socket.getInputStream();
            final OutputStream out = socket.getOutputStream();
            final byte[] block = new byte[32 * 1024];
            int n;
            while ((n = in.read(block)) >= 0)
            {
                out.write(block, 0, n);
                out.flush();
                echoed.addAndGet(n);
            }
            socket.close();
        }
        catch (final IOException | InterruptedException ex)
        {
            failures.add(String.valueOf(ex));
        }
    }

    /** One line, CRLF or LF terminated, byte by byte so that nothing after it is read. */
    private static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n')
        {
            if (b != '\r')
            {
                line.append((char)b);
            }
        }
        return line.toString();
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
        synchronized (this)
        {
            notifyAll();
        }
        for (final Socket socket : sockets)
        {
            try
            {
                socket.close();
            }
            catch (final IOException ignore)
            {
                // closing
            }
        }
    }
}

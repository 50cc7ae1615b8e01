package dev.warren.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo's private HTTP service: the JDK's {@link HttpServer} on 127.0.0.1, answering {@code GET /hello} with a
 * short text, and {@code POST /sha256} with the SHA-256 (hex) and length of the body it read. It stands for an
 * internal web service in the private network. Thread-safe (the JDK server's own threads serve it).
 */
final class DemoHttpService implements AutoCloseable
{
    static final String BODY = "hello from the private HTTP service\n";

    private final HttpServer server;

    private DemoHttpService(final HttpServer server)
    {
        this.server = server;
    }

    static DemoHttpService start() throws IOException
    {
        // The JDK server writes a response's head and body apart; without TCP_NODELAY the body waits for the
        // client's delayed ACK (~40 ms a request). Read once, when the server's configuration class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null)
        {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/hello", exchange ->
        {
            final byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        server.createContext("/sha256", exchange ->
        {
            final MessageDigest digest = sha256();
            long length = 0;
            final byte[] buffer = new byte[64 * 1024];
            try (InputStream in = exchange.getRequestBody())
            {
                int read;
                while ((read = in.read(buffer)) >= 0)
                {
                    digest.update(buffer, 0, read);
                    length += read;
                }
            }
            final byte[] body = (HexFormat.of().formatHex(digest.digest()) + " " + length)
                .getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        // Threads of its own (the default is the server's one dispatcher thread), as a real service would have.
        server.setExecutor(Executors.newFixedThreadPool(4, runnable ->
        {
            final Thread thread = new Thread(runnable, "demo-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return new DemoHttpService(server);
    }

    static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    InetSocketAddress address()
    {
        return server.getAddress();
    }

    String hostPort()
    {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close()
    {
        server.stop(0);
        ((ExecutorService)server.getExecutor()).shutdownNow();
    }
}

package dev.warren.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The demo's private HTTP service: the JDK's {@link HttpServer} on 127.0.0.1, answering {@code GET /hello} with a
 * short text. It stands for an internal web service in the private network. Thread-safe (the JDK server's own
 * threads serve it).
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
        server.start();
        return new DemoHttpService(server);
    }

    String hostPort()
    {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}

package com.example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the private users API: the JDK's own {@link HttpServer} on a loopback port. {@code GET /users} lists
 * the names, one a line; {@code POST /users} adds the body's name and answers 201 with its location. Thread-safe.
 */
public final class UsersApi implements AutoCloseable
{
    private final List<String> names = new CopyOnWriteArrayList<>(List.of("ada", "grace"));
    private final HttpServer server;

    /**
     * Starts the server on {@code 127.0.0.1} and a free port.
     *
     * @throws IOException when it cannot bind.
     */
    public UsersApi() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/users", this::users);
        server.start();
    }

    /** @return the port it listens on. */
    public int port()
    {
        return server.getAddress().getPort();
    }

    private void users(final HttpExchange exchange) throws IOException
    {
        final int status;
        final String body;
        if ("POST".equals(exchange.getRequestMethod()))
        {
            final String name = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            names.add(name);
            status = 201;
            body = "/users/" + (names.size() - 1);
        }
        else
        {
            status = 200;
            body = String.join("\n", names);
        }
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(bytes);
        }
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}

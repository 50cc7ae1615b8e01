package dev.warren.engine;

import com.sun.net.httpserver.HttpServer;
import dev.warren.api.BindingHttpClient;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.ErrorCode;
import dev.warren.api.WarrenException;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Code written for the JDK's HttpClient reaches a private host through a binding, unchanged. */
class BindingHttpClientTest
{
    private HttpServer origin;
    private Edge edge;
    private Connector connector;
    private String base;

    @BeforeEach
    void setUp() throws IOException
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/users", exchange ->
        {
            final byte[] request = exchange.getRequestBody().readAllBytes();
            final byte[] body = (exchange.getRequestMethod() + " " + new String(request, StandardCharsets.UTF_8) +
                " " + exchange.getRequestHeaders().getFirst("X-Trace")).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Served-By", "private");
            exchange.sendResponseHeaders(201, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        origin.createContext("/moved", exchange ->
        {
            exchange.getResponseHeaders().add("Location", "/users");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        origin.start();
        base = "http://127.0.0.1:" + origin.getAddress().getPort();
        edge = Tunnels.edge();
        connector = Tunnels.connector(edge);
    }

    @AfterEach
    void tearDown()
    {
        connector.close();
        edge.close();
        origin.stop(0);
    }

    /** What an application already has: it only receives a client. */
    private static HttpResponse<String> createUser(final HttpClient client, final String base) throws Exception
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/users"))
            .header("X-Trace", "abc")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\"}"))
            .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldSendAndReceiveThroughTheBindingLikeAnyHttpClient() throws Exception
    {
        final HttpResponse<String> response = createUser(BindingHttpClient.of(edge.network(Tunnels.NETWORK)), base);
        assertEquals(201, response.statusCode());
        assertEquals("POST {\"name\":\"Ada\"} abc", response.body());
        assertEquals("private", response.headers().firstValue("x-served-by").orElseThrow());

        final HttpResponse<String> followed = BindingHttpClient.of(edge.network(Tunnels.NETWORK)).send(
            HttpRequest.newBuilder(URI.create(base + "/moved")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, followed.statusCode());
        assertEquals(URI.create(base + "/users"), followed.uri());
        final HttpResponse<Void> manual = BindingHttpClient.of(edge.network(Tunnels.NETWORK))
            .withRedirect(HttpClient.Redirect.NEVER).send(HttpRequest.newBuilder(URI.create(base + "/moved")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(302, manual.statusCode());
    }

    @Test
    void shouldReportUnreachableHostsAsIoExceptionsCarryingTheCode() throws Exception
    {
        final int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            closed = probe.getLocalPort();
        }
        final IOException error = assertThrows(IOException.class, () ->
            BindingHttpClient.of(edge.network(Tunnels.NETWORK)).send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(ErrorCode.CONNECTION_REFUSED, assertInstanceOf(WarrenException.class, error.getCause()).code());
    }
}

package com.example;

import com.sun.net.httpserver.HttpServer;
import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.FetchResponse;
import dev.warren.api.ServiceConfig;
import dev.warren.api.TcpSocket;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * An embedder's program: an edge and a connector in one process (usually two), a private HTTP service reached with a
 * VPC Service's fetch(), and a private TCP echo reached with a VPC Network's connect(). Exits 0 when both answered.
 */
public final class PrivateServicesExample
{
    public static void main(final String[] args) throws Exception
    {
        // Two "private hosts" of our own on loopback.
        final HttpServer users = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        users.createContext("/users", exchange ->
        {
            final byte[] body = "[{\"name\":\"Ada\"}]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        users.start();
        final ServerSocket echo = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
        final Thread echoThread = new Thread(() ->
        {
            try (Socket socket = echo.accept())
            {
                socket.getInputStream().transferTo(socket.getOutputStream());
            }
            catch (final Exception ignore)
            {
                // the example is over
            }
        });
        echoThread.start();

        final String token = "example-token-0123456789";
        try (Edge edge = Warren.startEdge(EdgeConfig.builder()
                .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
                .tunnel("office", token)
                .network("office-net", "office")
                .service(ServiceConfig.http("users-api", "office", "127.0.0.1", users.getAddress().getPort(), 0,
                    CertVerification.VERIFY_FULL))
                .build());
             Connector connector = Warren.startConnector(ConnectorConfig.builder()
                .edge(edge.tunnelAddress())
                .tunnel("office", token)
                .allow("127.0.0.0/8")
                .insecure(true) // one process on loopback; across a network use .tls(ConnectorTlsConfig.caFile(...))
                .build()))
        {
            while (edge.liveConnections("office") == 0)
            {
                Thread.sleep(10);
            }

            // VPC Service: the URL's host only fills Host; the service's configured target gets the request.
            final FetchResponse response = edge.service("users-api").fetch("http://users.internal/users")
                .get(10, TimeUnit.SECONDS);
            System.out.println("fetch: " + response.status() + " " + response.text().get(10, TimeUnit.SECONDS));

            // VPC Network: connect() to the echo, write, half-close, read it back.
            final TcpSocket socket = edge.network("office-net").connect("127.0.0.1:" + echo.getLocalPort());
            final CompletableFuture<String> echoed = new CompletableFuture<>();
            final StringBuilder text = new StringBuilder();
            socket.readable().subscribe(new Flow.Subscriber<>()
            {
                public void onSubscribe(final Flow.Subscription s)
                {
                    s.request(Long.MAX_VALUE);
                }

                public void onNext(final ByteBuffer b)
                {
                    text.append(StandardCharsets.UTF_8.decode(b));
                }

                public void onError(final Throwable t)
                {
                    echoed.completeExceptionally(t);
                }

                public void onComplete()
                {
                    echoed.complete(text.toString());
                }
            });
            socket.write(ByteBuffer.wrap("PING".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            socket.closeWrite();
            System.out.println("connect: echoed " + echoed.get(10, TimeUnit.SECONDS));
        }
        finally
        {
            users.stop(0);
            echo.close();
        }
    }
}

package dev.warren.engine.edge;

import dev.warren.Warren;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A fetch: listener bounds how long a request head may take: slow-loris clients are answered 408 and closed. */
class HttpFrontDoorLimitsTest
{
    private long savedTimeoutNs;
    private Edge edge;
    private int port;

    @BeforeEach
    void setUp()
    {
        savedTimeoutNs = HttpFrontDoorConnection.headTimeoutNs;
        HttpFrontDoorConnection.headTimeoutNs = TimeUnit.MILLISECONDS.toNanos(500);
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .network(Tunnels.NETWORK, Tunnels.TUNNEL)
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), Tunnels.NETWORK))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), Tunnels.NETWORK)
                .withMaxConnections(3))
            .eventLoops(2)
            .build());
        port = edge.listenerAddresses().get(0).getPort();
    }

    @AfterEach
    void tearDown()
    {
        edge.close();
        HttpFrontDoorConnection.headTimeoutNs = savedTimeoutNs;
    }

    private static String readAll(final InputStream in) throws IOException
    {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldAnswerASlowHead408AndCloseAnIdleConnection() throws Exception
    {
        try (Socket slow = new Socket("127.0.0.1", port); Socket idle = new Socket("127.0.0.1", port))
        {
            slow.setSoTimeout(10_000);
            idle.setSoTimeout(10_000);
            slow.getOutputStream().write("GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(
                StandardCharsets.US_ASCII));
            final long start = System.nanoTime();
            final String answer = readAll(slow.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.contains("X-Warren-Error: request_invalid"), answer);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertEquals("", readAll(idle.getInputStream()), "an idle connection is closed without a word");
        }
    }

    @Test
    void shouldTimeEachHeadFromTheEndOfTheResponseBefore() throws Exception
    {
        final com.sun.net.httpserver.HttpServer origin =
            com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange ->
        {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        origin.start();
        final dev.warren.api.Connector connector = Tunnels.connector(edge);
        try (Socket client = new Socket("127.0.0.1", port); Socket idle = new Socket("127.0.0.1", port))
        {
            client.setSoTimeout(10_000);
            idle.setSoTimeout(10_000);
            final String request = "GET http://127.0.0.1:" + origin.getAddress().getPort() + "/ HTTP/1.1\r\n" +
                "Host: x\r\n\r\n";
            // five requests 300 ms apart: 1.5 s in all, three times the 500 ms head timeout, each head in time
            for (int i = 0; i < 5; i++)
            {
                client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                final byte[] head = new byte[12];
                int at = 0;
                while (at < head.length)
                {
                    at += client.getInputStream().read(head, at, head.length - at);
                }
                assertEquals("HTTP/1.1 204", new String(head, StandardCharsets.US_ASCII));
                drainHead(client.getInputStream());
                Thread.sleep(300);
            }
            // then a head that never ends: answered 408 within the timeout, counted from the last response
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(
                StandardCharsets.US_ASCII));
            final long start = System.nanoTime();
            final String answer = readAll(client.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
            assertEquals("", readAll(idle.getInputStream()), "an idle connection is closed without a word");
        }
        finally
        {
            connector.close();
            origin.stop(0);
        }
    }

    @Test
    void shouldRefuseABodyOverTheListenersLimitBeforeItReachesTheHost() throws Exception
    {
        final java.util.concurrent.atomic.AtomicInteger bodiesSeen = new java.util.concurrent.atomic.AtomicInteger();
        final com.sun.net.httpserver.HttpServer origin =
            com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", exchange ->
        {
            final byte[] body = exchange.getRequestBody().readAllBytes();
            bodiesSeen.incrementAndGet();
            final byte[] answer = String.valueOf(body.length).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        origin.start();
        final Edge limited = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .service(dev.warren.api.ServiceConfig.http("web", Tunnels.TUNNEL, "127.0.0.1",
                origin.getAddress().getPort(), 0, dev.warren.api.CertVerification.VERIFY_FULL))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), "web").withMaxBodyBytes(1000))
            .eventLoops(1)
            .build());
        final dev.warren.api.Connector connector = Tunnels.connector(limited);
        final int limitedPort = limited.listenerAddresses().get(0).getPort();
        try
        {
            // at the limit: through
            assertTrue(exchange(limitedPort, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n" +
                "Connection: close\r\n\r\n" + "a".repeat(1000)).startsWith("HTTP/1.1 200 "));
            assertEquals(1, bodiesSeen.get());
            // one byte over, declared: 413 before anything goes upstream, the body never sent
            final String declared = exchange(limitedPort, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n" +
                "\r\n");
            assertTrue(declared.startsWith("HTTP/1.1 413 "), declared);
            assertTrue(declared.contains("X-Warren-Error: request_invalid"), declared);
            // chunked, growing past the limit in its third chunk: 413, and the host never gets a whole request
            final String chunk = "1f4\r\n" + "c".repeat(500) + "\r\n";
            final String chunked = exchange(limitedPort, "POST /c HTTP/1.1\r\nHost: x\r\n" +
                "Transfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk + "0\r\n\r\n");
            assertTrue(chunked.startsWith("HTTP/1.1 413 "), chunked);
            // chunked within the limit: through
            assertTrue(exchange(limitedPort, "POST /d HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" +
                "Connection: close\r\n\r\n" + chunk + chunk + "0\r\n\r\n").startsWith("HTTP/1.1 200 "));
            Thread.sleep(200); // a cut request would have reached the host's handler by now
            assertEquals(2, bodiesSeen.get(), "only the two requests within the limit reached the host whole");
        }
        finally
        {
            connector.close();
            limited.close();
            origin.stop(0);
        }
    }

    private static String exchange(final int port, final String request) throws IOException
    {
        try (Socket client = new Socket("127.0.0.1", port))
        {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readAll(client.getInputStream());
        }
    }

    /** Reads up to the end of a response head that has no body. */
    private static void drainHead(final InputStream in) throws IOException
    {
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("closed in the middle of a head");
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Test
    void shouldStayResponsiveWhileManySlowClientsHoldConnections() throws Exception
    {
        final List<Socket> slow = new ArrayList<>();
        try
        {
            for (int i = 0; i < 1000; i++)
            {
                final Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write("GET http://127.0.0.1:1/ HTTP/1.1\r\nHo".getBytes(
                    StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            try (Socket normal = new Socket("127.0.0.1", port))
            {
                normal.setSoTimeout(5_000);
                normal.getOutputStream().write("GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                    StandardCharsets.US_ASCII));
                final String answer = readAll(normal.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 503 "), "answered at once (no connector): " + answer);
            }
            for (final Socket socket : slow)
            {
                socket.setSoTimeout(10_000);
                final String answer = readAll(socket.getInputStream());
                assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            }
        }
        finally
        {
            for (final Socket socket : slow)
            {
                socket.close();
            }
        }
    }

    @Test
    void shouldTurnAwayClientsBeyondAListenersMaxConnections() throws Exception
    {
        final int limited = edge.listenerAddresses().get(1).getPort();
        final List<Socket> held = new ArrayList<>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                held.add(new Socket("127.0.0.1", limited));
            }
            // the three are accepted (on whichever loops' sockets the kernel put them); then a fourth is answered at
            // once, well within the held ones' 500 ms head timeout
            final ListenerSlots slots = ((FrontDoor)((EdgeRuntime)edge).frontDoor(1)).slots;
            Tunnels.await("the listener holds three clients", () -> slots.open() == 3, 5_000);
            String answer;
            try (Socket extra = new Socket("127.0.0.1", limited))
            {
                extra.setSoTimeout(5_000);
                answer = readAll(extra.getInputStream());
            }
            assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
            assertTrue(answer.contains("X-Warren-Error: connection_limit_reached"), answer);

            held.remove(0).close();
            Tunnels.await("a slot is free again", () ->
            {
                try (Socket again = new Socket("127.0.0.1", limited))
                {
                    again.setSoTimeout(10_000);
                    again.getOutputStream().write("GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
                        StandardCharsets.US_ASCII));
                    // past the limit now: the request itself is answered (no connector in this test)
                    return readAll(again.getInputStream()).contains("X-Warren-Error: destination_unavailable");
                }
                catch (final IOException ex)
                {
                    return false;
                }
            }, 5_000);
        }
        finally
        {
            for (final Socket socket : held)
            {
                socket.close();
            }
        }
    }
}

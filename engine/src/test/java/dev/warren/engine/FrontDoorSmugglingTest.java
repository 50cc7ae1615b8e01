package dev.warren.engine;

import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #7: every SPEC §7 request-smuggling shape, end to end through both kinds of {@code fetch:} listener (the
 * reverse proxy of a VPC Service and the forward proxy of a VPC Network), gets its exact status and
 * {@code X-Warren-Error: request_invalid}, and the private host receives not one byte of it: the origin here is a
 * raw socket server that records every byte of every connection. The same shapes after a valid request on a
 * keep-alive connection: the origin receives exactly the valid request, once. Oversized request line, header block
 * and header count: 414 and 431.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontDoorSmugglingTest
{
    private RecordingOrigin origin;
    private Edge edge;
    private Connector connector;
    private int reverse;
    private int forward;

    /** Answers each request it can frame with 200 "ok"; records every byte it reads, per connection. */
    private static final class RecordingOrigin implements AutoCloseable
    {
        final ServerSocket server;
        final ConcurrentLinkedQueue<ByteArrayOutputStream> connections = new ConcurrentLinkedQueue<>();
        final AtomicInteger requests = new AtomicInteger();
        /** The bytes of each connection that has ended. */
        final ConcurrentLinkedQueue<ByteArrayOutputStream> ended = new ConcurrentLinkedQueue<>();

        RecordingOrigin() throws IOException
        {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            final Thread acceptor = new Thread(() ->
            {
                while (!server.isClosed())
                {
                    try
                    {
                        final Socket socket = server.accept();
                        final Thread serve = new Thread(() -> serve(socket), "origin-connection");
                        serve.setDaemon(true);
                        serve.start();
                    }
                    catch (final IOException ex)
                    {
                        // closed
                    }
                }
            }, "recording-origin");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(final Socket socket)
        {
            final ByteArrayOutputStream seen = new ByteArrayOutputStream();
            connections.add(seen);
            try (socket)
            {
                final InputStream in = socket.getInputStream();
                final OutputStream out = socket.getOutputStream();
                while (true)
                {
                    final String head = readHead(in, seen);
                    if (head == null)
                    {
                        return;
                    }
                    final String lower = head.toLowerCase(Locale.ROOT);
                    if (lower.contains("\r\ntransfer-encoding: chunked"))
                    {
                        // until the last chunk and an empty trailer section (good enough for the valid requests here)
                        final ByteArrayOutputStream body = new ByteArrayOutputStream();
                        while (!body.toString(StandardCharsets.ISO_8859_1).endsWith("0\r\n\r\n"))
                        {
                            final int b = in.read();
                            if (b < 0)
                            {
                                return;
                            }
                            body.write(b);
                            seen.write(b);
                        }
                    }
                    else
                    {
                        final int at = lower.indexOf("\r\ncontent-length: ");
                        if (at >= 0)
                        {
                            final int end = lower.indexOf("\r\n", at + 2);
                            final int length = Integer.parseInt(lower.substring(at + 18, end).trim());
                            for (int i = 0; i < length; i++)
                            {
                                final int b = in.read();
                                if (b < 0)
                                {
                                    return;
                                }
                                seen.write(b);
                            }
                        }
                    }
                    requests.incrementAndGet();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            catch (final IOException ex)
            {
                // reset: the edge gave up on the request
            }
            finally
            {
                ended.add(seen);
            }
        }

        private static String readHead(final InputStream in, final ByteArrayOutputStream seen) throws IOException
        {
            final StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n"))
            {
                final int b = in.read();
                if (b < 0)
                {
                    return null;
                }
                seen.write(b);
                head.append((char)b);
            }
            return head.toString();
        }

        int bytesSeen()
        {
            int total = 0;
            for (final ByteArrayOutputStream connection : connections)
            {
                total += connection.size();
            }
            return total;
        }

        String everything()
        {
            final StringBuilder all = new StringBuilder();
            for (final ByteArrayOutputStream connection : connections)
            {
                all.append(connection.toString(StandardCharsets.ISO_8859_1)).append("\n----\n");
            }
            return all.toString();
        }

        @Override
        public void close() throws IOException
        {
            server.close();
        }
    }

    @BeforeAll
    void setUp() throws IOException
    {
        origin = new RecordingOrigin();
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .network(Tunnels.NETWORK, Tunnels.TUNNEL)
            .service(ServiceConfig.http("web", Tunnels.TUNNEL, "127.0.0.1", origin.server.getLocalPort(), 0,
                CertVerification.VERIFY_FULL))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), "web"))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), Tunnels.NETWORK))
            .eventLoops(2)
            .build());
        reverse = edge.listenerAddresses().get(0).getPort();
        forward = edge.listenerAddresses().get(1).getPort();
        connector = Tunnels.connector(edge);
    }

    @AfterAll
    void tearDown() throws IOException
    {
        connector.close();
        edge.close();
        origin.close();
    }

    /** A shape: its name, the status it must get, and its bytes for a request target ({@code /} or a URL). */
    private record Shape(String name, int status, Function<String, String> bytes)
    {
    }

    private static List<Shape> shapes()
    {
        final List<Shape> shapes = new ArrayList<>();
        // SPEC §7: Content-Length and Transfer-Encoding together, either order and however written
        add(shapes, "CL then TE", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n" +
            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        add(shapes, "TE then CL", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n" +
            "Content-Length: 5\r\n\r\n0\r\n\r\n");
        add(shapes, "CL and TE in odd case", 400, "POST %s HTTP/1.1\r\nHost: a\r\ncontent-LENGTH: 5\r\n" +
            "transfer-ENCODING: CHUNKED\r\n\r\n0\r\n\r\n");
        add(shapes, "CL and TE: identity", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n" +
            "Transfer-Encoding: identity\r\n\r\nhello");
        // SPEC §7: duplicate, differing Content-Length
        add(shapes, "two differing CL", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n" +
            "Content-Length: 6\r\n\r\nhello!");
        add(shapes, "differing CL in one list", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n" +
            "hello!");
        add(shapes, "CL with a sign", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello");
        add(shapes, "CL not a number", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: 5a\r\n\r\nhello");
        add(shapes, "CL negative", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n");
        add(shapes, "CL overflowing", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length: " +
            "99999999999999999999999\r\n\r\n");
        // Transfer-Encoding that is not exactly chunked-last
        add(shapes, "TE chunked then gzip", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip" +
            "\r\n\r\n0\r\n\r\n");
        add(shapes, "TE chunked twice", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n" +
            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        add(shapes, "TE in HTTP/1.0", 400, "POST %s HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "0\r\n\r\n");
        // SPEC §7: bad chunk sizes
        for (final String size : new String[] {"zz", "-5", "0x5", " 5", "5 ", "", "fffffffffffffffff", "5;", "5;=x"})
        {
            add(shapes, "chunk size '" + size + "'", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " +
                "chunked\r\n\r\n" + size + "\r\nhello\r\n0\r\n\r\n");
        }
        add(shapes, "chunk longer than its size", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked" +
            "\r\n\r\n3\r\nhello\r\n0\r\n\r\n");
        add(shapes, "Content-Length in trailers", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked" +
            "\r\n\r\n0\r\nContent-Length: 5\r\n\r\n");
        add(shapes, "bare LF after a chunk size", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked" +
            "\r\n\r\n5\nhello\r\n0\r\n\r\n");
        add(shapes, "bare CR in chunk data's end", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked" +
            "\r\n\r\n5\r\nhello\r0\r\n\r\n");
        // SPEC §7: bare CR or LF in the head
        add(shapes, "bare LF ends the request line", 400, "GET %s HTTP/1.1\nHost: a\r\n\r\n");
        add(shapes, "bare LF ends a field", 400, "GET %s HTTP/1.1\r\nHost: a\nX: y\r\n\r\n");
        add(shapes, "bare LF ends the head", 400, "GET %s HTTP/1.1\r\nHost: a\r\n\n");
        add(shapes, "bare CR in a value", 400, "GET %s HTTP/1.1\r\nHost: a\rX: y\r\n\r\n");
        add(shapes, "bare CR in the request line", 400, "GET %s\rHTTP/1.1\r\nHost: a\r\n\r\n");
        // SPEC §7: whitespace before the colon, obsolete line folding
        add(shapes, "space before colon", 400, "GET %s HTTP/1.1\r\nHost : a\r\n\r\n");
        add(shapes, "tab before colon", 400, "GET %s HTTP/1.1\r\nHost: a\r\nX-A\t: b\r\n\r\n");
        add(shapes, "space before colon in TE", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked" +
            "\r\nContent-Length: 5\r\n\r\nhello");
        add(shapes, "space before colon in CL", 400, "POST %s HTTP/1.1\r\nHost: a\r\nContent-Length : 5\r\n\r\n" +
            "hello");
        add(shapes, "obs-fold", 400, "GET %s HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n");
        add(shapes, "obs-fold with a tab", 400, "GET %s HTTP/1.1\r\nHost: a\r\nX: y\r\n\tz\r\n\r\n");
        add(shapes, "obs-fold of TE", 400, "POST %s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n" +
            "0\r\n\r\n");
        add(shapes, "whitespace before the first field", 400, "GET %s HTTP/1.1\r\n Host: a\r\n\r\n");
        // other head shapes that could let two parsers disagree
        add(shapes, "two Hosts", 400, "GET %s HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        add(shapes, "NUL in a value", 400, "GET %s HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n");
        add(shapes, "no Host", 400, "GET %s HTTP/1.1\r\n\r\n");
        // SPEC §7: every size has a limit
        add(shapes, "request line over 8 KiB", 414, "GET %s" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        add(shapes, "header block over 32 KiB", 431, "GET %s HTTP/1.1\r\nHost: a\r\n" +
            "X-Pad: ".concat("b".repeat(1_000)).concat("\r\n").repeat(33) + "\r\n");
        add(shapes, "one field over 32 KiB", 431, "GET %s HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(40_000) +
            "\r\n\r\n");
        add(shapes, "over 100 fields", 431, "GET %s HTTP/1.1\r\nHost: a\r\n" + "X: y\r\n".repeat(120) + "\r\n");
        return shapes;
    }

    private static void add(final List<Shape> shapes, final String name, final int status, final String format)
    {
        shapes.add(new Shape(name, status, target -> format.replace("%s", target)));
    }

    @Test
    void shouldRefuseEachShapeWithItsStatusAndSendTheOriginNothing() throws Exception
    {
        final String url = "http://127.0.0.1:" + origin.server.getLocalPort();
        final int requestsBefore = origin.requests.get();
        final List<String> wrong = new ArrayList<>();
        for (final Shape shape : shapes())
        {
            for (final int door : new int[] {reverse, forward})
            {
                final String target = door == reverse ? "/" : url + "/";
                final String where = shape.name() + (door == reverse ? " (reverse proxy)" : " (forward proxy)");
                final int bytesBefore = origin.bytesSeen();
                final String answer = exchange(door, shape.bytes().apply(target));
                if (!answer.startsWith("HTTP/1.1 " + shape.status() + " ") ||
                    !answer.contains("X-Warren-Error: request_invalid"))
                {
                    wrong.add(where + ": " + firstLine(answer));
                }
                if (origin.bytesSeen() != bytesBefore)
                {
                    wrong.add(where + ": the origin received " + (origin.bytesSeen() - bytesBefore) + " bytes");
                }
            }
        }
        assertEquals(List.of(), wrong, "origin saw:\n" + origin.everything());
        assertEquals(requestsBefore, origin.requests.get(), "no request reached the origin");
    }

    @Test
    void shouldLetOnlyTheValidRequestBeforeASmuggledOneThrough() throws Exception
    {
        final String url = "http://127.0.0.1:" + origin.server.getLocalPort();
        final List<String> wrong = new ArrayList<>();
        // what the origin receives for the valid request alone, through each door
        final java.util.Map<Integer, Integer> validBytes = new java.util.HashMap<>();
        for (final int door : new int[] {reverse, forward})
        {
            final int before = origin.bytesSeen();
            final String target = door == reverse ? "/" : url + "/";
            assertTrue(exchange(door, "POST " + target + "first HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n" +
                "Connection: close\r\n\r\nfirst").startsWith("HTTP/1.1 200 "));
            validBytes.put(door, origin.bytesSeen() - before);
        }
        final int calibration = origin.requests.get();
        for (final Shape shape : shapes())
        {
            for (final int door : new int[] {reverse, forward})
            {
                final String target = door == reverse ? "/" : url + "/";
                final String where = shape.name() + (door == reverse ? " (reverse proxy)" : " (forward proxy)");
                final int requestsBefore = origin.requests.get();
                final int bytesBefore = origin.bytesSeen();
                final String valid = "POST " + target + "first HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nfirst";
                final String answer = exchange(door, valid + shape.bytes().apply(target));
                final int second = answer.indexOf("HTTP/1.1 ", 1);
                if (!answer.startsWith("HTTP/1.1 200 ") || second < 0 ||
                    !answer.startsWith("HTTP/1.1 " + shape.status() + " ", second))
                {
                    wrong.add(where + ": " + answer.replace("\r\n", " | "));
                }
                if (origin.requests.get() != requestsBefore + 1)
                {
                    wrong.add(where + ": the origin answered " + (origin.requests.get() - requestsBefore) +
                        " requests");
                }
                final int expectedBytes = validBytes.get(door);
                if (origin.bytesSeen() - bytesBefore != expectedBytes)
                {
                    wrong.add(where + ": the origin received " + (origin.bytesSeen() - bytesBefore) +
                        " bytes, the valid request is " + expectedBytes);
                }
            }
        }
        assertEquals(List.of(), wrong, "origin saw:\n" + origin.everything());
        assertEquals(calibration + 2 * shapes().size(), origin.requests.get());
    }

    /** Heads just under the limits are served whole (the input and head buffers grow to them from small). */
    @Test
    void shouldServeHeadsJustUnderTheLimits() throws Exception
    {
        final String url = "http://127.0.0.1:" + origin.server.getLocalPort();
        for (final int door : new int[] {reverse, forward})
        {
            final String target = (door == reverse ? "/" : url + "/") + "p".repeat(7_000);
            final String request = "POST " + target + " HTTP/1.1\r\nHost: a\r\n" +
                "X-Pad: ".concat("b".repeat(1_000)).concat("\r\n").repeat(30) +
                "Content-Length: 70000\r\nConnection: close\r\n\r\n" + "c".repeat(70_000);
            final int before = origin.requests.get();
            final int bytesBefore = origin.bytesSeen();
            final String answer = exchange(door, request);
            assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("ok"), answer);
            assertEquals(before + 1, origin.requests.get());
            assertTrue(origin.bytesSeen() - bytesBefore > 30 * 1_000 + 7_000 + 70_000, "the whole request upstream");
        }
    }

    @Test
    void shouldResetTheUpstreamRequestWhenAMalformedChunkArrivesLater() throws Exception
    {
        final int requestsBefore = origin.requests.get();
        try (Socket client = new Socket("127.0.0.1", reverse))
        {
            client.setSoTimeout(10_000);
            final OutputStream out = client.getOutputStream();
            out.write(("POST /late-bad-chunk HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the head and the good start of the body go upstream (nothing wrong with them yet)
            Tunnels.await("the head upstream", () -> origin.connections.stream()
                .anyMatch(c -> c.toString(StandardCharsets.ISO_8859_1).contains("/late-bad-chunk")), 5_000);
            out.write("lo\r\nzz\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
        // the private host's connection is dropped mid-request: it never gets a whole request, nor the bad bytes
        Tunnels.await("the origin's connection ended", () -> origin.ended.stream()
            .anyMatch(c -> c.toString(StandardCharsets.ISO_8859_1).contains("/late-bad-chunk")), 5_000);
        final String got = origin.ended.stream().map(c -> c.toString(StandardCharsets.ISO_8859_1))
            .filter(c -> c.contains("/late-bad-chunk")).findFirst().orElseThrow();
        final String body = got.substring(got.indexOf("\r\n\r\n", got.indexOf("/late-bad-chunk")) + 4);
        assertTrue("5\r\nhello\r\n".startsWith(body), "only the well-formed start of the body: " + body);
        assertEquals(requestsBefore, origin.requests.get(), "no whole request reached the origin");
    }

    /** Sends {@code request} on a new connection, half-closes, and reads everything until the edge closes. */
    private static String exchange(final int port, final String request) throws IOException
    {
        try (Socket client = new Socket("127.0.0.1", port))
        {
            client.setSoTimeout(10_000);
            try
            {
                client.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                client.shutdownOutput();
            }
            catch (final IOException ex)
            {
                // answered and closed before it read everything: the answer is still there to read
            }
            try
            {
                return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            catch (final java.net.SocketException ex)
            {
                return "(reset: " + ex.getMessage() + ")";
            }
        }
    }

    private static String firstLine(final String answer)
    {
        final int end = answer.indexOf("\r\n");
        return end < 0 ? answer : answer.substring(0, end);
    }
}

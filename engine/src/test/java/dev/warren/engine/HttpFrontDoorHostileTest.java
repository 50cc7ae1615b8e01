package dev.warren.engine;

import com.sun.net.httpserver.HttpServer;
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

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile requests at a {@code fetch:} listener (SPEC §7): every request smuggling shape, oversized lines, heads
 * and chunk sizes, bare CR/LF, folding, and random bytes. Each is answered with {@code request_invalid}: 4xx, or
 * 501/505 for a transfer coding or version not implemented. None reaches the private host, and a well-formed
 * request on a new connection is served right after, so nothing else is disturbed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFrontDoorHostileTest
{
    private final AtomicInteger originRequests = new AtomicInteger();
    private HttpServer origin;
    private Edge edge;
    private Connector connector;
    private int port;

    @BeforeAll
    void setUp() throws IOException
    {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        origin.createContext("/", exchange ->
        {
            originRequests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write("ok".getBytes(StandardCharsets.US_ASCII));
            }
        });
        origin.start();
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
            .service(ServiceConfig.http("web", Tunnels.TUNNEL, "127.0.0.1", origin.getAddress().getPort(), 0,
                CertVerification.VERIFY_FULL))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), "web"))
            .eventLoops(2)
            .build());
        port = edge.listenerAddresses().get(0).getPort();
        connector = Tunnels.connector(edge);
    }

    @AfterAll
    void tearDown()
    {
        connector.close();
        edge.close();
        origin.stop(0);
    }

    static List<String[]> hostile()
    {
        final String post = "POST / HTTP/1.1\r\nHost: a\r\n";
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"CL+TE", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"});
        rows.add(new String[] {"TE+CL", post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"});
        rows.add(new String[] {"differing CL", post + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"});
        rows.add(new String[] {"CL list", post + "Content-Length: 5, 6\r\n\r\nhello!"});
        rows.add(new String[] {"signed CL", post + "Content-Length: +5\r\n\r\nhello"});
        rows.add(new String[] {"TE not last chunked", post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"});
        rows.add(new String[] {"TE unknown", post + "Transfer-Encoding: gzip\r\n\r\n"});
        rows.add(new String[] {"TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"});
        rows.add(new String[] {"bad chunk size", post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"});
        rows.add(new String[] {"chunk size overflow", post + "Transfer-Encoding: chunked\r\n\r\n" +
            "fffffffffffffffff\r\nx\r\n0\r\n\r\n"});
        rows.add(new String[] {"chunk without CRLF", post + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"});
        rows.add(new String[] {"bare LF in head", "GET / HTTP/1.1\nHost: a\r\n\r\n"});
        rows.add(new String[] {"bare CR in head", "GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n"});
        rows.add(new String[] {"space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n"});
        rows.add(new String[] {"obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n z\r\n\r\n"});
        rows.add(new String[] {"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"});
        rows.add(new String[] {"no Host", "GET / HTTP/1.1\r\n\r\n"});
        rows.add(new String[] {"bad token in name", "GET / HTTP/1.1\r\nHost: a\r\nX(y): z\r\n\r\n"});
        rows.add(new String[] {"NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n"});
        rows.add(new String[] {"bad version", "GET / HTTP/2.0\r\nHost: a\r\n\r\n"});
        rows.add(new String[] {"long request line", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n"});
        rows.add(new String[] {"huge header block", "GET / HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(40_000) +
            "\r\n\r\n"});
        rows.add(new String[] {"too many headers", "GET / HTTP/1.1\r\nHost: a\r\n" + "X: y\r\n".repeat(200) + "\r\n"});
        rows.add(new String[] {"userinfo in absolute URL", "GET http://user:pw@a/ HTTP/1.1\r\nHost: a\r\n\r\n"});
        rows.add(new String[] {"https absolute URL", "GET https://a/ HTTP/1.1\r\nHost: a\r\n\r\n"});
        rows.add(new String[] {"CONNECT at a reverse proxy", "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: a\r\n\r\n"});
        return rows;
    }

    @Test
    void shouldRefuseEveryHostileShapeAndLetNoneThrough() throws Exception
    {
        for (final String[] row : hostile())
        {
            final String answer = exchange(row[1].getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(answer.startsWith("HTTP/1.1 4") || answer.startsWith("HTTP/1.1 501 ") ||
                answer.startsWith("HTTP/1.1 505 "), row[0] + ": " + firstLine(answer));
            assertTrue(answer.contains("X-Warren-Error: request_invalid"), row[0] + ": " + answer);
        }
        assertEquals(0, originRequests.get(), "no hostile request reached the private host");
        assertEquals("HTTP/1.1 200 OK", firstLine(exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(
            StandardCharsets.US_ASCII))), "a well-formed request right after is served");
    }

    @Test
    void shouldSurviveRandomBytesAndStillServe() throws Exception
    {
        final Random random = new Random(42);
        final byte[] alphabet = "GETPOST /HTTP1.:\r\n \tHost:a0123456789abcdefChunkedTransfer-EncodingContent-Length"
            .getBytes(StandardCharsets.US_ASCII);
        final int before = originRequests.get();
        for (int i = 0; i < 300; i++)
        {
            final byte[] junk = new byte[1 + random.nextInt(300)];
            for (int j = 0; j < junk.length; j++)
            {
                junk[j] = random.nextInt(4) == 0 ? (byte)random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            final String answer = exchange(junk);
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 "), "junk " + i + ": " + firstLine(answer));
        }
        assertTrue(originRequests.get() - before <= 300, "at most one request per connection");
        assertEquals("HTTP/1.1 200 OK", firstLine(exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(
            StandardCharsets.US_ASCII))));
    }

    /** Sends {@code request} on a new connection, half-closes, and reads everything until the edge closes. */
    private String exchange(final byte[] request) throws IOException
    {
        try (Socket client = new Socket("127.0.0.1", port))
        {
            client.setSoTimeout(10_000);
            try
            {
                client.getOutputStream().write(request);
                client.shutdownOutput();
            }
            catch (final IOException ex)
            {
                // the edge answered and closed before it read everything: the answer is still there to read
            }
            try
            {
                return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            catch (final java.net.SocketException ex)
            {
                return ""; // reset: refused without an answer
            }
        }
    }

    private static String firstLine(final String answer)
    {
        final int end = answer.indexOf("\r\n");
        return end < 0 ? answer : answer.substring(0, end);
    }
}

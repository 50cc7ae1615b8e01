package dev.warren.engine;

import com.sun.net.httpserver.HttpServer;
import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ErrorCode;
import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.api.ListenerConfig;
import dev.warren.api.RedirectMode;
import dev.warren.api.ServiceConfig;
import dev.warren.api.VpcService;
import dev.warren.api.WarrenException;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue #7: a caller trying to escape a VPC Service's target (SPEC §2: "the configured host and port always decide
 * where the request goes"). The service's target is a real origin on 127.0.0.1; two "forbidden" servers, one on
 * another loopback address (127.0.0.9) and one on another port of 127.0.0.1, count every connection they are offered.
 * The connector allows all of 127.0.0.0/8, so only the edge's fence stands between a caller and them. Every shape —
 * absolute-form URLs, {@code CONNECT}, {@code Host} tricks through the reverse-proxy listener, and {@code fetch()}
 * URLs naming another host or port, redirects included — reaches only the target or is refused; the forbidden
 * servers see nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceEscapeTest
{
    private final ConcurrentLinkedQueue<String> originSaw = new ConcurrentLinkedQueue<>();
    private HttpServer origin;
    private Forbidden otherAddress;
    private Forbidden otherPort;
    private Edge edge;
    private Connector connector;
    private int door;

    /** A loopback server that counts the connections it accepts and closes them. */
    private static final class Forbidden implements AutoCloseable
    {
        final ServerSocket server;
        final AtomicInteger accepted = new AtomicInteger();

        Forbidden(final String address) throws IOException
        {
            server = new ServerSocket(0, 50, InetAddress.getByName(address));
            final Thread acceptor = new Thread(() ->
            {
                while (!server.isClosed())
                {
                    try (Socket socket = server.accept())
                    {
                        accepted.incrementAndGet();
                    }
                    catch (final IOException ex)
                    {
                        // closed
                    }
                }
            }, "forbidden-" + address);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String authority()
        {
            return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
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
        otherAddress = new Forbidden("127.0.0.9");
        otherPort = new Forbidden("127.0.0.1");
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        origin.createContext("/", exchange ->
        {
            exchange.getRequestBody().readAllBytes();
            final String path = exchange.getRequestURI().toString();
            originSaw.add(exchange.getRequestMethod() + " " + path + " Host=" +
                exchange.getRequestHeaders().get("Host"));
            if (path.startsWith("/redirect"))
            {
                exchange.getResponseHeaders().add("Location", "http://" + otherAddress.authority() + "/landed");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            final byte[] body = ("target " + path).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
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
        door = edge.listenerAddresses().get(0).getPort();
        connector = Tunnels.connector(edge, Tunnels.connectorConfig(edge).allow("127.0.0.0/8").build());
    }

    @AfterAll
    void tearDown() throws IOException
    {
        connector.close();
        edge.close();
        origin.stop(0);
        otherAddress.close();
        otherPort.close();
    }

    @BeforeEach
    void clear()
    {
        originSaw.clear();
    }

    @Test
    void shouldSendEveryFrontDoorRequestToTheTargetWhateverItNames() throws Exception
    {
        final String evil = otherAddress.authority();
        final String sameHostOtherPort = otherPort.authority();
        // absolute-form: the URL's authority becomes Host, nothing more
        assertServed("GET http://" + evil + "/a HTTP/1.1\r\nHost: " + evil + "\r\n\r\n", "/a", evil);
        assertServed("GET http://" + sameHostOtherPort + "/b HTTP/1.1\r\nHost: x\r\n\r\n", "/b", sameHostOtherPort);
        assertServed("GET HTTP://" + evil + "/c?q=1 HTTP/1.1\r\nHost: x\r\n\r\n", "/c?q=1", evil);
        assertServed("GET http://" + evil + " HTTP/1.1\r\nHost: x\r\n\r\n", "/", evil);
        // Host tricks in origin-form: Host is only a header
        assertServed("GET /d HTTP/1.1\r\nHost: " + evil + "\r\n\r\n", "/d", evil);
        assertServed("GET //" + evil + "/f HTTP/1.1\r\nHost: x\r\n\r\n", "//" + evil + "/f", "x");
        // refused outright
        assertRefused("CONNECT " + evil + " HTTP/1.1\r\nHost: " + evil + "\r\n\r\n", 405);
        assertRefused("CONNECT " + sameHostOtherPort + " HTTP/1.1\r\nHost: x\r\n\r\n", 405);
        assertRefused("GET /e HTTP/1.1\r\nHost: a@" + evil + "\r\n\r\n", 400); // userinfo in Host
        assertRefused("GET /g HTTP/1.1\r\nHost: x\r\nHost: " + evil + "\r\n\r\n", 400);
        assertRefused("GET /h HTTP/1.1\r\nHost: " + evil + "\r\nHost: " + evil + "\r\n\r\n", 400);
        assertRefused("GET http://a@" + evil + "/i HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRefused("GET http://" + evil + "@127.0.0.1/j HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRefused("GET https://" + evil + "/k HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertRefused("GET ftp://" + evil + "/l HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        // a keep-alive connection whose second request names another host still reaches the target
        try (Socket client = new Socket("127.0.0.1", door))
        {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(("GET /m1 HTTP/1.1\r\nHost: x\r\n\r\nGET http://" + evil + "/m2 HTTP/1.1" +
                "\r\nHost: " + evil + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final String answers = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answers.contains("target /m1") && answers.contains("target /m2"), answers);
        }
        assertNothingReachedTheForbiddenServers();
    }

    @Test
    void shouldSendEveryFetchToTheTargetWhateverItsUrlNames() throws Exception
    {
        final VpcService web = edge.service("web");
        final String evil = otherAddress.authority();
        for (final String url : List.of("http://" + evil + "/a", "http://" + otherPort.authority() + "/b",
            "http://127.0.0.9/c", "http://[::1]:" + otherPort.server.getLocalPort() + "/d",
            "http://localhost:" + otherPort.server.getLocalPort() + "/e", "http://evil.example:6666/f"))
        {
            final FetchResponse response = web.fetch(url).get(10, TimeUnit.SECONDS);
            final String path = url.substring(url.lastIndexOf('/'));
            assertEquals(200, response.status(), url);
            assertEquals("target " + path, response.text().get(10, TimeUnit.SECONDS), url);
        }
        // a followed redirect to the forbidden server goes through the same binding: the target again
        final FetchResponse redirected = web.fetch("http://" + evil + "/redirect").get(10, TimeUnit.SECONDS);
        assertEquals(200, redirected.status());
        assertTrue(redirected.redirected());
        assertEquals("target /landed", redirected.text().get(10, TimeUnit.SECONDS));
        final FetchResponse manual = web.fetch(FetchRequest.builder("http://" + evil + "/redirect")
            .redirect(RedirectMode.MANUAL).build()).get(10, TimeUnit.SECONDS);
        assertEquals(302, manual.status());
        // https is not configured on this service: refused, not downgraded nor sent elsewhere
        try
        {
            web.fetch("https://" + evil + "/n").get(10, TimeUnit.SECONDS);
            fail("https on a service without httpsPort");
        }
        catch (final ExecutionException | CompletionException | WarrenException ex)
        {
            final Throwable cause = ex instanceof WarrenException ? ex : ex.getCause();
            assertTrue(cause instanceof WarrenException, String.valueOf(cause));
            assertEquals(ErrorCode.REQUEST_INVALID, ((WarrenException)cause).code(), cause.getMessage());
        }
        assertNothingReachedTheForbiddenServers();
    }

    private void assertServed(final String request, final String path, final String host) throws IOException
    {
        final String answer = exchange(request);
        assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("target " + path), request + " -> " + answer);
        assertTrue(originSaw.contains("GET " + path + " Host=[" + host + "]"), request + ": the target saw " +
            originSaw);
    }

    private void assertRefused(final String request, final int status) throws IOException
    {
        final int before = originSaw.size();
        final String answer = exchange(request);
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), request + " -> " + answer);
        assertTrue(answer.contains("X-Warren-Error: request_invalid"), answer);
        assertEquals(before, originSaw.size(), request + ": refused before any origin");
    }

    private void assertNothingReachedTheForbiddenServers()
    {
        assertEquals(0, otherAddress.accepted.get(), "connections to " + otherAddress.authority());
        assertEquals(0, otherPort.accepted.get(), "connections to " + otherPort.authority());
    }

    private String exchange(final String request) throws IOException
    {
        try (Socket client = new Socket("127.0.0.1", door))
        {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            client.shutdownOutput();
            return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

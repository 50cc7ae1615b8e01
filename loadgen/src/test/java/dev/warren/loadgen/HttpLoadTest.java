package dev.warren.loadgen;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.warren.loadgen.report.JsonReport;
import dev.warren.loadgen.report.LoadReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code loadgen http}, direct, against the JDK's HTTP server on loopback. */
class HttpLoadTest
{
    private static final byte[] HELLO = "hello, load".getBytes(StandardCharsets.US_ASCII);

    static
    {
        // The JDK's server writes a response's head and body apart; with Nagle on, the body would wait for the
        // client's delayed ACK (40 ms) on every response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    @TempDir
    static Path folder;

    private static HttpServer server;
    private static ExecutorService executor;
    private static final AtomicLong posted = new AtomicLong();
    private static final AtomicReference<String> lastPost = new AtomicReference<>();

    @BeforeAll
    static void startServer() throws IOException
    {
        executor = Executors.newFixedThreadPool(8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/ok", exchange -> answer(exchange, 200, HELLO, false));
        server.createContext("/fail", exchange -> answer(exchange, 500, HELLO, false));
        server.createContext("/chunked", exchange -> answer(exchange, 200, new byte[5000], true));
        server.createContext("/close", exchange ->
        {
            exchange.getResponseHeaders().set("Connection", "close");
            answer(exchange, 200, HELLO, false);
        });
        server.createContext("/post", exchange ->
        {
            final byte[] body = exchange.getRequestBody().readAllBytes();
            posted.incrementAndGet();
            lastPost.set(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("X-Test") + " " +
                new String(body, StandardCharsets.UTF_8));
            answer(exchange, 201, new byte[0], false);
        });
        server.start();
    }

    @AfterAll
    static void stopServer()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    static void answer(final HttpExchange exchange, final int status, final byte[] body, final boolean chunked)
        throws IOException
    {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, chunked ? 0 : body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    static String url(final String path)
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void shouldRunAClosedLoopWithoutErrorsAndCount2xx() throws IOException
    {
        final Path json = folder.resolve("closed.json");
        final CommandRun run = CommandRun.of("http", "-c", "4", "-t", "2", "-d", "2s", "-w", "200ms", "--json",
            json.toString(), url("/ok"));
        System.out.println(run);
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals("http", report.mode());
        assertEquals("GET", report.pattern());
        assertEquals(0, report.errorsTotal(), run::toString);
        assertTrue(report.requests() > 100, run::toString);
        assertEquals(Map.of("2xx", report.requests()), report.statuses(), run::toString);
        assertTrue(report.bytesIn() > report.requests() * HELLO.length, run::toString);
        assertTrue(run.out().contains("status    2xx " + report.requests()), run::toString);
    }

    @Test
    void shouldCount5xxApartFromErrors() throws IOException
    {
        final Path json = folder.resolve("fail.json");
        final CommandRun run = CommandRun.of("http", "-c", "2", "-t", "1", "-d", "500ms", "-w", "100ms", "--json",
            json.toString(), url("/fail"));
        // non-2xx is counted by class, as wrk does, and is no error: --max-errors 0 still passes
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals(0, report.errorsTotal(), run::toString);
        assertTrue(report.requests() > 0, run::toString);
        assertEquals(Map.of("5xx", report.requests()), report.statuses(), run::toString);
        assertEquals(report.requests(), report.non2xx());
        assertTrue(run.out().contains("non-2xx " + report.requests()), run::toString);
    }

    @Test
    void shouldAchieveTheRateInAnOpenLoop() throws IOException
    {
        final Path json = folder.resolve("open.json");
        final CommandRun run = CommandRun.of("http", "-R", "500", "-c", "8", "-t", "2", "-d", "3s", "-w", "200ms",
            "--json", json.toString(), url("/ok"));
        System.out.println(run);
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        final LoadReport report = JsonReport.read(json);
        assertEquals(0, report.errorsTotal(), run::toString);
        assertEquals(1500, report.requests(), 15, run::toString);
        assertTrue(report.achievedRatio() >= 0.99, run::toString);
        assertEquals(Map.of("2xx", report.requests()), report.statuses(), run::toString);
    }

    @Test
    void shouldFrameChunkedBodiesAndReopenClosedConnections() throws IOException
    {
        for (final String path : new String[] {"/chunked", "/close"})
        {
            final Path json = folder.resolve(path.substring(1) + ".json");
            final CommandRun run = CommandRun.of("http", "-c", "2", "-t", "1", "-d", "400ms", "-w", "100ms",
                "--json", json.toString(), url(path));
            assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
            final LoadReport report = JsonReport.read(json);
            assertEquals(0, report.errorsTotal(), run::toString);
            assertTrue(report.requests() > 10, run::toString);
            assertEquals(Map.of("2xx", report.requests()), report.statuses(), run::toString);
        }
    }

    @Test
    void shouldCountABodyThatIsNotTheExpectedFileAsAMismatchNotASuccess() throws IOException
    {
        final Path hello = Files.write(folder.resolve("hello.bin"), HELLO);
        final Path zeros = Files.write(folder.resolve("zeros.bin"), new byte[5000]);
        final Path other = Files.write(folder.resolve("other.bin"), "hello, LOAD".getBytes(StandardCharsets.US_ASCII));
        final Path longer = Files.write(folder.resolve("longer.bin"), "hello, load!".getBytes(StandardCharsets.US_ASCII));
        final Path shorter = Files.write(folder.resolve("shorter.bin"), new byte[4999]);
        // the right bytes, Content-Length and chunked; a 5xx body is not checked (it is counted as a 5xx)
        final String[][] good = {{"/ok", hello.toString()}, {"/chunked", zeros.toString()}, {"/fail", other.toString()}};
        for (final String[] each : good)
        {
            final Path json = folder.resolve("expect-good.json");
            final CommandRun run = CommandRun.of("http", "-c", "2", "-t", "1", "-d", "300ms", "-w", "0s",
                "--expect-body-file", each[1], "--json", json.toString(), url(each[0]));
            assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
            final LoadReport report = JsonReport.read(json);
            assertEquals(0, report.errorsTotal(), run::toString);
            assertTrue(report.requests() > 0, run::toString);
        }
        // a corrupted body, one longer and one cut short than expected: each response is a mismatch error
        final String[][] bad = {{"/ok", other.toString(), "differs from the expected at byte 7"},
            {"/ok", longer.toString(), "cut short"}, {"/chunked", shorter.toString(), "longer than the 4999"}};
        for (final String[] each : bad)
        {
            final Path json = folder.resolve("expect-bad.json");
            final CommandRun run = CommandRun.of("http", "-c", "1", "-d", "300ms", "-w", "0s", "--max-errors",
                "1000000", "--expect-body-file", each[1], "--json", json.toString(), url(each[0]));
            assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
            final LoadReport report = JsonReport.read(json);
            assertTrue(report.errorsTotal() > 0, run::toString);
            assertEquals(Map.of("mismatch", report.errorsTotal()), report.errors(), run::toString);
            assertEquals(Map.of(), report.statuses(), run::toString);
            assertTrue(run.out().contains(each[2]), run::toString);
        }
    }

    @Test
    void shouldSendTheMethodHeadersAndBody() throws IOException
    {
        final Path body = Files.writeString(folder.resolve("body.txt"), "from a file");
        final CommandRun run = CommandRun.of("http", "-X", "put", "-H", "X-Test: yes", "--body-file", body.toString(),
            "-c", "1", "-d", "200ms", "-w", "0s", url("/post"));
        assertEquals(LoadgenCommand.EXIT_OK, run.status(), run::toString);
        assertTrue(posted.get() > 0, run::toString);
        assertEquals("PUT yes from a file", lastPost.get(), run::toString);
        assertTrue(run.out().contains("warren loadgen http PUT"), run::toString);
        assertTrue(run.out().contains("2xx"), run::toString);
    }

    @Test
    void shouldCountAServerThatIsNotThereAsConnectErrors() throws IOException
    {
        final int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final CommandRun run = CommandRun.of("http", "-c", "1", "-d", "200ms", "http://127.0.0.1:" + port + "/");
        assertEquals(LoadgenCommand.EXIT_FAILED, run.status(), run::toString);
        assertTrue(run.err().contains("no connection could be opened: connect"), run::toString);
    }

    @Test
    void shouldRefuseWrongHttpCommandLines()
    {
        final String[][] cases = {
            {"http"}, {"give the URL"},
            {"http", "https://example.com/"}, {"https goes only --via a binding"},
            {"http", "127.0.0.1:80"}, {"an absolute http URL expected"},
            {"http", "-H", "nocolon", "http://a/"}, {"-H takes 'Name: value'"},
            {"http", "-H", "Content-Length: 5", "http://a/"}, {"framing is set by --body"},
            {"http", "--body", "x", "-X", "GET", "http://a/"}, {"GET takes no body"},
            {"http", "-H", "Bad Name: x", "http://a/"}, {"cannot write the request"},
            {"http", "--binding", "n", "http://a/"}, {"--binding needs --via"},
            {"http", "--expect-body-file", "/no/such/file", "http://a/"}, {"cannot read --expect-body-file"},
        };
        for (int i = 0; i < cases.length; i += 2)
        {
            final CommandRun run = CommandRun.of(cases[i]);
            assertEquals(LoadgenCommand.EXIT_USAGE, run.status(), run::toString);
            assertTrue(run.err().contains(cases[i + 1][0]), run::toString);
        }
    }
}

package dev.warren;

import com.sun.net.httpserver.HttpServer;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code of docs/EMBEDDING.md, run for real: an edge, a connector, {@code fetch()} from a real HTTP server and
 * {@code connect()} to a real echo server, both on loopback. The guide's snippet is the region between the two
 * marker comments below, character for character (indentation aside), which
 * {@link #shouldShowInTheGuideExactlyTheCodeThisTestRuns()} checks; it stays under 30 lines.
 */
class EmbeddingGuideTest
{
    private static final String BEGIN = "// ---- EMBEDDING.md snippet begin ----";
    private static final String END = "// ---- EMBEDDING.md snippet end ----";
    private static final String GUIDE_MARKER = "<!-- snippet: EmbeddingGuideTest -->";
    private static final String UPLOAD_BEGIN = "// ---- EMBEDDING.md upload snippet begin ----";
    private static final String UPLOAD_END = "// ---- EMBEDDING.md upload snippet end ----";
    private static final String UPLOAD_GUIDE_MARKER = "<!-- snippet: EmbeddingGuideTest upload -->";

    @Test
    @Timeout(30)
    void shouldFetchAndEchoThroughTheTunnelAsTheGuideShows() throws Exception
    {
        final HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        web.createContext("/hello", exchange ->
        {
            final byte[] body = ("hello from " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        web.start();
        try (EchoServer echo = new EchoServer())
        {
            assertEquals("hello from /hello | hello, private host",
                fetchAndEcho("127.0.0.1:" + web.getAddress().getPort(), echo.address()));
        }
        finally
        {
            web.stop(0);
        }
    }

    @Test
    @Timeout(60)
    void shouldStreamAFileUploadAsTheGuideShows(@TempDir final Path folder) throws Exception
    {
        final HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        web.createContext("/backups/", exchange ->
        {
            final MessageDigest digest = Payloads.sha256();
            try (InputStream in = exchange.getRequestBody())
            {
                final byte[] buffer = new byte[64 * 1024];
                int read;
                while ((read = in.read(buffer)) >= 0)
                {
                    digest.update(buffer, 0, read);
                }
            }
            final byte[] body = (exchange.getRequestMethod() + " " + exchange.getRequestHeaders()
                .getFirst("Content-Length") + " " + HexFormat.of().formatHex(digest.digest()))
                .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        web.start();
        final Path file = folder.resolve("backup.bin");
        final byte[] content = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(content);
        Files.write(file, content);
        final Edge edge = Tunnels.edge();
        try (edge; Connector connector = Tunnels.connector(edge))
        {
            final VpcNetwork net = edge.network(Tunnels.NETWORK);
            assertEquals("PUT " + content.length + " " + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(content)),
                upload(net, "127.0.0.1:" + web.getAddress().getPort(), file));
        }
        finally
        {
            web.stop(0);
        }
    }

    private static String upload(final VpcNetwork net, final String httpAddress, final Path file) throws Exception
    {
        // ---- EMBEDDING.md upload snippet begin ----
        Path backup = file;                                             // say, 10 GiB: never read into memory whole
        FetchResponse response = net.fetch(FetchRequest.builder("http://" + httpAddress + "/backups/today")
                .method("PUT")
                .body(HttpRequest.BodyPublishers.ofFile(backup), Files.size(backup)) // streamed, Content-Length
                .timeout(Duration.ofMinutes(30))                        // until the response head: the upload included
                .build())
            .get(30, TimeUnit.MINUTES);
        String answer = response.text().join();
        // ---- EMBEDDING.md upload snippet end ----
        return answer;
    }

    @Test
    void shouldShowInTheGuideExactlyTheUploadThisTestRuns() throws IOException
    {
        assertGuideShows(UPLOAD_BEGIN, UPLOAD_END, UPLOAD_GUIDE_MARKER);
    }

    @Test
    void shouldKeepTheGuideSnippetUnderThirtyLines() throws IOException
    {
        final List<String> source = Files.readAllLines(Path.of("src/test/java/dev/warren/EmbeddingGuideTest.java"));
        final int begin = indexOf(source, BEGIN, 0);
        final int lines = indexOf(source, END, begin) - begin - 1;
        assertTrue(lines < 30, "the guide promises fetch() and connect() in under 30 lines; the snippet has " + lines);
    }

    @Test
    void shouldShowInTheGuideExactlyTheCodeThisTestRuns() throws IOException
    {
        assertGuideShows(BEGIN, END, GUIDE_MARKER);
    }

    /** The guide's block after {@code guideMarker} is the test's region between {@code begin} and {@code end}. */
    private static void assertGuideShows(final String begin, final String end, final String guideMarker)
        throws IOException
    {
        final List<String> source = Files.readAllLines(Path.of("src/test/java/dev/warren/EmbeddingGuideTest.java"));
        final List<String> guide = Files.readAllLines(Path.of("../docs/EMBEDDING.md"));
        final int from = indexOf(source, begin, 0);
        final List<String> testRegion = dedent(source.subList(from + 1, indexOf(source, end, from)));
        final int marker = indexOf(guide, guideMarker, 0);
        final int fence = indexOf(guide, "```java", marker);
        final List<String> guideBlock = guide.subList(fence + 1, indexOf(guide, "```", fence + 1));
        assertEquals(String.join("\n", testRegion), String.join("\n", guideBlock),
            "docs/EMBEDDING.md's snippet after " + guideMarker + " drifted from EmbeddingGuideTest: copy the " +
            "region between the markers");
    }

    private static String fetchAndEcho(final String httpAddress, final String echoAddress) throws Exception
    {
        // ---- EMBEDDING.md snippet begin ----
        try (Edge edge = Warren.startEdge(EdgeConfig.builder()
                 .tunnelListen(new InetSocketAddress("127.0.0.1", 0))  // 0: any free port
                 .tunnel("office", "office-token-0123456789")          // tunnel id and its secret (16+ chars)
                 .network("office-net", "office")                      // a VPC Network binding on that tunnel
                 .build());
             Connector connector = Warren.startConnector(ConnectorConfig.builder()
                 .edge(edge.tunnelAddress())                           // the connector dials out to the edge
                 .tunnel("office", "office-token-0123456789")
                 .allow("127.0.0.0/8").insecure(true)                  // where it may go; plaintext: one process (3c)
                 .build()))
        {
            while (edge.liveConnections("office") == 0) { Thread.sleep(10); } // wait for the connector
            VpcNetwork net = edge.network("office-net");
            String page = net.fetch("http://" + httpAddress + "/hello").get(5, TimeUnit.SECONDS).text().join();
            TcpSocket socket = net.connect(echoAddress);               // "host:port"
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CompletableFuture<String> reply = new CompletableFuture<>();
            socket.readable().subscribe(new Flow.Subscriber<ByteBuffer>() { // runs on an event loop: never block
                public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
                public void onNext(ByteBuffer bytes) { while (bytes.hasRemaining()) received.write(bytes.get()); }
                public void onError(Throwable failure) { reply.completeExceptionally(failure); }
                public void onComplete() { reply.complete(received.toString(StandardCharsets.UTF_8)); }
            });
            socket.write(ByteBuffer.wrap("hello, private host".getBytes(StandardCharsets.UTF_8))).join();
            socket.closeWrite().join();                                // the echo server sees end-of-stream
            String echoed = reply.get(5, TimeUnit.SECONDS);            // the echo, then end-of-stream
            connector.drain(Duration.ofSeconds(5)).join();             // graceful: let streams finish
            return page + " | " + echoed;
        }                                                              // close() both
        // ---- EMBEDDING.md snippet end ----
    }

    private static int indexOf(final List<String> lines, final String marker, final int from)
    {
        for (int i = from; i < lines.size(); i++)
        {
            if (lines.get(i).trim().equals(marker))
            {
                return i;
            }
        }
        throw new AssertionError("marker not found: " + marker);
    }

    private static List<String> dedent(final List<String> lines)
    {
        int indent = Integer.MAX_VALUE;
        for (final String line : lines)
        {
            if (!line.isBlank())
            {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        final List<String> result = new ArrayList<>();
        for (final String line : lines)
        {
            result.add(line.isBlank() ? "" : line.substring(indent));
        }
        return result;
    }
}

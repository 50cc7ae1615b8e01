package dev.warren.bench;

import dev.warren.Warren;
import dev.warren.api.CertVerification;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.api.ServiceConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * An in-process HTTP round trip through the whole product over loopback TCP: the benchmark thread sends a keep-alive
 * {@code GET} to the edge's {@code fetch:} listener (a reverse proxy into a VPC Service) on a blocking socket; the
 * edge rewrites the head and opens an http stream on its tunnel connection; the connector takes a pooled connection
 * to {@link BenchHttpOrigin} and relays the request; the response comes back the same way, its head rewritten at the
 * edge. One op is one request and its whole response, one in flight.
 * <p>
 * The client and the origin allocate nothing per request (direct buffers, a fixed request and response), so
 * {@code -prof gc}'s {@code gc.alloc.rate.norm} is what the edge and the connector allocate per request; issue 6's
 * target is at most 64 bytes. Edge and connector run one event loop each; the connector keeps one tunnel connection.
 */
@State(Scope.Benchmark)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HttpRoundTripBenchmark
{
    private static final String SERVICE = "bench-web";
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    BenchHttpOrigin origin;
    Edge edge;
    Connector connector;
    SocketChannel client;
    private final ByteBuffer request = ByteBuffer.allocateDirect(128);
    private final ByteBuffer response = ByteBuffer.allocateDirect(4096);
    /** The length of one whole response as the edge sends it (head rewritten, body), measured at set-up. */
    int responseLength;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        origin = new BenchHttpOrigin();
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(RoundTripBenchmark.TUNNEL, RoundTripBenchmark.TOKEN)
            .service(ServiceConfig.http(SERVICE, RoundTripBenchmark.TUNNEL, "127.0.0.1", origin.port(), 0,
                CertVerification.VERIFY_FULL))
            .listener(ListenerConfig.fetch(new InetSocketAddress("127.0.0.1", 0), SERVICE))
            .eventLoops(1)
            .build());
        connector = Warren.startConnector(ConnectorConfig.builder()
            .edge(edge.tunnelAddress())
            .tunnel(RoundTripBenchmark.TUNNEL, RoundTripBenchmark.TOKEN)
            .haConnections(1)
            .eventLoops(1)
            .reconnect(Duration.ofMillis(20), Duration.ofMillis(200))
            .allow("127.0.0.0/8")
            .insecure(true) // one process, loopback: a plaintext tunnel, like RoundTripBenchmark
            .build());
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (edge.liveConnections(RoundTripBenchmark.TUNNEL) < 1)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the connector did not connect to the edge within 10 s");
            }
            Thread.sleep(5);
        }
        client = SocketChannel.open(edge.listenerAddresses().get(0));
        client.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        request.put("GET /hello HTTP/1.1\r\nHost: web.internal\r\nUser-Agent: bench\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII)).flip();
        responseLength = firstResponseLength();
    }

    /** Sends one request and reads its response by its head: the length every later response has. */
    private int firstResponseLength() throws IOException
    {
        request.rewind();
        while (request.hasRemaining())
        {
            client.write(request);
        }
        response.clear();
        final StringBuilder text = new StringBuilder();
        int headEnd = -1;
        while (headEnd < 0)
        {
            if (client.read(response) < 0)
            {
                throw new IOException("the edge closed the connection: " + text);
            }
            text.setLength(0);
            for (int i = 0; i < response.position(); i++)
            {
                text.append((char)(response.get(i) & 0xFF));
            }
            headEnd = text.indexOf("\r\n\r\n");
        }
        final String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        if (!head.startsWith("http/1.1 200"))
        {
            throw new IOException("the first response is not a 200: " + text);
        }
        final int at = head.indexOf("content-length:");
        final int lineEnd = head.indexOf("\r\n", at);
        final int length = headEnd + 4 + Integer.parseInt(head.substring(at + 15, lineEnd < 0 ? head.length() :
            lineEnd).trim());
        while (response.position() < length)
        {
            if (client.read(response) < 0)
            {
                throw new IOException("the edge closed the connection in the first response's body");
            }
        }
        return length;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        try
        {
            if (client != null)
            {
                client.close();
            }
        }
        finally
        {
            if (connector != null)
            {
                connector.close();
            }
            if (edge != null)
            {
                edge.close();
            }
            if (origin != null)
            {
                origin.close();
            }
        }
    }

    /** One request and its response; score in µs per request. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int httpRoundTrip() throws IOException
    {
        return exchange();
    }

    /** The buffer the last response was read into (position: its end); for tests. */
    ByteBuffer responseBuffer()
    {
        return response;
    }

    int exchange() throws IOException
    {
        final ByteBuffer out = request;
        out.rewind();
        while (out.hasRemaining())
        {
            client.write(out);
        }
        final ByteBuffer in = response;
        in.clear().limit(responseLength);
        while (in.hasRemaining())
        {
            if (client.read(in) < 0)
            {
                throw new IOException("the edge closed the connection");
            }
        }
        return in.get(9); // the status's first digit, so the read is used
    }
}

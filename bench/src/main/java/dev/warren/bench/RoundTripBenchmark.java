package dev.warren.bench;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.TcpSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * An in-process round trip through the whole tunnel over loopback TCP: the benchmark thread writes
 * {@link #payload} bytes to a {@link TcpSocket} opened through the edge's network binding; they cross the edge's
 * event loop, the tunnel connection, the connector's event loop, reach {@link BenchEchoServer} on 127.0.0.1, and come
 * back the same way to the socket's {@link Flow.Subscriber}, which adds them to a volatile counter. The benchmark
 * thread spins until the counter shows the whole echo. One op is one round trip, one stream, one request in flight.
 * <p>
 * Edge and connector each run one event loop; the connector keeps one tunnel connection. Four threads are busy per
 * round trip (the benchmark thread, two loops, the echo server), so on a small machine the score includes thread
 * wake-ups and scheduling, as a real deployment's would. The public API allocates per write and per read (see
 * {@code docs/PERFORMANCE.md}); {@code -prof gc} reports it.
 */
@State(Scope.Benchmark)
@Threads(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoundTripBenchmark
{
    static final String TUNNEL = "bench";
    static final String TOKEN = "bench-token-0123456789abcdef";
    static final String NETWORK = "bench-net";
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @Param({"64", "1024"})
    public int payload;

    BenchEchoServer echo;
    Edge edge;
    Connector connector;
    TcpSocket socket;
    final CountingSubscriber reader = new CountingSubscriber();
    private ByteBuffer request;
    /** Bytes sent so far; the echo is complete when {@link CountingSubscriber#received} reaches it. */
    long sent;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        echo = new BenchEchoServer();
        edge = Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(TUNNEL, TOKEN)
            .network(NETWORK, TUNNEL)
            .eventLoops(1)
            .build());
        connector = Warren.startConnector(ConnectorConfig.builder()
            .edge(edge.tunnelAddress())
            .tunnel(TUNNEL, TOKEN)
            .haConnections(1)
            .eventLoops(1)
            .reconnect(Duration.ofMillis(20), Duration.ofMillis(200))
            .allow("127.0.0.0/8")
            .insecure(true) // measures the plaintext tunnel
            .build());
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (edge.liveConnections(TUNNEL) < 1)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the connector did not connect to the edge within 10 s");
            }
            Thread.sleep(5);
        }
        socket = edge.network(NETWORK).connect(echo.address());
        socket.opened().get(10, TimeUnit.SECONDS);
        socket.readable().subscribe(reader);
        reader.subscribed.get(10, TimeUnit.SECONDS);

        final byte[] bytes = new byte[payload];
        for (int i = 0; i < payload; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }
        request = ByteBuffer.wrap(bytes);
        sent = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        try
        {
            if (socket != null)
            {
                socket.close();
                socket.closed().get(10, TimeUnit.SECONDS);
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
            if (echo != null)
            {
                echo.close();
            }
        }
    }

    /** One round trip; score in µs per round trip. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long roundTrip() throws Exception
    {
        return sendAndAwaitEcho();
    }

    /** The same round trip; score in round trips per second (one in flight). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long roundTripThroughput() throws Exception
    {
        return sendAndAwaitEcho();
    }

    long sendAndAwaitEcho() throws Exception
    {
        final ByteBuffer data = request;
        data.clear();
        final CompletableFuture<Void> written = socket.write(data);
        final long expected = sent + payload;
        sent = expected;
        long received;
        int spins = 0;
        long deadline = 0;
        while ((received = reader.received) < expected)
        {
            Thread.onSpinWait();
            if ((++spins & 0xFFFF) == 0)
            {
                final long now = System.nanoTime();
                if (deadline == 0)
                {
                    deadline = now + TIMEOUT_NS;
                }
                else if (now > deadline)
                {
                    throw new IllegalStateException("no echo within 10 s: received " + received + " of " + expected +
                        ", failure: " + reader.failure);
                }
            }
        }
        // The echo cannot arrive before the tunnel took the bytes; the future completes on the edge's loop, maybe a
        // moment after. The buffer is reused, so wait for it.
        if (!written.isDone())
        {
            written.get(10, TimeUnit.SECONDS);
        }
        return received;
    }

    /** Requests everything at once and counts what arrives; runs on the edge's event loop (one writer). */
    static final class CountingSubscriber implements Flow.Subscriber<ByteBuffer>
    {
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        volatile long received;
        volatile Throwable failure;
        volatile boolean completed;

        @Override
        public void onSubscribe(final Flow.Subscription subscription)
        {
            subscription.request(Long.MAX_VALUE);
            subscribed.complete(null);
        }

        @Override
        public void onNext(final ByteBuffer item)
        {
            received = received + item.remaining();
        }

        @Override
        public void onError(final Throwable throwable)
        {
            failure = throwable;
        }

        @Override
        public void onComplete()
        {
            completed = true;
        }
    }
}

package dev.warren.cli;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.VpcNetwork;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code warren demo}: the whole topology in one process, on {@code 127.0.0.1} only. Starts a private echo
 * service, an edge (one tunnel, one VPC Network binding) and a connector ({@link #HA_CONNECTIONS} tunnel
 * connections, allowed {@code 127.0.0.0/8}), shows {@code connect()}, {@code fetch()} and a streamed upload
 * working, then runs the same loads through the tunnel and directly (echo round trips, a bulk echo, and a short
 * {@code fetch()} load against the private HTTP service) and prints {@link ComparisonTable}s. Closes everything
 * before it returns.
 * <p>
 * The tunnel is TLS, as an operator's should be: a CA and an edge certificate are made for the run (in a temporary
 * folder, deleted at the end) and the connector verifies the edge against that CA. The numbers printed are thus
 * those of the secure configuration, encryption included, not of a plaintext shortcut.
 * <p>
 * <b>Threading.</b> {@link #run} runs on the caller's thread and blocks it for the whole demo. Not reusable.
 */
final class DemoCommand
{
    static final String TUNNEL = "demo";
    static final String NETWORK = "demo-net";
    static final int HA_CONNECTIONS = 4;
    /** Request and echo size of a round trip. */
    static final int PAYLOAD_BYTES = 64;
    /** Load before each measured window, excluded from the results; property {@code warren.demo.warmupMs}. */
    static final long WARMUP_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.demo.warmupMs", 1000));
    /** Bytes echoed by the bulk test; property {@code warren.demo.bulkBytes}. */
    static final int BULK_BYTES = Integer.getInteger("warren.demo.bulkBytes", 64 * 1024 * 1024);
    /** Measured window of each fetch() load; property {@code warren.demo.fetchMs}. Short: the demo's length is kept. */
    static final long FETCH_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.demo.fetchMs", 1000));
    /** Load before each fetch() window, excluded from the results; property {@code warren.demo.fetchWarmupMs}. */
    static final long FETCH_WARMUP_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("warren.demo.fetchWarmupMs", 300));
    /** Requests in flight in the fetch() load, at most (fewer with {@code --streams}). */
    static final int FETCH_CONCURRENCY = 16;
    /** Bytes of the streamed upload; property {@code warren.demo.uploadBytes}. */
    static final int UPLOAD_BYTES = Integer.getInteger("warren.demo.uploadBytes", 8 * 1024 * 1024);
    /** How long the connector may take to bring all its tunnel connections up. */
    static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final DemoOptions options;
    private final PrintStream out;
    private final DemoErrors errors = new DemoErrors();

    DemoCommand(final DemoOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
    }

    /** @return {@link WarrenMain#EXIT_OK} when every byte matched and nothing failed, else {@link WarrenMain#EXIT_FAILED}. */
    int run() throws Exception
    {
        final long startNs = System.nanoTime();
        final EngineErrorCounter engineErrors = EngineErrorCounter.attach();
        DemoEchoService echo = null;
        DemoHttpService http = null;
        Edge edge = null;
        Connector connector = null;
        long verifiedBytes = 0;
        final java.nio.file.Path pki = java.nio.file.Files.createTempDirectory("warren-demo-tls");
        try
        {
            echo = DemoEchoService.start();
            http = DemoHttpService.start();
            final String token = "demo-" + HexFormat.of().formatHex(randomBytes(16));
            edge = Warren.startEdge(EdgeConfig.builder()
                .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
                .tunnel(TUNNEL, token)
                .network(NETWORK, TUNNEL)
                .eventLoops(eventLoops())
                .tls(DemoCertificates.edge(pki))
                .build());
            connector = Warren.startConnector(ConnectorConfig.builder()
                .edge(edge.tunnelAddress())
                .tunnel(TUNNEL, token)
                .haConnections(HA_CONNECTIONS)
                .allow("127.0.0.0/8")
                .eventLoops(eventLoops())
                .tls(dev.warren.api.ConnectorTlsConfig.caFile(DemoCertificates.ca(pki)))
                .build());
            awaitConnected(edge);
            out.printf("private echo service on %s, private HTTP service on %s; edge on %s (TLS 1.3, its " +
                "certificate verified by the connector); connector up with %d tunnel connections%n", echo.hostPort(), http.hostPort(), hostPort(edge.tunnelAddress()),
                edge.liveConnections(TUNNEL));

            final VpcNetwork network = edge.network(NETWORK);
            ConnectShowcase.run(network, echo.hostPort(), out);
            ConnectShowcase.runHttp(network, http.hostPort(), out);
            ConnectShowcase.runUpload(network, http.hostPort(), UPLOAD_BYTES, out);

            final long durationNs = TimeUnit.SECONDS.toNanos(options.durationSeconds());
            out.printf(Locale.ROOT, "%nround trips: %d streams x %d-byte request/echo, %.1f s warm-up + %d s measured, " +
                "every byte checked%n", options.streams(), PAYLOAD_BYTES, WARMUP_NS / 1e9, options.durationSeconds());
            out.println("  through the tunnel ...");
            final LoadResult tunnel = new TunnelEchoLoad(
                network, echo.hostPort(), options.streams(), PAYLOAD_BYTES, errors).run(WARMUP_NS, durationNs);
            out.println("  direct ...");
            final LoadResult direct = new DirectEchoLoad(
                echo.address(), options.streams(), PAYLOAD_BYTES, errors).run(WARMUP_NS, durationNs);

            out.printf(Locale.ROOT, "bulk: one stream echoing %,d bytes, written and read back at once%n", BULK_BYTES);
            final byte[] bulkData = randomBytes(BULK_BYTES);
            out.println("  through the tunnel ...");
            final BulkResult tunnelBulk = TunnelBulkEcho.run(network, echo.hostPort(), bulkData, errors);
            out.println("  direct ...");
            final BulkResult directBulk = DirectBulkEcho.run(echo.address(), bulkData, errors);

            final int concurrency = Math.min(FETCH_CONCURRENCY, options.streams());
            out.printf(Locale.ROOT, "fetch: %d requests in flight, GET /hello of the private HTTP service, " +
                "%.1f s warm-up + %.1f s measured, every body checked; direct: keep-alive connections, one thread each%n",
                concurrency, FETCH_WARMUP_NS / 1e9, FETCH_NS / 1e9);
            out.println("  through the tunnel ...");
            final String helloUrl = "http://" + http.hostPort() + "/hello";
            final FetchResult tunnelFetch = new FetchLoad("tunnel",
                () -> network.fetch(helloUrl).thenCompose(response -> response.text()), DemoHttpService.BODY,
                concurrency, errors).run(FETCH_WARMUP_NS, FETCH_NS);
            out.println("  direct ...");
            final FetchResult directFetch;
            try (DirectHttpGet client = new DirectHttpGet(http.address(), "/hello", concurrency))
            {
                directFetch = new FetchLoad("direct", client::get, DemoHttpService.BODY, concurrency, errors)
                    .run(FETCH_WARMUP_NS, FETCH_NS);
            }

            out.println();
            ComparisonTable.print(out, tunnel, direct, tunnelBulk, directBulk);
            out.println();
            ComparisonTable.printFetch(out, tunnelFetch, directFetch);
            verifiedBytes = bytesVerified(tunnel) + bytesVerified(direct) + bytesVerified(tunnelBulk) +
                bytesVerified(directBulk) + tunnelFetch.bytesVerified() + directFetch.bytesVerified() + UPLOAD_BYTES;
        }
        finally
        {
            closeAll(connector, edge, echo, http);
            engineErrors.close();
            DemoCertificates.delete(pki);
        }

        if (engineErrors.count() > 0)
        {
            errors.add("the engine logged " + engineErrors.count() + " error(s); the first: " + engineErrors.first());
        }
        out.println();
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        if (errors.count() == 0)
        {
            out.printf(Locale.ROOT, "OK: %,d bytes checked (echoes, fetched bodies, the upload's SHA-256), all matched, " +
                "no errors (%.1f s)%n",
                verifiedBytes, seconds);
            return WarrenMain.EXIT_OK;
        }
        out.printf(Locale.ROOT, "FAILED: %d error(s) (%.1f s)%n", errors.count(), seconds);
        for (final String error : errors.first())
        {
            out.println("  " + error);
        }
        if (errors.count() > DemoErrors.KEPT)
        {
            out.println("  ...");
        }
        return WarrenMain.EXIT_FAILED;
    }

    private void awaitConnected(final Edge edge) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (edge.liveConnections(TUNNEL) < HA_CONNECTIONS)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("the connector did not connect: " + edge.liveConnections(TUNNEL) +
                    " of " + HA_CONNECTIONS + " tunnel connections live after " +
                    TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NS) + " s");
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private void closeAll(final AutoCloseable... closeables)
    {
        for (final AutoCloseable closeable : closeables)
        {
            if (closeable != null)
            {
                try
                {
                    closeable.close();
                }
                catch (final Exception ex)
                {
                    errors.add("closing " + closeable + " failed: " + DemoErrors.describe(ex));
                }
            }
        }
    }

    /** As many loops as tunnel connections (a connection and its streams live on one loop), at most one per core. */
    private static int eventLoops()
    {
        return Math.max(1, Math.min(HA_CONNECTIONS, Runtime.getRuntime().availableProcessors()));
    }

    private static String hostPort(final InetSocketAddress address)
    {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private static byte[] randomBytes(final int length)
    {
        final byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static long bytesVerified(final LoadResult result)
    {
        return result == null ? 0 : result.bytesVerified();
    }

    private static long bytesVerified(final BulkResult result)
    {
        return result == null ? 0 : result.bytesVerified();
    }
}

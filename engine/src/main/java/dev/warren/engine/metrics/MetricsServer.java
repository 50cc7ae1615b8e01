package dev.warren.engine.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The {@code metricsListen:} endpoint: {@code /metrics} (Prometheus text format 0.0.4), {@code /healthz} (200
 * while the process runs) and {@code /readyz} (200, or 503 naming what is not ready). The JDK's HTTP server on one
 * daemon thread, off the relay path. Thread-safe.
 */
public final class MetricsServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger("dev.warren.metrics");

    private final HttpServer server;
    private final ExecutorService executor;
    private final MetricsSource source;

    private MetricsServer(final HttpServer server, final ExecutorService executor, final MetricsSource source)
    {
        this.server = server;
        this.executor = executor;
        this.source = source;
    }

    /** Binds {@code address} and starts serving. */
    public static MetricsServer start(final InetSocketAddress address, final String threadName,
        final MetricsSource source) throws IOException
    {
        final HttpServer server = HttpServer.create(address, 16);
        final ExecutorService executor = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        final MetricsServer metrics = new MetricsServer(server, executor, source);
        server.setExecutor(executor);
        server.createContext("/metrics", metrics::metrics);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain; charset=utf-8", "ok\n"));
        server.createContext("/readyz", metrics::ready);
        server.start();
        LOG.log(INFO, () -> "metrics on http://" + addressText(metrics.address()) + "/metrics");
        return metrics;
    }

    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    private void metrics(final HttpExchange exchange) throws IOException
    {
        if (!exchange.getRequestURI().getPath().equals("/metrics"))
        {
            respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            return;
        }
        final PrometheusWriter writer = new PrometheusWriter();
        try
        {
            source.writeMetrics(writer);
            ProcessMetrics.write(writer);
        }
        catch (final RuntimeException ex)
        {
            LOG.log(WARNING, () -> "metrics scrape failed: " + ex);
            respond(exchange, 500, "text/plain; charset=utf-8", "scrape failed: " + ex.getMessage() + "\n");
            return;
        }
        respond(exchange, 200, PrometheusWriter.CONTENT_TYPE, writer.toString());
    }

    private void ready(final HttpExchange exchange) throws IOException
    {
        final String problem = source.notReady();
        if (problem == null)
        {
            respond(exchange, 200, "text/plain; charset=utf-8", "ready\n");
        }
        else
        {
            respond(exchange, 503, "text/plain; charset=utf-8", "not ready: " + problem + "\n");
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            if (!head)
            {
                out.write(bytes);
            }
        }
    }

    private static String addressText(final InetSocketAddress address)
    {
        final String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.warren.cli;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.engine.config.ConfigException;
import dev.warren.engine.config.ConfigLoader;

import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * {@code warren connector --config FILE}: loads a connector file (SPEC §6), starts the connector (it dials the
 * edge, and keeps redialing with back-off while it cannot reach it), and runs until SIGTERM or SIGINT, then closes
 * it and returns {@link WarrenMain#EXIT_OK}. A mistake in the file is a {@link ConfigException} naming the file, the
 * key and the line, thrown before anything starts. The token is never logged.
 * <p>
 * <b>Threading.</b> {@link #run} runs on the caller's thread and blocks it until the connector has closed. Not
 * reusable.
 */
final class ConnectorCommand
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: warren connector --config FILE",
        "",
        "Runs a connector from a YAML file: it dials out to the edge (keeping haConnections tunnel connections up,",
        "redialing with back-off) and dials the private hosts its allow list permits, and nothing else.",
        "${VAR} in the file is read from the environment. Logs one line per event on stderr. SIGTERM or Ctrl-C",
        "drains it (GO_AWAY: the edge routes nothing new here; streams in flight finish within --grace) and exits 0.",
        "A mistake in the file stops it before it starts, with the file, the key and",
        "the line, and exits 2.",
        "",
        "connector.yaml:",
        "  connector:",
        "    edge: 127.0.0.1:7844               # the edge's tunnelListen",
        "    tunnel: office",
        "    token: ${OFFICE_TOKEN}",
        "    haConnections: 4                   # tunnel connections kept up (default 4)",
        "    allow:                             # destinations it may dial; default: none",
        "      - 10.0.0.0/8                     # a CIDR range, any port",
        "      - db.internal:5432               # a host name (or range) with one port",
        "    tls:                               # verify the edge of a TLS tunnel (warren certs makes the files):",
        "      caFile: ca.crt                   #   a CA bundle; the certificate must name the edge's host",
        "      # serverName: edge.example.com   #   ... or this name instead",
        "      # pin: \"sha256:AB:CD:...\"        #   and/or the SHA-256 of the edge's certificate",
        "    # insecure: true                   # instead of tls: dial a PLAINTEXT edge (development only)",
        "",
        "options:",
        ConfigOptions.OPTIONS_USAGE);

    private static final System.Logger LOG = System.getLogger("dev.warren.cli");

    private final ConfigOptions options;

    ConnectorCommand(final ConfigOptions options)
    {
        this.options = options;
    }

    /** @return {@link WarrenMain#EXIT_OK} once stopped by a signal and closed. */
    int run() throws ConfigException, InterruptedException
    {
        final long loadStartNs = System.nanoTime();
        final ConnectorConfig config = ConfigLoader.withSystemEnvironment().loadConnector(options.config());
        final long loadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStartNs);
        LOG.log(INFO, () -> "loaded " + options.config() + " in " + loadMs + " ms: tunnel '" + config.tunnel() +
            "', edge " + config.edge() + ", " + config.haConnections() + " connections, allow " + config.allow());
        try (TerminationBarrier barrier = TerminationBarrier.install())
        {
            final Connector connector = start(config);
            try
            {
                barrier.await();
                LOG.log(INFO, () -> barrier.reason() + ": draining the connector, grace " + options.grace().toSeconds() +
                    " s (a second signal stops at once)");
                drain(connector, options.grace());
            }
            finally
            {
                connector.close();
            }
        }
        return WarrenMain.EXIT_OK;
    }

    /** Waits for the drain; a timeout or failure only shortens it (close() follows anyway). */
    private static void drain(final dev.warren.api.Connector connector, final java.time.Duration grace)
        throws InterruptedException
    {
        try
        {
            connector.drain(grace).get(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            LOG.log(WARNING, () -> "drain did not finish cleanly: " + ex);
        }
    }

    private Connector start(final ConnectorConfig config) throws ConfigException
    {
        try
        {
            return Warren.startConnector(config);
        }
        catch (final IllegalArgumentException ex)
        {
            // The engine refused the configuration itself.
            throw new ConfigException(options.config().toString(), 0, "", ex.getMessage());
        }
    }
}

package dev.warren.cli;

import dev.warren.Warren;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.ListenerConfig;
import dev.warren.engine.config.ConfigException;
import dev.warren.engine.config.ConfigLoader;
import dev.warren.engine.config.LoadedConfig;

import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * {@code warren edge --config FILE}: loads an edge file (SPEC §6), starts the edge, and runs until SIGTERM or
 * SIGINT, then closes it and returns {@link WarrenMain#EXIT_OK}. A mistake in the file, or a feature of it the
 * engine does not support yet, is a {@link ConfigException} naming the file, the key and the line, thrown before
 * anything starts. Events are logged by the engine, one line each; this logs the load, the plaintext warning and
 * the stop.
 * <p>
 * <b>Threading.</b> {@link #run} runs on the caller's thread and blocks it until the edge has closed. Not reusable.
 */
final class EdgeCommand
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: warren edge --config FILE",
        "",
        "Runs an edge from a YAML file: accepts connectors on tunnelListen for the tunnels listed, and serves the",
        "services, networks and listeners of the file. ${VAR} in the file is read from the environment.",
        "Logs one line per event on stderr. SIGTERM or Ctrl-C drains it (streams in flight finish, within --grace) and exits 0. A mistake in the file",
        "stops it before it starts, with the file, the key and the line, and exits 2.",
        "",
        "edge.yaml:",
        "  edge:",
        "    tunnelListen: 127.0.0.1:7844       # where connectors dial in",
        "    tls: {cert: edge.crt, key: edge.key}  # PEM (warren certs makes them); absent: plaintext, warned",
        "    tunnels:",
        "      - id: office",
        "        token: ${OFFICE_TOKEN}         # at least 16 characters",
        "    services:                          # VPC Services: fixed targets",
        "      - {name: users-api, tunnel: office, host: 10.0.0.5, httpPort: 8080}",
        "      - {name: redis, tunnel: office, type: tcp, host: 10.0.0.6, tcpPort: 6379}",
        "    networks:                          # VPC Networks: the caller picks the target",
        "      - {name: office-net, tunnel: office}",
        "    listeners:                         # front doors for callers that are not Java",
        "      - {listen: 127.0.0.1:16379, connect: redis}",
        "",
        "options:",
        ConfigOptions.OPTIONS_USAGE);

    private static final System.Logger LOG = System.getLogger("dev.warren.cli");

    private final ConfigOptions options;

    EdgeCommand(final ConfigOptions options)
    {
        this.options = options;
    }

    /** @return {@link WarrenMain#EXIT_OK} once stopped by a signal and closed. */
    int run() throws ConfigException, InterruptedException
    {
        final long loadStartNs = System.nanoTime();
        final LoadedConfig<EdgeConfig> loaded = ConfigLoader.withSystemEnvironment().edge(options.config());
        refuseUnsupported(loaded);
        final EdgeConfig config = loaded.config();
        final long loadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStartNs);
        LOG.log(INFO, () -> "loaded " + options.config() + " in " + loadMs + " ms: " + summary(config));
        if (config.tls() == null)
        {
            LOG.log(WARNING, () -> "no tls: in " + options.config() + ": the tunnel on " + config.tunnelListen() +
                " is plaintext (tokens never cross it, but the traffic can be read on the network)");
        }
        try (TerminationBarrier barrier = TerminationBarrier.install())
        {
            final Edge edge = start(config);
            try
            {
                barrier.await();
                LOG.log(INFO, () -> barrier.reason() + ": draining the edge, grace " + options.grace().toSeconds() +
                    " s (a second signal stops at once)");
                drain(edge, options.grace());
            }
            finally
            {
                edge.close();
            }
        }
        return WarrenMain.EXIT_OK;
    }

    /**
     * The engine refuses these too, but without the file's lines; refusing them here names the key and the line.
     * Remove each check when {@code EdgeRuntime} supports the feature.
     */
    private static void refuseUnsupported(final LoadedConfig<EdgeConfig> loaded) throws ConfigException
    {
        final EdgeConfig config = loaded.config();
        for (int i = 0; i < config.listeners().size(); i++)
        {
            final String fetch = config.listeners().get(i).fetch();
            if (fetch != null && config.services().stream().anyMatch(s -> s.name().equals(fetch) && s.httpPort() == 0))
            {
                throw loaded.error("edge.listeners[" + i + "].fetch", "service '" + fetch + "' has no httpPort; a " +
                    "fetch listener speaks plain HTTP to it");
            }
        }
    }

    /** Waits for the drain; a timeout or failure only shortens it (close() follows anyway). */
    private static void drain(final dev.warren.api.Edge edge, final java.time.Duration grace)
        throws InterruptedException
    {
        try
        {
            edge.drain(grace).get(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            LOG.log(WARNING, () -> "drain did not finish cleanly: " + ex);
        }
    }

    private Edge start(final EdgeConfig config) throws ConfigException
    {
        try
        {
            return Warren.startEdge(config);
        }
        catch (final IllegalArgumentException ex)
        {
            // The engine refused the configuration itself.
            throw new ConfigException(options.config().toString(), 0, "", ex.getMessage());
        }
    }

    private static String summary(final EdgeConfig config)
    {
        final StringBuilder summary = new StringBuilder(128)
            .append("tunnelListen ").append(config.tunnelListen())
            .append(", ").append(count(config.tunnels().size(), "tunnel"))
            .append(", ").append(count(config.services().size(), "service"))
            .append(", ").append(count(config.networks().size(), "network"))
            .append(", ").append(count(config.listeners().size(), "listener"));
        for (final ListenerConfig listener : config.listeners())
        {
            summary.append(listener == config.listeners().get(0) ? " (" : ", ")
                .append(listener.listen()).append(" -> ")
                .append(listener.connect() != null ? "connect " + listener.connect() : "fetch " + listener.fetch());
        }
        return config.listeners().isEmpty() ? summary.toString() : summary.append(')').toString();
    }

    private static String count(final int count, final String noun)
    {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}

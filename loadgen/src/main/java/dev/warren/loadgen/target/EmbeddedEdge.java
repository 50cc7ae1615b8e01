package dev.warren.loadgen.target;

import dev.warren.Warren;
import dev.warren.api.ConnectOptions;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.api.FetchRequest;
import dev.warren.api.NetworkConfig;
import dev.warren.api.ServiceConfig;
import dev.warren.api.ServiceType;
import dev.warren.api.TcpSocket;
import dev.warren.engine.config.ConfigException;
import dev.warren.engine.config.ConfigLoader;
import dev.warren.engine.config.LoadedConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code --via edge.yaml --binding NAME}: an edge started in this process from an edge file (SPEC §6), and the
 * {@link TunnelTarget} that sends through one of its bindings. The file's front-door listeners are not started (the
 * load calls the binding itself, and their ports may be taken by a running edge); everything else is as the file
 * says, so a connector configured for that edge dials in as it would to {@code warren edge}.
 * <p>
 * <b>Threading.</b> {@link #start} runs on the caller's thread and blocks it until a connector is live.
 */
public final class EmbeddedEdge
{
    /** How often the wait for a connector looks at the edge. */
    private static final long POLL_MS = 10;
    /** After the first connector connection, how long to give the rest of its connections to join. */
    private static final long SETTLE_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private EmbeddedEdge()
    {
    }

    /**
     * Loads {@code file}, starts the edge and waits until a connector of the binding's tunnel is connected.
     *
     * @param address        the destination for a VPC Network binding ({@code host:port}); must be null for a tcp
     *                       VPC Service, whose target is fixed.
     * @param connectTimeout passed to every {@code connect()}.
     * @throws ConfigException      the file is wrong, or names no such binding, or the binding cannot connect.
     * @throws TimeoutException     no connector connected within {@code connectorWait}; the edge is closed.
     * @throws InterruptedException the wait was interrupted; the edge is closed.
     */
    public static TunnelTarget start(
        final Path file, final String binding, final String address, final Duration connectTimeout,
        final Duration connectorWait) throws ConfigException, TimeoutException, InterruptedException
    {
        final LoadedConfig<EdgeConfig> loaded = ConfigLoader.withSystemEnvironment().edge(file);
        final EdgeConfig config = loaded.config();
        if (config.tls() != null)
        {
            throw loaded.error("edge.tls", "TLS on the tunnel is not supported yet; remove tls: to run a plaintext " +
                "tunnel");
        }
        final NetworkConfig network = findNetwork(config, binding);
        final ServiceConfig service = findService(config, binding);
        final String tunnel;
        if (network != null)
        {
            if (address == null)
            {
                throw new ConfigException(file.toString(), 0, "", "'" + binding + "' is a VPC Network: give the " +
                    "destination as HOST:PORT");
            }
            tunnel = network.tunnel();
        }
        else if (service != null)
        {
            if (service.type() != ServiceType.TCP)
            {
                throw new ConfigException(file.toString(), 0, "", "'" + binding + "' is an http service: " +
                    "loadgen tcp needs a VPC Network or a service of type tcp");
            }
            if (address != null)
            {
                throw new ConfigException(file.toString(), 0, "", "'" + binding + "' is a tcp service with a fixed " +
                    "target (" + service.host() + ":" + service.tcpPort() + "): give no HOST:PORT");
            }
            tunnel = service.tunnel();
        }
        else
        {
            throw new ConfigException(file.toString(), 0, "", "no VPC Network or tcp service named '" + binding +
                "' (known: " + String.join(", ", bindingNames(config)) + ")");
        }

        final Edge edge = startAndAwait(config, file, tunnel, connectorWait);

        final ConnectOptions options = ConnectOptions.builder().connectTimeout(connectTimeout).build();
        final Supplier<TcpSocket> opener;
        final String description;
        if (network != null)
        {
            final var vpcNetwork = edge.network(binding);
            opener = () -> vpcNetwork.connect(address, options);
            description = address + " via network " + binding + " (edge " + file + ", tunnel " + tunnel + ")";
        }
        else
        {
            final var vpcService = edge.service(binding);
            opener = () -> vpcService.connect(options);
            description = service.host() + ":" + service.tcpPort() + " via service " + binding + " (edge " + file +
                ", tunnel " + tunnel + ")";
        }
        return new TunnelTarget(opener, description, edge);
    }

    /**
     * {@code loadgen http --via}: loads {@code file}, starts the edge, waits until a connector of the binding's tunnel
     * is connected, and returns the target that sends {@code request} with the binding's {@code fetch()}.
     *
     * @param binding a VPC Network (the request's URL names the destination) or an http VPC Service (its configured
     *                host is the destination; the URL's host only fills {@code Host}).
     * @throws ConfigException      the file is wrong, or names no such binding.
     * @throws TimeoutException     no connector connected within {@code connectorWait}; the edge is closed.
     * @throws InterruptedException the wait was interrupted; the edge is closed.
     */
    public static FetchTarget startForFetch(
        final Path file, final String binding, final FetchRequest request, final Duration connectorWait)
        throws ConfigException, TimeoutException, InterruptedException
    {
        final LoadedConfig<EdgeConfig> loaded = ConfigLoader.withSystemEnvironment().edge(file);
        final EdgeConfig config = loaded.config();
        if (config.tls() != null)
        {
            throw loaded.error("edge.tls", "TLS on the tunnel is not supported yet; remove tls: to run a plaintext " +
                "tunnel");
        }
        final NetworkConfig network = findNetwork(config, binding);
        final ServiceConfig service = findService(config, binding);
        final String tunnel;
        if (network != null)
        {
            tunnel = network.tunnel();
        }
        else if (service != null && service.type() == ServiceType.HTTP)
        {
            tunnel = service.tunnel();
        }
        else
        {
            final List<String> names = new ArrayList<>();
            for (final NetworkConfig each : config.networks())
            {
                names.add(each.name());
            }
            for (final ServiceConfig each : config.services())
            {
                if (each.type() == ServiceType.HTTP)
                {
                    names.add(each.name());
                }
            }
            throw new ConfigException(file.toString(), 0, "", (service != null ? "'" + binding + "' is a tcp " +
                "service: loadgen http needs a VPC Network or a service of type http" : "no VPC Network or http " +
                "service named '" + binding + "'") + " (known: " + String.join(", ", names) + ")");
        }

        final Edge edge = startAndAwait(config, file, tunnel, connectorWait);
        if (network != null)
        {
            final var vpcNetwork = edge.network(binding);
            return new FetchTarget(vpcNetwork::fetch, request, request.url() + " via network " + binding + " (edge " +
                file + ", tunnel " + tunnel + ")", edge);
        }
        final var vpcService = edge.service(binding);
        return new FetchTarget(vpcService::fetch, request, request.url() + " via service " + binding + " (" +
            service.host() + ", edge " + file + ", tunnel " + tunnel + ")", edge);
    }

    /**
     * Starts the file's edge without its front-door listeners (loadgen is the only caller) and waits for a connector.
     * The edge is closed again when no connector comes.
     */
    private static Edge startAndAwait(
        final EdgeConfig config, final Path file, final String tunnel, final Duration connectorWait)
        throws ConfigException, TimeoutException, InterruptedException
    {
        final Edge edge;
        try
        {
            edge = Warren.startEdge(new EdgeConfig(config.tunnelListen(), config.tls(), config.tunnels(),
                config.services(), config.networks(), List.of(), config.eventLoops()));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(file.toString(), 0, "", ex.getMessage());
        }
        try
        {
            awaitConnector(edge, tunnel, connectorWait);
        }
        catch (final TimeoutException | InterruptedException | RuntimeException ex)
        {
            edge.close();
            throw ex;
        }
        return edge;
    }

    private static void awaitConnector(final Edge edge, final String tunnel, final Duration wait)
        throws TimeoutException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + wait.toNanos();
        while (edge.liveConnections(tunnel) == 0)
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new TimeoutException("no connector of tunnel '" + tunnel + "' connected to the edge on " +
                    edge.tunnelAddress() + " within " + wait.toMillis() + " ms");
            }
            Thread.sleep(POLL_MS);
        }
        // A connector opens several connections; streams are spread over those live when they open.
        final long settleEndNs = System.nanoTime() + SETTLE_NS;
        int seen = edge.liveConnections(tunnel);
        long lastChangeNs = System.nanoTime();
        while (System.nanoTime() - settleEndNs < 0 && System.nanoTime() - lastChangeNs < SETTLE_NS / 2)
        {
            Thread.sleep(POLL_MS);
            final int now = edge.liveConnections(tunnel);
            if (now != seen)
            {
                seen = now;
                lastChangeNs = System.nanoTime();
            }
        }
    }

    private static NetworkConfig findNetwork(final EdgeConfig config, final String name)
    {
        for (final NetworkConfig network : config.networks())
        {
            if (network.name().equals(name))
            {
                return network;
            }
        }
        return null;
    }

    private static ServiceConfig findService(final EdgeConfig config, final String name)
    {
        for (final ServiceConfig service : config.services())
        {
            if (service.name().equals(name))
            {
                return service;
            }
        }
        return null;
    }

    private static List<String> bindingNames(final EdgeConfig config)
    {
        final List<String> names = new ArrayList<>();
        for (final NetworkConfig network : config.networks())
        {
            names.add(network.name());
        }
        for (final ServiceConfig service : config.services())
        {
            if (service.type() == ServiceType.TCP)
            {
                names.add(service.name());
            }
        }
        return names;
    }
}

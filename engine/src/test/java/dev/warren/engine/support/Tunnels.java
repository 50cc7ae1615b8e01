package dev.warren.engine.support;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Starts real edges and connectors on loopback for tests. */
public final class Tunnels
{
    public static final String TUNNEL = "office";
    public static final String TOKEN = "test-token-0123456789abcdef";
    public static final String NETWORK = "office-net";

    private Tunnels()
    {
    }

    public static Edge edge()
    {
        return Warren.startEdge(EdgeConfig.builder()
            .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
            .tunnel(TUNNEL, TOKEN)
            .network(NETWORK, TUNNEL)
            .eventLoops(2)
            .build());
    }

    public static ConnectorConfig.Builder connectorConfig(final Edge edge)
    {
        return ConnectorConfig.builder()
            .edge(edge.tunnelAddress())
            .tunnel(TUNNEL, TOKEN)
            .haConnections(2)
            .eventLoops(2)
            .reconnect(Duration.ofMillis(20), Duration.ofMillis(200))
            .allow("127.0.0.0/8", "::1")
            .insecure(true); // a plaintext tunnel on loopback; TunnelTlsTest covers TLS
    }

    /** Starts a connector and waits until all its connections are up at the edge. */
    public static Connector connector(final Edge edge, final ConnectorConfig config)
    {
        final Connector connector = Warren.startConnector(config);
        await("connector connected", () -> edge.liveConnections(config.tunnel()) == config.haConnections(), 10_000);
        return connector;
    }

    public static Connector connector(final Edge edge)
    {
        return connector(edge, connectorConfig(edge).build());
    }

    /** Pooled chunks in use over a group's loops (read on each loop). */
    public static int buffersInUse(final dev.warren.engine.loop.EventLoopGroup loops)
    {
        int inUse = 0;
        for (int i = 0; i < loops.size(); i++)
        {
            final dev.warren.engine.loop.EventLoop loop = loops.loop(i);
            inUse += loop.submit(() -> loop.bufferPool().inUse()).join();
        }
        return inUse;
    }

    /** Polls {@code condition} (a state, not a sleep-for-timing): fails after {@code timeoutMs}. */
    public static void await(final String what, final BooleanSupplier condition, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }
}

package dev.warren;

import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import dev.warren.engine.connector.ConnectorRuntime;
import dev.warren.engine.edge.EdgeRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Where an embedder starts: an {@link Edge} or a {@link Connector} from plain configuration values.
 * <p>
 * Each call starts its own event-loop threads; one JVM may run several edges and connectors. Close what you
 * start ({@link Edge#close()}, {@link Connector#close()}), after draining it if streams are in flight. The JVM needs
 * {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} (Agrona). Thread-safe.
 */
public final class Warren
{
    private Warren()
    {
    }

    /**
     * Binds the tunnel listener and the front-door listeners and starts the edge's event loops.
     *
     * @param config the edge's configuration.
     * @return the running edge; close it when done.
     * @throws UncheckedIOException when the listen address cannot be bound.
     * @throws IllegalArgumentException when the configuration asks for what is not supported yet (a TLS tunnel,
     *                                  {@code fetch} listeners) or a listener target is malformed.
     */
    public static Edge startEdge(final EdgeConfig config)
    {
        try
        {
            return EdgeRuntime.start(config);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start edge on " + config.tunnelListen() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Starts the connector: it dials the edge at once and keeps redialing with back-off while it cannot reach it.
     * Returns without waiting for a tunnel connection: {@link Connector#liveConnections()} tells how many are up.
     *
     * @param config the connector's configuration.
     * @return the running connector; close it when done.
     * @throws IllegalArgumentException when an allow-list entry is malformed.
     */
    public static Connector startConnector(final ConnectorConfig config)
    {
        return ConnectorRuntime.start(config);
    }
}

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
 */
public final class Warren
{
    private Warren()
    {
    }

    /**
     * Binds the tunnel listener and starts the edge's event loops.
     *
     * @throws UncheckedIOException when the listen address cannot be bound.
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
     *
     * @throws IllegalArgumentException when an allow-list entry is malformed.
     */
    public static Connector startConnector(final ConnectorConfig config)
    {
        return ConnectorRuntime.start(config);
    }
}

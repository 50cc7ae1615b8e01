package dev.warren.api;

/**
 * A running connector: keeps {@code haConnections} tunnel connections to the edge and dials private hosts for
 * them. Start one with {@link dev.warren.Warren#startConnector(ConnectorConfig)}. Thread-safe.
 */
public interface Connector extends AutoCloseable
{
    /**
     * Where metrics and health are served.
     *
     * @return the bound address (the actual port when the configuration said 0), or null when off.
     */
    default java.net.InetSocketAddress metricsAddress()
    {
        return null;
    }

    /**
     * Tunnel connections currently established (handshake done).
     *
     * @return the count now, 0..{@code haConnections}.
     */
    int liveConnections();

    /**
     * Drains gracefully (SPEC §6, issue 8): sends GO_AWAY on every tunnel connection so the edge routes no new
     * stream here, lets the streams in flight finish, and closes each connection once it has no stream left. After
     * {@code grace} whatever is still open is closed (its streams fail with {@code connection_terminated}). The
     * connector does not redial afterwards; call {@link #close()} to stop it.
     *
     * @param grace how long the streams in flight may take to finish.
     * @return completes when every tunnel connection is closed.
     */
    java.util.concurrent.CompletableFuture<Void> drain(java.time.Duration grace);

    /** Closes every tunnel connection and private-host socket at once and stops the event loops. */
    @Override
    void close();
}

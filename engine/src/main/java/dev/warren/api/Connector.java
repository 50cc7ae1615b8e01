package dev.warren.api;

/**
 * A running connector: keeps {@code haConnections} tunnel connections to the edge and dials private hosts for
 * them. Start one with {@link dev.warren.Warren#startConnector(ConnectorConfig)}. Thread-safe.
 */
public interface Connector extends AutoCloseable
{
    /** Tunnel connections currently established (handshake done). */
    int liveConnections();

    /** Closes every tunnel connection and private-host socket and stops the event loops. */
    @Override
    void close();
}

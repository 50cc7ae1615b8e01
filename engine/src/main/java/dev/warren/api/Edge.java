package dev.warren.api;

import java.net.InetSocketAddress;

/**
 * A running edge: accepts connectors and serves its bindings. Start one with
 * {@link dev.warren.Warren#startEdge(EdgeConfig)}. Thread-safe.
 */
public interface Edge extends AutoCloseable
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
     * Where connectors dial in.
     *
     * @return the bound address (the actual port when the configuration said 0).
     */
    InetSocketAddress tunnelAddress();

    /**
     * The VPC Network binding called {@code name}.
     *
     * @param name the binding's name.
     * @return the binding; the same one on every call.
     * @throws IllegalArgumentException when no VPC Network binding has that name (the message lists the known ones).
     */
    VpcNetwork network(String name);

    /**
     * The VPC Service binding called {@code name}.
     *
     * @param name the binding's name.
     * @return the binding; the same one on every call.
     * @throws IllegalArgumentException when no VPC Service binding has that name (the message lists the known ones).
     */
    VpcService service(String name);

    /**
     * Where each front-door listener is bound.
     *
     * @return the bound addresses, in configuration order (the actual port when the configuration said 0).
     */
    java.util.List<InetSocketAddress> listenerAddresses();

    /**
     * Live, authenticated connector connections for {@code tunnelId}.
     *
     * @param tunnelId the tunnel id.
     * @return the count now; 0 for an unknown tunnel or none connected.
     */
    int liveConnections(String tunnelId);

    /**
     * Drains gracefully: stops accepting connectors and front-door clients, tells every connector (GO_AWAY) so no new
     * stream is routed, lets the streams in flight finish, and closes each tunnel connection once it has none left.
     * After {@code grace} whatever is still open is closed. New binding calls fail with
     * {@code destination_unavailable} meanwhile. Call {@link #close()} afterwards.
     *
     * @param grace how long the streams in flight may take to finish.
     * @return completes when every tunnel connection is closed.
     */
    java.util.concurrent.CompletableFuture<Void> drain(java.time.Duration grace);

    /** Stops accepting, fails open streams with {@code connection_terminated}, stops the event loops. */
    @Override
    void close();
}

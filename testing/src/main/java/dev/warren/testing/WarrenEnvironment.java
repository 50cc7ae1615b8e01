package dev.warren.testing;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.ConnectorConfig;
import dev.warren.api.Edge;
import dev.warren.api.EdgeConfig;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One test class's edge and connector, held in its {@link ExtensionContext.Store}: JUnit closes it (connector
 * first, then edge) when the class's context closes, after {@code @AfterAll}, whether the tests passed or not.
 */
@SuppressWarnings("deprecation") // Store.CloseableResource: deprecated since JUnit 5.13 in favour of AutoCloseable
final class WarrenEnvironment implements ExtensionContext.Store.CloseableResource, AutoCloseable
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String tunnel;
    private final BindingNames bindings;
    private final Edge edge;
    private volatile Connector connector;
    private boolean closed;

    private WarrenEnvironment(final String tunnel, final BindingNames bindings, final Edge edge)
    {
        this.tunnel = tunnel;
        this.bindings = bindings;
        this.edge = edge;
    }

    /**
     * Starts the edge and the connector and waits until the tunnel connection is up on both sides (the edge counts
     * it a moment before the connector has seen the handshake complete); on failure
     * closes whatever it started. Ports that {@link Service}s take from {@code testClass} are read now.
     */
    static WarrenEnvironment start(final WarrenTest settings, final Class<?> testClass)
    {
        final String token = HexFormat.of().formatHex(randomBytes());
        final List<String> services = new ArrayList<>();
        final EdgeConfig config;
        try
        {
            final EdgeConfig.Builder edgeConfig = EdgeConfig.builder()
                .tunnelListen(new InetSocketAddress("127.0.0.1", 0))
                .tunnel(settings.tunnel(), token)
                .eventLoops(1);
            for (final String network : settings.networks())
            {
                edgeConfig.network(network, settings.tunnel());
            }
            for (final Service service : settings.services())
            {
                edgeConfig.service(ServiceDeclaration.toConfig(service, settings.tunnel(), testClass));
                services.add(service.name());
            }
            config = edgeConfig.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ExtensionConfigurationException(
                "@WarrenTest on " + testClass.getSimpleName() + ": " + ex.getMessage(), ex);
        }
        final BindingNames bindings = new BindingNames(testClass, List.of(settings.networks()), services);
        final WarrenEnvironment env = new WarrenEnvironment(settings.tunnel(), bindings, Warren.startEdge(config));
        try
        {
            env.connector = Warren.startConnector(ConnectorConfig.builder()
                .edge(env.edge.tunnelAddress())
                .tunnel(settings.tunnel(), token)
                .haConnections(1)
                .eventLoops(1)
                .reconnect(Duration.ofMillis(10), Duration.ofMillis(100))
                .allow(settings.allow())
                .insecure(true) // in-process, on loopback: a plaintext tunnel is fine
                .build());
            env.awaitConnected(settings.connectTimeoutMillis());
            return env;
        }
        catch (final RuntimeException | Error ex)
        {
            env.close();
            throw ex;
        }
    }

    private static byte[] randomBytes()
    {
        final byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private void awaitConnected(final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (edge.liveConnections(tunnel) == 0 || connector.liveConnections() == 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("@WarrenTest: the connector did not connect to the edge at "
                    + edge.tunnelAddress() + " within " + timeoutMillis + " ms (tunnel '" + tunnel + "')");
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("@WarrenTest: interrupted while waiting for the connector", ex);
            }
        }
    }

    Edge edge()
    {
        return edge;
    }

    Connector connector()
    {
        return connector;
    }

    BindingNames bindings()
    {
        return bindings;
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final Connector c = connector;
        try
        {
            if (c != null)
            {
                c.close();
            }
        }
        finally
        {
            edge.close();
        }
    }
}

package dev.warren.engine.edge;

import dev.warren.api.ConnectOptions;
import dev.warren.api.ErrorCode;
import dev.warren.api.SecureTransport;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.net.HostPort;

/**
 * A VPC Network binding: {@code connect()} opens a tcp stream to the destination the caller names, on one of the
 * tunnel's live connections. Immutable; thread-safe.
 */
final class NetworkBinding implements VpcNetwork
{
    private final String name;
    private final String tunnelId;
    private final TunnelRegistry registry;

    NetworkBinding(final String name, final String tunnelId, final TunnelRegistry registry)
    {
        this.name = name;
        this.tunnelId = tunnelId;
        this.registry = registry;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public TcpSocket connect(final String address, final ConnectOptions options)
    {
        final HostPort destination;
        try
        {
            destination = HostPort.parse(address);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, "binding '" + name + "': " + ex.getMessage());
        }
        return connect(destination, options);
    }

    @Override
    public TcpSocket connect(final String host, final int port, final ConnectOptions options)
    {
        final HostPort destination;
        try
        {
            destination = new HostPort(host, port);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, "binding '" + name + "': " + ex.getMessage());
        }
        return connect(destination, options);
    }

    private TcpSocket connect(final HostPort destination, final ConnectOptions options)
    {
        final String description = "binding '" + name + "' -> " + destination;
        if (options.secureTransport() != SecureTransport.OFF)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, description + ": secureTransport " +
                options.secureTransport() + " is not supported yet; use OFF");
        }
        final EdgeTunnelConnection connection = registry.choose(tunnelId, EventLoop.current());
        if (connection == null)
        {
            return CallerStream.failed(ErrorCode.DESTINATION_UNAVAILABLE, description,
                "no connector is connected for tunnel '" + tunnelId + "'");
        }
        final CallerStream stream = new CallerStream(connection, description, options.allowHalfOpen());
        final int timeoutMs = options.connectTimeout() == null ? 0 :
            (int)Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
        connection.loop().execute(() -> connection.open(
            stream, TunnelFrameEncoder.KIND_TCP, destination.host(), destination.port(), timeoutMs));
        return stream;
    }
}

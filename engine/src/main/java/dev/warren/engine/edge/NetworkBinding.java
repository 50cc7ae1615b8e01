package dev.warren.engine.edge;

import dev.warren.api.ConnectOptions;
import dev.warren.api.ErrorCode;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.net.HostPort;

/**
 * A VPC Network binding: {@code connect()} opens a tcp stream to the destination the caller names, on one of the
 * tunnel's live connections. Immutable; thread-safe.
 */
final class NetworkBinding implements VpcNetwork, dev.warren.engine.fetch.FetchRoute
{
    private final String name;
    private final String tunnelId;
    private final TunnelRegistry registry;
    private final BindingMetrics metrics;

    String tunnelId()
    {
        return tunnelId;
    }

    NetworkBinding(final String name, final String tunnelId, final TunnelRegistry registry,
        final BindingMetrics metrics)
    {
        this.metrics = metrics;
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
        return BindingStreams.connect(registry, tunnelId, name, destination, options, metrics);
    }

    @Override
    public java.util.concurrent.CompletableFuture<dev.warren.api.FetchResponse> fetch(
        final dev.warren.api.FetchRequest request)
    {
        return dev.warren.engine.fetch.FetchClient.fetch(this, request);
    }

    @Override
    public String bindingName()
    {
        return name;
    }

    /** A network's destination is the URL's host and port (80 by default, 443 for {@code https}). */
    @Override
    public HostPort destination(final java.net.URI url)
    {
        final String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) :
            url.getHost();
        try
        {
            return new HostPort(host, url.getPort() != -1 ? url.getPort() :
                "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, "binding '" + name + "' fetch " + url + ": " +
                ex.getMessage());
        }
    }

    @Override
    public TcpSocket openHttp(final HostPort destination)
    {
        return openHttp(destination, null);
    }

    /** {@code https} through a network is always {@code verify_full} against the URL's host. */
    @Override
    public TcpSocket openHttp(final HostPort destination, final dev.warren.engine.fetch.OriginTls tls)
    {
        return BindingStreams.connect(registry, tunnelId, name, destination, ConnectOptions.DEFAULTS, metrics,
            TunnelFrameEncoder.KIND_HTTP, tls);
    }
}

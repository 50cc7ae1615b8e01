package dev.warren.engine.edge;

import dev.warren.api.ConnectOptions;
import dev.warren.api.ErrorCode;
import dev.warren.api.ServiceConfig;
import dev.warren.api.ServiceType;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcService;
import dev.warren.api.WarrenException;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.net.HostPort;

/**
 * A VPC Service binding: the configured host and port decide the destination of every call. {@code connect()} is
 * served for {@code type: tcp}; {@code fetch()} for {@code type: http} comes with the HTTP codec. Immutable;
 * thread-safe.
 */
final class ServiceBinding implements VpcService, dev.warren.engine.fetch.FetchRoute
{
    private final ServiceConfig config;
    private final TunnelRegistry registry;
    private final HostPort tcpTarget;
    private final BindingMetrics metrics;

    /**
     * @throws IllegalArgumentException when the configured host is not a valid address or host name.
     */
    ServiceBinding(final ServiceConfig config, final TunnelRegistry registry, final BindingMetrics metrics)
    {
        this.metrics = metrics;
        this.config = config;
        this.registry = registry;
        final String problem = HostPort.checkHost(config.host());
        if (problem != null)
        {
            throw new IllegalArgumentException("service '" + config.name() + "': " + problem);
        }
        this.tcpTarget = config.type() == ServiceType.TCP ? new HostPort(config.host(), config.tcpPort()) : null;
    }

    @Override
    public String name()
    {
        return config.name();
    }

    @Override
    public ServiceConfig config()
    {
        return config;
    }

    HostPort tcpTarget()
    {
        return tcpTarget;
    }

    @Override
    public TcpSocket connect(final ConnectOptions options)
    {
        if (tcpTarget == null)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, "binding '" + config.name() +
                "' is an http service: use fetch(), not connect()");
        }
        return BindingStreams.connect(registry, config.tunnel(), config.name(), tcpTarget, options, metrics);
    }

    @Override
    public java.util.concurrent.CompletableFuture<dev.warren.api.FetchResponse> fetch(
        final dev.warren.api.FetchRequest request)
    {
        if (config.type() != ServiceType.HTTP)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, "binding '" + config.name() +
                "' is a tcp service: use connect(), not fetch()");
        }
        return dev.warren.engine.fetch.FetchClient.fetch(this, request);
    }

    @Override
    public String bindingName()
    {
        return config.name();
    }

    /**
     * A service's destination is its configured host and the port configured for the URL's scheme; the URL's host
     * and port only fill {@code Host} (SPEC §2).
     */
    @Override
    public HostPort destination(final java.net.URI url)
    {
        final boolean https = "https".equalsIgnoreCase(url.getScheme());
        final int port = https ? config.httpsPort() : config.httpPort();
        if (port == 0)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, "binding '" + config.name() + "' serves no " +
                (https ? "https (no httpsPort configured)" : "http (no httpPort configured)") + ": " + url);
        }
        return new HostPort(config.host(), port);
    }

    @Override
    public TcpSocket openHttp(final HostPort destination)
    {
        return openHttp(destination, null);
    }

    @Override
    public dev.warren.api.CertVerification certVerification()
    {
        return config.certVerification();
    }

    @Override
    public TcpSocket openHttp(final HostPort destination, final dev.warren.engine.fetch.OriginTls tls)
    {
        return BindingStreams.connect(registry, config.tunnel(), config.name(), destination, ConnectOptions.DEFAULTS,
            metrics, TunnelFrameEncoder.KIND_HTTP, tls);
    }
}

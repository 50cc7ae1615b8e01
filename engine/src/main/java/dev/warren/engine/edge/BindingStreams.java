package dev.warren.engine.edge;

import dev.warren.api.ConnectOptions;
import dev.warren.api.ErrorCode;
import dev.warren.api.SecureTransport;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.metrics.BindingMetrics;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.net.HostPort;

import javax.net.ssl.SSLEngine;
import java.security.GeneralSecurityException;

/**
 * Opens a tcp stream for a binding: picks a live connection of the tunnel and hands the stream to its loop.
 * Shared by network and service bindings. Stateless; thread-safe.
 */
final class BindingStreams
{
    private BindingStreams()
    {
    }

    static TcpSocket connect(
        final TunnelRegistry registry, final String tunnelId, final String bindingName, final HostPort destination,
        final ConnectOptions options, final BindingMetrics metrics)
    {
        return connect(registry, tunnelId, bindingName, destination, options, metrics, TunnelFrameEncoder.KIND_TCP);
    }

    /**
     * @param kind {@link TunnelFrameEncoder#KIND_TCP} for a byte stream, {@link TunnelFrameEncoder#KIND_HTTP} for one
     *             HTTP/1.1 exchange that the connector carries over its keep-alive pool.
     */
    static TcpSocket connect(
        final TunnelRegistry registry, final String tunnelId, final String bindingName, final HostPort destination,
        final ConnectOptions options, final BindingMetrics metrics, final int kind)
    {
        return connect(registry, tunnelId, bindingName, destination, options, metrics, kind, null);
    }

    /**
     * @param tls for an http stream: null for plaintext, or the TLS the connector originates to the host (its OPEN
     *            then carries the TLS flag, the verification mode and the server name).
     */
    static TcpSocket connect(
        final TunnelRegistry registry, final String tunnelId, final String bindingName, final HostPort destination,
        final ConnectOptions options, final BindingMetrics metrics, final int kind,
        final dev.warren.engine.fetch.OriginTls tls)
    {
        final long startNs = System.nanoTime();
        final SocketTls socketTls = kind == TunnelFrameEncoder.KIND_TCP ? SocketTls.of(options, destination) : null;
        final String description = "binding '" + bindingName + "' -> " + (tls != null ?
            destination + " (tls, server name " + tls.serverName() + ", " +
            tls.verification().name().toLowerCase(java.util.Locale.ROOT) + ")" :
            socketTls != null ? destination + " (" + socketTls.describe() + ")" : destination.toString());
        if (options.secureTransport() != SecureTransport.OFF && socketTls == null)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, description + ": secureTransport " +
                options.secureTransport() + " applies to connect() only");
        }
        SSLEngine engine = null;
        if (socketTls != null && socketTls.mode() == SecureTransport.ON)
        {
            try
            {
                engine = socketTls.newEngine(); // here, on the caller's thread: never a context build on a loop
            }
            catch (final GeneralSecurityException | RuntimeException ex)
            {
                metrics.streams().failed(WireCode.TLS_ERROR);
                return CallerStream.failed(ErrorCode.TLS_ERROR, description, "cannot set up TLS: " + ex.getMessage());
            }
        }
        final EdgeTunnelConnection connection = registry.choose(tunnelId, EventLoop.current());
        if (connection == null)
        {
            metrics.streams().failed(WireCode.DESTINATION_UNAVAILABLE);
            return CallerStream.failed(ErrorCode.DESTINATION_UNAVAILABLE, description,
                "no connector is connected for tunnel '" + tunnelId + "'");
        }
        final CallerStream stream = new CallerStream(
            connection, description, options.allowHalfOpen(), metrics, startNs, socketTls, engine);
        final int timeoutMs = options.connectTimeout() == null ? 0 :
            (int)Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
        final int flags = tls == null ? 0 : tls.openFlags();
        final String serverName = tls == null ? null : tls.serverName();
        connection.loop().execute(() -> connection.open(
            stream, kind, destination.host(), destination.port(), timeoutMs, flags, serverName));
        return stream;
    }
}

package dev.warren.api;

/**
 * A VPC Service binding (SPEC §2): the configured host and port decide where every call goes. Thread-safe.
 */
public interface VpcService
{
    /**
     * The binding's name.
     *
     * @return the name from the edge configuration.
     */
    String name();

    /**
     * How it is configured.
     *
     * @return the binding's configuration.
     */
    ServiceConfig config();

    /**
     * Opens a TCP stream to the service's host and {@code tcpPort}. Failures to reach the host are reported
     * through {@link TcpSocket#opened()}.
     *
     * @param options the call's options.
     * @return the socket, at once.
     * @throws WarrenException with {@code request_invalid} for an HTTP service (use {@code fetch()}) or an
     *                         unsupported option.
     */
    TcpSocket connect(ConnectOptions options);

    /**
     * Opens a TCP stream with {@link ConnectOptions#DEFAULTS}; see {@link #connect(ConnectOptions)}.
     *
     * @return the socket, at once.
     * @throws WarrenException with {@code request_invalid} for an HTTP service.
     */
    default TcpSocket connect()
    {
        return connect(ConnectOptions.DEFAULTS);
    }

    /**
     * {@code fetch(url)} with a GET; see {@link #fetch(FetchRequest)}.
     *
     * @param url an absolute {@code http} URL.
     * @return the response, once its head has arrived.
     * @throws WarrenException with {@code request_invalid} when the URL is not an absolute http URL.
     */
    default java.util.concurrent.CompletableFuture<FetchResponse> fetch(final String url)
    {
        final java.net.URI uri;
        try
        {
            uri = java.net.URI.create(url);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new WarrenException(ErrorCode.REQUEST_INVALID, "'" + url + "' is not a URL: " + ex.getMessage());
        }
        return fetch(FetchRequest.builder(uri).build());
    }

    /**
     * Sends an HTTP/1.1 request through the tunnel (SPEC §3). The configured host and the port configured for the URL's scheme decide the destination; the URL's host only fills {@code Host}, and its port is ignored.
     * Cancelling the returned future (or the body's subscription) resets the stream at once, on both sides of the
     * tunnel. Not yet supported: {@code https} (fails with {@code request_invalid}), request bodies as streams,
     * keep-alive reuse of private-host connections (each request uses its own).
     *
     * @param request the request.
     * @return the response, once its head has arrived; fails with a {@link WarrenException} whose code says why the
     * host could not be reached.
     * @throws WarrenException with {@code request_invalid} for a relative URL, a scheme other than http, a body on
     *                         GET or HEAD, CONNECT, or a malformed header.
     */
    java.util.concurrent.CompletableFuture<FetchResponse> fetch(FetchRequest request);
}

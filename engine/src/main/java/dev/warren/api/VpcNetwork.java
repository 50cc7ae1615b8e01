package dev.warren.api;

/**
 * A VPC Network binding (SPEC §2): the address given to {@link #connect} decides the destination, within the
 * connector's allow-list. Thread-safe.
 */
public interface VpcNetwork
{
    /**
     * The binding's name.
     *
     * @return the name from the edge configuration.
     */
    String name();

    /**
     * Opens a TCP stream to {@code address} with {@link ConnectOptions#DEFAULTS}; see
     * {@link #connect(String, int, ConnectOptions)}.
     *
     * @param address {@code "host:port"}, IPv6 as {@code "[::1]:6379"}.
     * @return the socket, at once; {@link TcpSocket#opened()} tells whether the private host accepted.
     * @throws WarrenException with {@code request_invalid} when the address is malformed.
     */
    default TcpSocket connect(final String address)
    {
        return connect(address, ConnectOptions.DEFAULTS);
    }

    /**
     * Opens a TCP stream to {@code address} ({@code "host:port"}, IPv6 bracketed).
     *
     * @param address {@code "host:port"}, IPv6 as {@code "[::1]:6379"}.
     * @param options the call's options.
     * @return the socket, at once; {@link TcpSocket#opened()} tells whether the private host accepted.
     * @throws WarrenException with {@code request_invalid} when the address is malformed.
     */
    TcpSocket connect(String address, ConnectOptions options);

    /**
     * Opens a TCP stream to {@code host} and {@code port}. Failures to reach the host are reported through
     * {@link TcpSocket#opened()}.
     *
     * @param host    an IPv4 or IPv6 address or a host name, resolved on the connector's side.
     * @param port    1..65535.
     * @param options the call's options.
     * @return the socket, at once; {@link TcpSocket#opened()} tells whether the private host accepted.
     * @throws WarrenException with {@code request_invalid} when the host or port is malformed, or a secure
     *                         transport is asked for (not yet supported).
     */
    TcpSocket connect(String host, int port, ConnectOptions options);

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
     * Sends an HTTP/1.1 request through the tunnel (SPEC §3). The URL decides the destination, port included, within the connector's allow-list.
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

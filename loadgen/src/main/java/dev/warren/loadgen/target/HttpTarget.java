package dev.warren.loadgen.target;

import dev.warren.codec.http.HttpMethod;
import dev.warren.engine.loop.EventLoop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * {@code loadgen http}, direct: an HTTP/1.1 server reached over keep-alive TCP connections, one {@link HttpTransport}
 * per connection on the load's own event loops. Immutable; thread-safe.
 */
public final class HttpTarget implements Target
{
    private final InetSocketAddress address;
    private final HttpMethod method;
    private final String url;
    private final byte[] expectedBody;

    /**
     * @param address resolved once, here, so that no connection attempt waits on DNS.
     * @param method  the requests' method (a response to HEAD has no body); {@link HttpMethod#OTHER} for another.
     * @param url     for reports.
     */
    public HttpTarget(final InetSocketAddress address, final HttpMethod method, final String url)
    {
        this(address, method, url, null);
    }

    /**
     * @param expectedBody what every 2xx response's body must be, byte for byte (a body that differs, is cut short
     *                     or is longer is a {@link ErrorKind#MISMATCH} error); null to check nothing.
     */
    public HttpTarget(
        final InetSocketAddress address, final HttpMethod method, final String url, final byte[] expectedBody)
    {
        this.expectedBody = expectedBody == null ? null : expectedBody.clone();
        this.address = address;
        this.method = method;
        this.url = url;
    }

    @Override
    public Transport newTransport(
        final EventLoop loop, final TransportHandler handler, final ByteBuffer scratch, final EchoVerifier verifier)
    {
        return new HttpTransport(loop, address, handler, scratch, method,
            expectedBody == null ? null : new BodyCheck(expectedBody));
    }

    @Override
    public String describe()
    {
        return url + " (direct, " + address.getAddress().getHostAddress() + ":" + address.getPort() + ")";
    }

    @Override
    public void close()
    {
        // nothing started
    }
}

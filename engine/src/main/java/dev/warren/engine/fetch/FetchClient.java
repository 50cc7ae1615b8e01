package dev.warren.engine.fetch;

import dev.warren.api.ErrorCode;
import dev.warren.api.FetchRequest;
import dev.warren.api.FetchResponse;
import dev.warren.api.HttpHeaders;
import dev.warren.api.RedirectMode;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.codec.http.HttpHeadEncoder;
import dev.warren.engine.net.HostPort;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * {@code fetch()} for a binding (SPEC §3): checks the request, encodes it, sends it over a fresh tunnel stream to the
 * destination the binding's {@link FetchRoute} picks, and follows redirects through the same route. Stateless;
 * thread-safe.
 */
public final class FetchClient
{
    /** Redirects followed at most (SPEC §3). */
    public static final int MAX_REDIRECTS = 20;
    /** Largest request head the engine writes. */
    private static final int MAX_REQUEST_HEAD = 64 * 1024;
    /** Header fields the engine writes itself; the caller's are dropped, as a browser drops forbidden ones. */
    private static final String[] ENGINE_FIELDS =
        {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer"};
    /** Credentials dropped when a redirect leaves the origin (SPEC §3). */
    private static final String[] CREDENTIAL_FIELDS = {"authorization", "cookie", "proxy-authorization"};

    private FetchClient()
    {
    }

    /**
     * @throws WarrenException with {@code request_invalid} when the request is malformed.
     */
    public static CompletableFuture<FetchResponse> fetch(final FetchRoute route, final FetchRequest request)
    {
        final String method = request.method();
        final String where = "binding '" + route.bindingName() + "' fetch " + request.url();
        if (!request.url().isAbsolute() || request.url().getHost() == null)
        {
            throw invalid(where + ": the URL must be absolute, with a scheme and a host");
        }
        checkScheme(where, request.url());
        route.destination(request.url()); // a scheme the binding refuses (no httpsPort) is refused at once
        if (method.isEmpty() || !method.chars().allMatch(FetchClient::isTokenChar))
        {
            throw invalid(where + ": '" + method + "' is not a method");
        }
        if ("CONNECT".equalsIgnoreCase(method))
        {
            throw invalid(where + ": CONNECT is not a fetch() method; use connect()");
        }
        if (request.hasBody() && ("GET".equals(method) || "HEAD".equals(method)))
        {
            throw invalid(where + ": a " + method + " request cannot have a body");
        }
        final ByteBuffer head = request.bodyPublisher() != null ?
            encodeHead(where, request.url(), method, request.headers(), request.bodyLength()) :
            encode(where, request.url(), method, request.headers(), request.body());
        final FetchCall call = new FetchCall();
        send(call, route, request, request.url(), method, request.headers(), request.body(), head, 0)
            .whenComplete((response, error) ->
            {
                if (error != null)
                {
                    call.result.completeExceptionally(error instanceof java.util.concurrent.CompletionException &&
                        error.getCause() != null ? error.getCause() : error);
                }
                else
                {
                    call.result.complete(response);
                }
            });
        return call.result;
    }

    /**
     * One fetch, redirects included: the future handed to the caller, and the exchange in flight, which a
     * cancellation of that future aborts.
     */
    private static final class FetchCall
    {
        final CompletableFuture<FetchResponse> result = new CompletableFuture<>();
        volatile FetchExchange current;

        FetchCall()
        {
            result.whenComplete((response, error) ->
            {
                final FetchExchange exchange = current;
                if (error instanceof java.util.concurrent.CancellationException && exchange != null)
                {
                    exchange.abort();
                }
            });
        }
    }

    private static CompletableFuture<FetchResponse> send(
        final FetchCall call, final FetchRoute route, final FetchRequest original, final URI url, final String method,
        final HttpHeaders headers, final byte[] body, final ByteBuffer encoded, final int hops)
    {
        final String description = "binding '" + route.bindingName() + "' fetch " + method + " " + url;
        final HostPort destination;
        final TcpSocket socket;
        try
        {
            destination = route.destination(url);
            socket = route.openHttp(destination, "https".equalsIgnoreCase(url.getScheme()) ?
                new OriginTls(bareHost(url), route.certVerification()) : null);
        }
        catch (final WarrenException ex)
        {
            return CompletableFuture.failedFuture(ex);
        }
        final FetchExchange exchange = new FetchExchange(socket, url, method, hops > 0, description + " -> " +
            destination);
        call.current = exchange;
        if (call.result.isCancelled())
        {
            exchange.abort();
        }
        // Only the first hop streams the caller's publisher: a stream is never sent twice (see redirect()).
        CompletableFuture<FetchResponse> head = hops == 0 && original.bodyPublisher() != null ?
            exchange.start(encoded, original.bodyPublisher(), original.bodyLength()) : exchange.start(encoded);
        if (original.timeout() != null)
        {
            final long timeoutMs = original.timeout().toMillis();
            head = head.orTimeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS).exceptionallyCompose(error ->
            {
                if (error instanceof java.util.concurrent.TimeoutException)
                {
                    exchange.abort();
                    return CompletableFuture.failedFuture(new WarrenException(ErrorCode.CONNECTION_TIMEOUT,
                        description + ": no response head within " + timeoutMs + " ms"));
                }
                return CompletableFuture.failedFuture(error);
            });
        }
        return head.thenCompose(response -> redirect(call, route, original, url, method, headers, body, hops, response));
    }

    private static CompletableFuture<FetchResponse> redirect(
        final FetchCall call, final FetchRoute route, final FetchRequest original, final URI url, final String method,
        final HttpHeaders headers, final byte[] body, final int hops, final FetchResponse response)
    {
        final int status = response.status();
        final String location = response.headers().first("location");
        final boolean isRedirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) &&
            location != null;
        if (!isRedirect || original.redirect() == RedirectMode.MANUAL)
        {
            return CompletableFuture.completedFuture(response);
        }
        discard(response);
        final String where = "binding '" + route.bindingName() + "' fetch " + original.url();
        if (original.redirect() == RedirectMode.ERROR)
        {
            return CompletableFuture.failedFuture(invalid(where + ": " + status + " redirect to " + location +
                " refused (redirect: error)"));
        }
        if (hops + 1 > MAX_REDIRECTS)
        {
            return CompletableFuture.failedFuture(invalid(where + ": more than " + MAX_REDIRECTS + " redirects"));
        }
        final URI next;
        try
        {
            next = url.resolve(location.trim());
            checkScheme(where, next);
            if (next.getHost() == null)
            {
                throw invalid(where + ": redirect to '" + location + "' has no host");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return CompletableFuture.failedFuture(invalid(where + ": bad redirect location '" + location + "'"));
        }
        catch (final WarrenException ex)
        {
            return CompletableFuture.failedFuture(ex);
        }
        // 303, and 301/302 after a POST, turn into a GET without a body (as browsers and the Fetch standard do).
        final boolean toGet = (status == 303 && !"HEAD".equals(method)) ||
            ((status == 301 || status == 302) && "POST".equals(method));
        final String nextMethod = toGet ? "GET" : method;
        if (!toGet && hops == 0 && original.bodyPublisher() != null)
        {
            // The Fetch standard's "HTTP-redirect fetch": a body whose source is a stream cannot be sent again.
            return CompletableFuture.failedFuture(invalid(where + ": " + status + " redirect to " + location +
                " cannot be followed: the request body was a stream, which cannot be sent again (send it as bytes, " +
                "or use redirect MANUAL to see the " + status + ")"));
        }
        final byte[] nextBody = toGet ? null : body;
        HttpHeaders nextHeaders = toGet ? headers.without("content-type") : headers;
        if (!sameOrigin(url, next))
        {
            nextHeaders = nextHeaders.without(CREDENTIAL_FIELDS);
        }
        final ByteBuffer encoded;
        try
        {
            encoded = encode(where, next, nextMethod, nextHeaders, nextBody);
        }
        catch (final WarrenException ex)
        {
            return CompletableFuture.failedFuture(ex);
        }
        return send(call, route, original, next, nextMethod, nextHeaders, nextBody, encoded, hops + 1);
    }

    /** Reads and drops a redirect's body so its stream ends. */
    private static void discard(final FetchResponse response)
    {
        response.body().subscribe(new Flow.Subscriber<>()
        {
            @Override
            public void onSubscribe(final Flow.Subscription subscription)
            {
                subscription.cancel();
            }

            @Override
            public void onNext(final ByteBuffer item)
            {
            }

            @Override
            public void onError(final Throwable throwable)
            {
            }

            @Override
            public void onComplete()
            {
            }
        });
    }

    private static boolean sameOrigin(final URI a, final URI b)
    {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) &&
            effectivePort(a) == effectivePort(b);
    }

    static int effectivePort(final URI url)
    {
        return url.getPort() != -1 ? url.getPort() : defaultPort(url);
    }

    private static int defaultPort(final URI url)
    {
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    private static void checkScheme(final String where, final URI url)
    {
        final String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme))
        {
            throw invalid(where + ": the URL must be http or https, not '" + url.getScheme() + "'");
        }
    }

    /** The URL's host as a TLS server name: IPv6 without brackets. */
    private static String bareHost(final URI url)
    {
        final String host = url.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The request head for a streamed body: {@code Content-Length} when its length is known, else chunked. */
    private static ByteBuffer encodeHead(
        final String where, final URI url, final String method, final HttpHeaders headers, final long bodyLength)
    {
        final byte[] bytes = new byte[MAX_REQUEST_HEAD];
        final HttpHeadEncoder encoder = new HttpHeadEncoder().wrap(new UnsafeBuffer(bytes), 0, MAX_REQUEST_HEAD);
        try
        {
            startHead(encoder, url, method, headers);
            if (bodyLength >= 0)
            {
                encoder.contentLength(bodyLength);
            }
            else
            {
                encoder.chunked();
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw invalid(where + ": " + ex.getMessage());
        }
        final int headLength = encoder.end();
        if (headLength == HttpHeadEncoder.OVERFLOW)
        {
            throw invalid(where + ": request head larger than " + MAX_REQUEST_HEAD + " bytes");
        }
        return ByteBuffer.wrap(bytes, 0, headLength);
    }

    /** The request line, {@code Host} and the caller's fields but those the engine writes itself. */
    private static void startHead(
        final HttpHeadEncoder encoder, final URI url, final String method, final HttpHeaders headers)
    {
        final String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        final String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        final String host = url.getHost();
        final String hostField = (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) +
            (url.getPort() != -1 && url.getPort() != defaultPort(url) ? ":" + url.getPort() : "");
        encoder.requestLine(method, target).header("Host", hostField);
        for (final Map.Entry<String, String> field : headers.without(ENGINE_FIELDS).fields())
        {
            encoder.header(field.getKey(), field.getValue());
        }
    }

    /** The request head and body, ready to write. */
    private static ByteBuffer encode(
        final String where, final URI url, final String method, final HttpHeaders headers, final byte[] body)
    {
        final int bodyLength = body == null ? 0 : body.length;
        final byte[] bytes = new byte[MAX_REQUEST_HEAD + bodyLength];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final HttpHeadEncoder encoder = new HttpHeadEncoder().wrap(buffer, 0, MAX_REQUEST_HEAD);
        try
        {
            startHead(encoder, url, method, headers);
            if (body != null || "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))
            {
                encoder.contentLength(bodyLength);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw invalid(where + ": " + ex.getMessage());
        }
        final int headLength = encoder.end();
        if (headLength == HttpHeadEncoder.OVERFLOW)
        {
            throw invalid(where + ": request head larger than " + MAX_REQUEST_HEAD + " bytes");
        }
        if (bodyLength > 0)
        {
            System.arraycopy(body, 0, bytes, headLength, bodyLength);
        }
        return ByteBuffer.wrap(bytes, 0, headLength + bodyLength);
    }

    private static boolean isTokenChar(final int c)
    {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static WarrenException invalid(final String message)
    {
        return new WarrenException(ErrorCode.REQUEST_INVALID, Objects.requireNonNull(message));
    }
}

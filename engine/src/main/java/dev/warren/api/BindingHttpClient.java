package dev.warren.api;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * A {@link HttpClient} whose {@code send}/{@code sendAsync} go through a binding's {@code fetch()}, so code written
 * for the JDK's client reaches private hosts unchanged: {@code BindingHttpClient.of(edge.network("office-net"))}.
 * <p>
 * Supported: any method but CONNECT, request headers, request bodies (streamed with backpressure from the
 * {@link HttpRequest.BodyPublisher}: {@code Content-Length} when it knows its length, else chunked; a 307/308
 * redirect of a request with a body fails, since the stream is not sent twice), every
 * {@link HttpResponse.BodyHandler} (the body streams with backpressure), {@link HttpRequest#timeout()} (until the
 * response head), redirects per {@link #followRedirects()} ({@code NEVER} = manual, otherwise followed through the
 * binding), {@code https} URLs (the connector originates TLS to the private host and verifies it as the binding
 * says; this client's {@link #sslContext()} and {@link #sslParameters()} play no part). Not supported: HTTP/2,
 * WebSocket, push promises, cookie handlers, authenticators and proxies (all reported by their accessors as
 * absent). Failures arrive as an {@link IOException} whose cause is
 * the {@link WarrenException} with its SPEC code. Thread-safe.
 */
public final class BindingHttpClient extends HttpClient
{
    private final Function<FetchRequest, CompletableFuture<FetchResponse>> fetch;
    private final Redirect redirect;

    private BindingHttpClient(final Function<FetchRequest, CompletableFuture<FetchResponse>> fetch,
        final Redirect redirect)
    {
        this.fetch = fetch;
        this.redirect = redirect;
    }

    /**
     * @param network the binding to send through.
     * @return a client following redirects ({@link Redirect#NORMAL}).
     */
    public static BindingHttpClient of(final VpcNetwork network)
    {
        return new BindingHttpClient(network::fetch, Redirect.NORMAL);
    }

    /**
     * @param service the binding to send through: requests reach its configured target, whatever the URL's host.
     * @return a client following redirects ({@link Redirect#NORMAL}).
     */
    public static BindingHttpClient of(final VpcService service)
    {
        return new BindingHttpClient(service::fetch, Redirect.NORMAL);
    }

    /**
     * @param redirect the redirect policy: {@link Redirect#NEVER} returns 3xx responses as they are.
     * @return a client like this one with that policy.
     */
    public BindingHttpClient withRedirect(final Redirect redirect)
    {
        return new BindingHttpClient(fetch, redirect);
    }

    @Override
    public <T> HttpResponse<T> send(final HttpRequest request, final HttpResponse.BodyHandler<T> handler)
        throws IOException, InterruptedException
    {
        try
        {
            return sendAsync(request, handler).get();
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof IOException)
            {
                throw (IOException)cause;
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        final HttpRequest request, final HttpResponse.BodyHandler<T> handler)
    {
        try
        {
            final List<String> fields = new ArrayList<>();
            request.headers().map().forEach((name, values) ->
            {
                for (final String value : values)
                {
                    fields.add(name);
                    fields.add(value);
                }
            });
            final FetchRequest.Builder builder = FetchRequest.builder(request.uri())
                .method(request.method())
                .headers(HttpHeaders.of(fields.toArray(new String[0])))
                .redirect(redirect == Redirect.NEVER ? RedirectMode.MANUAL : RedirectMode.FOLLOW);
            final Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
            if (publisher.isPresent())
            {
                final long length = publisher.get().contentLength();
                if (length != 0)
                {
                    builder.body(publisher.get(), length < 0 ? -1 : length); // streamed: chunked when unknown
                }
                else if (!"GET".equals(request.method()) && !"HEAD".equals(request.method()))
                {
                    builder.body(new byte[0]);
                }
            }
            request.timeout().ifPresent(builder::timeout);
            final CompletableFuture<FetchResponse> response;
            try
            {
                response = fetch.apply(builder.build());
            }
            catch (final WarrenException ex)
            {
                return CompletableFuture.failedFuture(new IOException(ex.getMessage(), ex));
            }
            return response.thenCompose(fetched -> deliver(request, fetched, handler)).exceptionallyCompose(error ->
            {
                final Throwable cause = error instanceof CompletionException && error.getCause() != null ?
                    error.getCause() : error;
                return CompletableFuture.failedFuture(
                    cause instanceof IOException ? cause : new IOException(cause.getMessage(), cause));
            });
        }
        catch (final IllegalArgumentException ex)
        {
            return CompletableFuture.failedFuture(new IOException(ex.getMessage(), ex));
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(
        final HttpRequest request, final HttpResponse.BodyHandler<T> handler,
        final HttpResponse.PushPromiseHandler<T> pushPromiseHandler)
    {
        return sendAsync(request, handler);
    }

    private static <T> CompletableFuture<HttpResponse<T>> deliver(
        final HttpRequest request, final FetchResponse fetched, final HttpResponse.BodyHandler<T> handler)
    {
        final Map<String, List<String>> map = new LinkedHashMap<>();
        for (final Map.Entry<String, String> field : fetched.headers().fields())
        {
            map.computeIfAbsent(field.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(field.getValue());
        }
        final java.net.http.HttpHeaders headers = java.net.http.HttpHeaders.of(map, (name, value) -> true);
        final HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo()
        {
            @Override
            public int statusCode()
            {
                return fetched.status();
            }

            @Override
            public java.net.http.HttpHeaders headers()
            {
                return headers;
            }

            @Override
            public Version version()
            {
                return Version.HTTP_1_1;
            }
        });
        fetched.body().subscribe(new Flow.Subscriber<>()
        {
            @Override
            public void onSubscribe(final Flow.Subscription subscription)
            {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(final ByteBuffer item)
            {
                subscriber.onNext(List.of(item));
            }

            @Override
            public void onError(final Throwable throwable)
            {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete()
            {
                subscriber.onComplete();
            }
        });
        return subscriber.getBody().toCompletableFuture().thenApply(body -> new Response<>(request, fetched, headers,
            body));
    }

    /** A response as the JDK's client shapes it. */
    private record Response<T>(HttpRequest request, FetchResponse fetched, java.net.http.HttpHeaders headers, T body)
        implements HttpResponse<T>
    {
        @Override
        public int statusCode()
        {
            return fetched.status();
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse()
        {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession()
        {
            return Optional.empty();
        }

        @Override
        public URI uri()
        {
            return fetched.url();
        }

        @Override
        public HttpClient.Version version()
        {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler()
    {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout()
    {
        return Optional.empty();
    }

    @Override
    public Redirect followRedirects()
    {
        return redirect;
    }

    @Override
    public Optional<ProxySelector> proxy()
    {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext()
    {
        try
        {
            return SSLContext.getDefault();
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public SSLParameters sslParameters()
    {
        return new SSLParameters();
    }

    @Override
    public Optional<Authenticator> authenticator()
    {
        return Optional.empty();
    }

    @Override
    public Version version()
    {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor()
    {
        return Optional.empty();
    }
}

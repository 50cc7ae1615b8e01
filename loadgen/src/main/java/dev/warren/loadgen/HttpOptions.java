package dev.warren.loadgen;

import dev.warren.api.FetchRequest;
import dev.warren.api.HttpHeaders;
import dev.warren.api.RedirectMode;
import dev.warren.codec.http.HttpHeadEncoder;
import dev.warren.codec.http.HttpMethod;
import dev.warren.loadgen.drive.HttpRequestBytes;
import dev.warren.loadgen.drive.LoadPlan;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of {@code warren loadgen http}. Immutable.
 *
 * @param url             the URL every request asks for ({@code http://HOST[:PORT]/PATH[?QUERY]}).
 * @param method          the method, upper case as given, e.g. {@code GET}.
 * @param headers         the {@code -H} fields, in order.
 * @param body            the request body; null for none.
 * @param expectBody      what every 2xx response's body must be ({@code --expect-body-file}); null to check nothing.
 * @param via             the edge file to start an edge from; null to go direct.
 * @param binding         the binding of {@code via}: a VPC Network or an http service.
 * @param connectorWaitNs how long to wait for a connector to dial in to that edge.
 * @param plan            the load, with the encoded request.
 * @param maxErrors       errors allowed before the run fails (non-2xx responses are not errors).
 * @param label           the run's name; null for one made up from the options.
 * @param hgrm            where to write the .hgrm distribution; null for nowhere.
 * @param json            where to write the JSON report; null for nowhere.
 * @param html            where to write the HTML page; null for nowhere.
 * @param progress        TRUE or FALSE when {@code --progress}/{@code --no-progress} was given; null to decide by the
 *                        terminal.
 */
record HttpOptions(
    URI url, String method, List<Map.Entry<String, String>> headers, byte[] body, byte[] expectBody, Path via,
    String binding,
    long connectorWaitNs, LoadPlan plan, long maxErrors, String label, Path hgrm, Path json, Path html,
    Boolean progress)
{
    /** The largest request head. */
    static final int MAX_HEAD = 64 * 1024;
    /** The largest request body. */
    static final int MAX_BODY = 64 * 1024 * 1024;

    /** Parses the arguments after {@code http}. @return null when {@code --help} was asked for. */
    static HttpOptions parse(final String[] args, final int from) throws LoadgenUsageException
    {
        final ArgumentCursor cursor = new ArgumentCursor("loadgen http", args, from);
        String url = null;
        String method = null;
        final List<Map.Entry<String, String>> headers = new ArrayList<>();
        byte[] body = null;
        byte[] expectBody = null;
        final SharedLoadOptions shared = new SharedLoadOptions();
        while (cursor.hasNext())
        {
            final String arg = cursor.next();
            if (shared.accept(arg, cursor))
            {
                continue;
            }
            switch (arg)
            {
                case "-h", "--help" -> {
                    return null;
                }
                case "-X", "--method" -> method = cursor.value();
                case "-H", "--header" -> {
                    final String field = cursor.value();
                    final int colon = field.indexOf(':');
                    if (colon <= 0)
                    {
                        throw cursor.usage("-H takes 'Name: value': '" + field + "'");
                    }
                    final String name = field.substring(0, colon).trim();
                    if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding"))
                    {
                        throw cursor.usage("-H " + name + ": the body's framing is set by --body/--body-file");
                    }
                    headers.add(new AbstractMap.SimpleImmutableEntry<>(name, field.substring(colon + 1).trim()));
                }
                case "--body", "--body-file" -> {
                    if (body != null)
                    {
                        throw cursor.usage("give one --body or --body-file");
                    }
                    final String value = cursor.value();
                    if ("--body".equals(arg))
                    {
                        body = value.getBytes(StandardCharsets.UTF_8);
                    }
                    else
                    {
                        try
                        {
                            if (Files.size(Path.of(value)) > MAX_BODY)
                            {
                                throw cursor.usage("--body-file " + value + " is larger than " + MAX_BODY + " bytes");
                            }
                            body = Files.readAllBytes(Path.of(value));
                        }
                        catch (final IOException ex)
                        {
                            throw cursor.usage("cannot read --body-file " + value + ": " + ex.getMessage());
                        }
                    }
                }
                case "--expect-body-file" -> {
                    final String value = cursor.value();
                    try
                    {
                        if (Files.size(Path.of(value)) > MAX_BODY)
                        {
                            throw cursor.usage("--expect-body-file " + value + " is larger than " + MAX_BODY +
                                " bytes");
                        }
                        expectBody = Files.readAllBytes(Path.of(value));
                    }
                    catch (final IOException ex)
                    {
                        throw cursor.usage("cannot read --expect-body-file " + value + ": " + ex.getMessage());
                    }
                }
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1)
                    {
                        throw cursor.usage("unknown option '" + arg + "'");
                    }
                    if (url != null)
                    {
                        throw cursor.usage("one URL only; also got '" + arg + "'");
                    }
                    url = arg;
                }
            }
        }
        shared.finish(cursor);
        if (url == null)
        {
            throw cursor.usage("give the URL, e.g. http://127.0.0.1:8080/");
        }
        final URI uri = checkUrl(cursor, url, shared.via != null);
        if (expectBody != null && shared.via != null)
        {
            throw cursor.usage("--expect-body-file checks direct http only, not --via");
        }
        method = method == null ? (body != null ? "POST" : "GET") : method.toUpperCase(Locale.ROOT);
        if (body != null && ("GET".equals(method) || "HEAD".equals(method)))
        {
            throw cursor.usage(method + " takes no body (give -X POST, or another method)");
        }
        if ("CONNECT".equals(method))
        {
            throw cursor.usage("CONNECT is not a request loadgen http sends");
        }
        final HttpRequestBytes request = encode(cursor, uri, method, headers, body);
        final LoadPlan plan = LoadPlan.http(request, shared.rate, shared.connections, shared.loops, shared.durationNs,
            shared.warmupNs, shared.timeoutNs, shared.connectTimeoutNs);
        return new HttpOptions(uri, method, List.copyOf(headers), body, expectBody, shared.via, shared.binding,
            shared.connectorWaitNs, plan, shared.maxErrors, shared.label, shared.hgrm, shared.json, shared.html,
            shared.progress);
    }

    /** The method as the codec knows it ({@link HttpMethod#OTHER} for an extension method). */
    HttpMethod httpMethod()
    {
        for (final HttpMethod known : HttpMethod.values())
        {
            if (known != HttpMethod.OTHER && known.name().equals(method))
            {
                return known;
            }
        }
        return HttpMethod.OTHER;
    }

    int port()
    {
        return url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /** {@code --via}: the request as a {@code fetch()} (redirects are not followed: a 3xx is counted as such). */
    FetchRequest fetchRequest()
    {
        final FetchRequest.Builder builder = FetchRequest.builder(url).method(method)
            .headers(HttpHeaders.of(headers)).redirect(RedirectMode.MANUAL);
        if (body != null)
        {
            builder.body(body);
        }
        return builder.build();
    }

    /** The label given, or one that says what the run was. */
    String labelOrDefault()
    {
        if (label != null)
        {
            return label;
        }
        return "http " + method + " " + (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath()) +
            " " + SharedLoadOptions.labelSuffix(via, binding, plan);
    }

    private static URI checkUrl(final ArgumentCursor cursor, final String url, final boolean viaBinding)
        throws LoadgenUsageException
    {
        final URI uri;
        try
        {
            uri = new URI(url);
        }
        catch (final URISyntaxException ex)
        {
            throw cursor.usage("an absolute http URL expected, e.g. http://127.0.0.1:8080/: '" + url + "' (" +
                ex.getMessage() + ")");
        }
        final boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (https && !viaBinding)
        {
            throw cursor.usage("https goes only --via a binding (the connector originates the TLS); direct https " +
                "is not built: '" + url + "'");
        }
        if (!(https || "http".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null)
        {
            throw cursor.usage("an absolute http URL expected, e.g. http://127.0.0.1:8080/: '" + url + "'");
        }
        if (uri.getRawUserInfo() != null)
        {
            throw cursor.usage("user information in the URL is not supported (give -H 'Authorization: ...')");
        }
        return uri;
    }

    /** The request head (and body), as every connection will send it. */
    private static HttpRequestBytes encode(
        final ArgumentCursor cursor, final URI uri, final String method, final List<Map.Entry<String, String>> headers,
        final byte[] body) throws LoadgenUsageException
    {
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        final String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        final String host = uri.getPort() < 0 || uri.getPort() == 80 ? uri.getHost() : uri.getHost() + ":" +
            uri.getPort();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[MAX_HEAD]);
        final HttpHeadEncoder encoder = new HttpHeadEncoder();
        final int headLength;
        try
        {
            encoder.wrap(buffer, 0, MAX_HEAD).requestLine(method, target);
            boolean hostGiven = false;
            for (final Map.Entry<String, String> header : headers)
            {
                hostGiven |= header.getKey().equalsIgnoreCase("host");
            }
            if (!hostGiven)
            {
                encoder.header("Host", host);
            }
            for (final Map.Entry<String, String> header : headers)
            {
                encoder.header(header.getKey(), header.getValue());
            }
            if (body != null)
            {
                encoder.contentLength(body.length);
            }
            else if ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))
            {
                encoder.contentLength(0);
            }
            headLength = encoder.end();
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            throw cursor.usage("cannot write the request: " + ex.getMessage());
        }
        if (headLength == HttpHeadEncoder.OVERFLOW)
        {
            throw cursor.usage("the request head is longer than " + MAX_HEAD + " bytes");
        }
        final ByteBuffer bytes = ByteBuffer.allocateDirect(headLength + (body == null ? 0 : body.length));
        buffer.getBytes(0, bytes, headLength);
        bytes.position(headLength);
        if (body != null)
        {
            bytes.put(body);
        }
        bytes.flip();
        return new HttpRequestBytes(method, bytes);
    }
}

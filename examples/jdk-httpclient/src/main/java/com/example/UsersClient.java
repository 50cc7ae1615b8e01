package com.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Application code that already exists: a client of a users API written against the JDK's {@link HttpClient}. It
 * knows nothing of Warren; whoever builds it chooses the {@code HttpClient}: {@code HttpClient.newHttpClient()} on a
 * network that reaches the API, or {@code BindingHttpClient.of(edge.service("users-api"))} through a tunnel.
 * Thread-safe, as {@code HttpClient} is.
 */
public final class UsersClient
{
    private final HttpClient http;
    private final URI base;

    /**
     * @param http the client to send with.
     * @param base the API's base URL, e.g. {@code http://users.internal}.
     */
    public UsersClient(final HttpClient http, final URI base)
    {
        this.http = http;
        this.base = base;
    }

    /**
     * {@code GET /users}.
     *
     * @return the body: the users, one name a line.
     * @throws IOException when the API cannot be reached or answers other than 200.
     * @throws InterruptedException when interrupted while waiting.
     */
    public String list() throws IOException, InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(base.resolve("/users"))
            .header("Accept", "text/plain")
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
        return expect(200, http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    /**
     * {@code POST /users} with the name as the body.
     *
     * @param name the new user's name.
     * @return the body of the 201 response: where the new user is.
     * @throws IOException when the API cannot be reached or answers other than 201.
     * @throws InterruptedException when interrupted while waiting.
     */
    public String add(final String name) throws IOException, InterruptedException
    {
        final HttpRequest request = HttpRequest.newBuilder(base.resolve("/users"))
            .header("Content-Type", "text/plain; charset=utf-8")
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(name, StandardCharsets.UTF_8))
            .build();
        return expect(201, http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    private static String expect(final int status, final HttpResponse<String> response) throws IOException
    {
        if (response.statusCode() != status)
        {
            throw new IOException(response.request().method() + " " + response.uri() + ": " + response.statusCode()
                + " " + response.body());
        }
        return response.body();
    }
}

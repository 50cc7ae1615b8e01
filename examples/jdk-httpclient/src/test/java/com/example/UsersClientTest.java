package com.example;

import dev.warren.api.BindingHttpClient;
import dev.warren.api.ErrorCode;
import dev.warren.api.VpcService;
import dev.warren.api.WarrenException;
import dev.warren.testing.Binding;
import dev.warren.testing.Service;
import dev.warren.testing.WarrenTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same {@link UsersClient}, unchanged, against a real private HTTP server: once with the JDK's own client straight
 * to it, once through a VPC Service binding on an in-process edge and connector that {@code @WarrenTest} starts.
 * The services' ports come from the fields {@code @BeforeAll} sets, so the edge starts after it.
 */
@WarrenTest(tunnel = "office", services = {
    @Service(name = "users-api", host = "127.0.0.1", httpPortFrom = "usersPort"),
    @Service(name = "users-down", host = "127.0.0.1", httpPortFrom = "closedPort")})
class UsersClientTest
{
    private static UsersApi api;
    private static int usersPort;
    private static int closedPort;

    @BeforeAll
    static void startPrivateHosts() throws IOException
    {
        api = new UsersApi();
        usersPort = api.port();
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = closed.getLocalPort(); // nothing listens there once closed: connection refused
        }
    }

    @AfterAll
    static void stopPrivateHosts()
    {
        api.close();
    }

    @Test
    void shouldWorkTheSameDirectlyAndThroughTheBinding(@Binding("users-api") final VpcService service)
        throws Exception
    {
        final UsersClient direct =
            new UsersClient(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + usersPort));
        // The URL's host and port only fill the Host field: the binding's configured target gets the request.
        final UsersClient tunnelled = new UsersClient(BindingHttpClient.of(service), URI.create("http://127.0.0.9:1"));

        final String before = direct.list();
        assertEquals(before, tunnelled.list());
        final String location = tunnelled.add("linus");
        assertTrue(location.startsWith("/users/"), location);
        assertEquals(before + "\nlinus", direct.list());
        assertEquals(direct.list(), tunnelled.list());
    }

    @Test
    void shouldFailAsTheJdkClientDoesWhenThePrivateHostIsDown(@Binding("users-down") final VpcService down)
    {
        final UsersClient users = new UsersClient(BindingHttpClient.of(down), URI.create("http://127.0.0.1"));
        final IOException failure = assertThrows(IOException.class, users::list);
        final WarrenException cause = assertInstanceOf(WarrenException.class, failure.getCause());
        assertEquals(ErrorCode.CONNECTION_REFUSED, cause.code());
        assertTrue(failure.getMessage().contains("users-down"), failure.getMessage());
    }
}

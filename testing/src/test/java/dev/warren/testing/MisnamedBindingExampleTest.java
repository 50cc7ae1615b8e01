package dev.warren.testing;

import com.sun.net.httpserver.HttpServer;
import dev.warren.api.VpcService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an embedder sees when a test asks for a binding by the wrong name: {@link UsersApiTest} is an embedder's test
 * class (a private HTTP service on loopback, a VPC Service to it, and a typo in one test's {@code @Binding}), run
 * through the JUnit Platform as a build runs it. The misnamed test fails, and only it; its message names the wrong
 * binding, the parameter, what the class declares, and the name that was meant.
 */
class MisnamedBindingExampleTest
{
    @Test
    void shouldFailOnlyTheMisnamedTestWithAMessageNamingTheBindingsAndTheLikelyOne()
    {
        final EngineExecutionResults results = Fixtures.run(false, UsersApiTest.class);

        assertEquals(1, results.testEvents().succeeded().count(), () -> results.allEvents().list().toString());
        final Throwable failure = Fixtures.onlyFailure(results);
        assertInstanceOf(ParameterResolutionException.class, failure);
        final String message = failure.getMessage();
        assertTrue(message.startsWith("@Binding(\"user-api\") on parameter 0 of UsersApiTest.countsUsers(VpcService)"),
            message);
        assertTrue(message.contains("Declared: networks [office-net], services [users-api]"), message);
        assertEquals("@Binding(\"user-api\") on parameter 0 of UsersApiTest.countsUsers(VpcService): @WarrenTest on "
            + "UsersApiTest declares no VPC Service named 'user-api'. Declared: networks [office-net], services "
            + "[users-api]. Did you mean @Binding(\"users-api\")?", message);
    }

    @Test
    void shouldSayWhichKindABindingIsWhenTheParameterAsksForTheOther()
    {
        final Throwable failure = Fixtures.onlyFailure(Fixtures.run(false, WrongKind.class));
        assertInstanceOf(ParameterResolutionException.class, failure);
        assertEquals("@Binding(\"office-net\") on parameter 0 of WrongKind.usesTheNetworkAsAService(VpcService): "
            + "'office-net' is a VPC Network, so the parameter must be a VpcNetwork, not a VpcService. Declared: "
            + "networks [office-net], services [users-api]", failure.getMessage());
    }

    @Test
    void shouldSayHowToDeclareAServiceWhenThereIsNone()
    {
        final Throwable failure = Fixtures.onlyFailure(Fixtures.run(false, NoServices.class));
        assertInstanceOf(ParameterResolutionException.class, failure);
        assertEquals("parameter 0 of NoServices.needsAService(VpcService) is a VpcService, but @WarrenTest on "
            + "NoServices declares no VPC Services; add services = @Service(name = \"name\", httpPort = ...). "
            + "Declared: networks [office-net], services []", failure.getMessage());
    }

    // ---- fixtures: run only through Fixtures.run(...) ----

    /** An embedder's test class, with a typo in one test. */
    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(tunnel = "office", networks = "office-net",
        services = @Service(name = "users-api", httpPortFrom = "usersPort"))
    static class UsersApiTest
    {
        static HttpServer users;
        static int usersPort;

        @BeforeAll
        static void startUsers() throws IOException
        {
            users = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
            users.createContext("/users", exchange ->
            {
                final byte[] body = "[\"ada\",\"grace\"]".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody())
                {
                    out.write(body);
                }
            });
            users.start();
            usersPort = users.getAddress().getPort();
        }

        @AfterAll
        static void stopUsers()
        {
            users.stop(0);
        }

        @Test
        void listsUsers(@Binding("users-api") final VpcService api) throws Exception
        {
            assertEquals("[\"ada\",\"grace\"]",
                api.fetch("http://127.0.0.1/users").get(10, TimeUnit.SECONDS).text().get(10, TimeUnit.SECONDS));
        }

        @Test
        void countsUsers(@Binding("user-api") final VpcService api)
        {
            throw new AssertionError("never runs: the binding is misnamed");
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(tunnel = "office", networks = "office-net",
        services = @Service(name = "users-api", host = "127.0.0.1", httpPort = 8080))
    static class WrongKind
    {
        @Test
        void usesTheNetworkAsAService(@Binding("office-net") final VpcService api)
        {
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(tunnel = "office", networks = "office-net")
    static class NoServices
    {
        @Test
        void needsAService(final VpcService api)
        {
        }
    }
}

package dev.warren.testing;

import com.sun.net.httpserver.HttpServer;
import dev.warren.api.CertVerification;
import dev.warren.api.ErrorCode;
import dev.warren.api.FetchResponse;
import dev.warren.api.ServiceConfig;
import dev.warren.api.ServiceType;
import dev.warren.api.VpcService;
import dev.warren.api.WarrenException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VPC Service bindings declared in {@link WarrenTest#services()}, reaching real servers on loopback that
 * {@code @BeforeAll} starts on port 0: the edge starts after it and reads their ports from a field and a method.
 */
@WarrenTest(tunnel = "office", networks = "office-net", services = {
    @Service(name = "users-api", httpPortFrom = "usersPort"),
    @Service(name = "secure-only", httpsPortFrom = "usersPort", certVerification = CertVerification.VERIFY_CA),
    @Service(name = "echo", type = ServiceType.TCP, host = "127.0.0.1", tcpPortFrom = "echoPort"),
    @Service(name = "fixed", host = "127.0.0.3", httpPort = 8080, httpsPort = 8443)})
class WarrenExtensionServiceTest
{
    private static HttpServer users;
    private static int usersPort;
    private static EchoServer echo;

    @BeforeAll
    static void startPrivateHosts() throws IOException
    {
        users = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        users.createContext("/users", exchange ->
        {
            final byte[] body = ("users via Host " + exchange.getRequestHeaders().getFirst("Host"))
                .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        });
        users.start();
        usersPort = users.getAddress().getPort();
        echo = new EchoServer();
    }

    @AfterAll
    static void stopPrivateHosts() throws IOException
    {
        users.stop(0);
        echo.close();
    }

    static int echoPort()
    {
        return Integer.parseInt(echo.address().substring(echo.address().lastIndexOf(':') + 1));
    }

    @Test
    void shouldSendFetchToTheDeclaredHostAndPortWhateverTheUrlSays(@Binding("users-api") final VpcService api)
        throws Exception
    {
        // 127.0.0.2:9 is neither the service's host nor its port: it only fills the Host field.
        final FetchResponse response = api.fetch("http://127.0.0.2:9/users").get(10, TimeUnit.SECONDS);
        assertEquals(200, response.status());
        assertEquals("users via Host 127.0.0.2:9", response.text().get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldConfigureTheServiceAsDeclared(
        @Binding("users-api") final VpcService api, @Binding("secure-only") final VpcService secure,
        @Binding("echo") final VpcService echoService, @Binding("fixed") final VpcService fixed)
    {
        assertEquals(new ServiceConfig("users-api", "office", ServiceType.HTTP, "127.0.0.1", usersPort, 0, 0,
            CertVerification.VERIFY_FULL), api.config());
        assertEquals(new ServiceConfig("secure-only", "office", ServiceType.HTTP, "127.0.0.1", 0, usersPort, 0,
            CertVerification.VERIFY_CA), secure.config());
        assertEquals(ServiceConfig.tcp("echo", "office", "127.0.0.1", echoPort()), echoService.config());
        assertEquals(ServiceConfig.http("fixed", "office", "127.0.0.3", 8080, 8443, CertVerification.VERIFY_FULL),
            fixed.config());
    }

    @Test
    void shouldRefuseTheSchemeWhosePortIsNotDeclared(@Binding("secure-only") final VpcService secure)
    {
        final Throwable failure = assertThrows(Throwable.class,
            () -> secure.fetch("http://127.0.0.1/users").join());
        final WarrenException refused = assertInstanceOf(WarrenException.class,
            failure instanceof CompletionException ? failure.getCause() : failure);
        assertEquals(ErrorCode.REQUEST_INVALID, refused.code());
        assertTrue(refused.getMessage().contains("no httpPort configured"), refused.getMessage());
    }

    @Test
    void shouldConnectToTheDeclaredTcpService(@Binding("echo") final VpcService echoService) throws Exception
    {
        assertEquals("through a tcp service", Echo.roundTrip(echoService.connect(), "through a tcp service"));
    }
}

package dev.warren.testing;

import dev.warren.api.VpcService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A mistake in a {@link Service} declaration fails the class's tests with a message naming the class and service. */
class WarrenExtensionMisconfigurationTest
{
    @Test
    void shouldNameAPortSourceThatDoesNotExist()
    {
        final Throwable failure = Fixtures.onlyFailure(Fixtures.run(false, MissingPortSource.class));
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals("@WarrenTest on MissingPortSource, @Service(name = \"users-api\"): httpPortFrom = \"userPort\" "
            + "names no static field or static no-argument method of MissingPortSource or its superclasses",
            failure.getMessage());
    }

    @Test
    void shouldSayWhenAPortSourceIsStillUnsetAtStart()
    {
        final Throwable failure = Fixtures.onlyFailure(Fixtures.run(false, UnsetPort.class));
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals("@WarrenTest on UnsetPort, @Service(name = \"db\"): tcpPortFrom = \"dbPort\" is 0 when the edge "
            + "starts; set it to the private host's port in a @BeforeAll method (and ask for no Warren parameter in "
            + "@BeforeAll or a constructor, which would start the edge earlier)", failure.getMessage());
    }

    @Test
    void shouldRefuseAPortGivenTwice()
    {
        final Throwable failure = Fixtures.onlyFailure(Fixtures.run(false, PortTwice.class));
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals("@WarrenTest on PortTwice, @Service(name = \"users-api\"): httpPort = 8080 and httpPortFrom = "
            + "\"port\" both give the port; keep one", failure.getMessage());
    }

    @Test
    void shouldFailTheClassWhenTheServiceDoesNotFitItsType()
    {
        final Throwable failure = Fixtures.onlyContainerFailure(Fixtures.run(false, TcpPortOnHttpService.class));
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals("@WarrenTest on TcpPortOnHttpService, @Service(name = \"db\"): service 'db' is type http: "
            + "tcpPort does not apply", failure.getMessage());
    }

    // ---- fixtures: run only through Fixtures.run(...) ----

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(services = @Service(name = "users-api", httpPortFrom = "userPort"))
    static class MissingPortSource
    {
        static int usersPort = 8080;

        @Test
        void test(final VpcService api)
        {
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(services = @Service(name = "db", type = dev.warren.api.ServiceType.TCP, tcpPortFrom = "dbPort"))
    static class UnsetPort
    {
        static int dbPort;

        @Test
        void test(final VpcService db)
        {
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(services = @Service(name = "users-api", httpPort = 8080, httpPortFrom = "port"))
    static class PortTwice
    {
        @BeforeAll
        static void noop()
        {
        }

        static int port()
        {
            return 8081;
        }

        @Test
        void test(final VpcService api)
        {
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(services = @Service(name = "db", tcpPort = 5432))
    static class TcpPortOnHttpService
    {
        @Test
        void test(final VpcService db)
        {
        }
    }
}

package dev.warren.testing;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.VpcNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The extension as an embedder uses it: echo through {@code connect()} against an in-test echo server. */
@WarrenTest(tunnel = "t", networks = {"net"}, allow = {"127.0.0.0/8"})
class WarrenExtensionEchoTest
{
    private static EchoServer echo;

    @BeforeAll
    static void startEcho() throws Exception
    {
        echo = new EchoServer();
    }

    @AfterAll
    static void stopEcho() throws Exception
    {
        echo.close();
    }

    @Test
    void echoesThroughTheNamedBinding(@Binding("net") final VpcNetwork net) throws Exception
    {
        assertEquals("net", net.name());
        assertEquals("hello, private host", Echo.roundTrip(net, echo.address(), "hello, private host"));
    }

    @Test
    void theOnlyBindingNeedsNoName(final VpcNetwork net, final Edge edge, final Connector connector) throws Exception
    {
        assertEquals("net", net.name());
        assertEquals(1, edge.liveConnections("t"));
        assertEquals(1, connector.liveConnections());
        assertEquals("second", Echo.roundTrip(net, echo.address(), "second"));
    }

    @Test
    void oneEdgePerClass(final Edge first, final Edge second)
    {
        assertSame(first, second);
    }
}

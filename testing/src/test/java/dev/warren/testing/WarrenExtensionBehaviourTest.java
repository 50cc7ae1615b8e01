package dev.warren.testing;

import dev.warren.api.Edge;
import dev.warren.api.VpcNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs fixture classes through the EngineTestKit: the misnamed-binding message, closing after failed tests,
 * parallel classes, and the start-up time of a class.
 */
class WarrenExtensionBehaviourTest
{
    /** Tunnel addresses of edges the fixtures saw, by fixture class. */
    static final Map<Class<?>, InetSocketAddress> EDGES = new ConcurrentHashMap<>();
    private static EchoServer echo;

    @BeforeAll
    static void startEcho() throws IOException
    {
        echo = new EchoServer();
    }

    @AfterAll
    static void stopEcho() throws IOException
    {
        echo.close();
    }

    @Test
    void aMisnamedBindingSaysWhichNamesExist()
    {
        final Throwable failure = onlyFailure(run(false, MisnamedBinding.class));
        assertInstanceOf(ParameterResolutionException.class, failure);
        assertEquals("@Binding(\"nte\") on parameter 0 of MisnamedBinding.misnamed(VpcNetwork): @WarrenTest on "
            + "MisnamedBinding declares no VPC Network named 'nte'. Declared: networks [net], services []. "
            + "Did you mean @Binding(\"net\")?", failure.getMessage());
    }

    @Test
    void anUnnamedBindingAmongSeveralAsksForBinding()
    {
        final Throwable failure = onlyFailure(run(false, TwoNetworksUnnamed.class));
        assertInstanceOf(ParameterResolutionException.class, failure);
        assertEquals("parameter 0 of TwoNetworksUnnamed.unnamed(VpcNetwork) needs @Binding(\"name\"): @WarrenTest on "
            + "TwoNetworksUnnamed declares several VPC Networks [a, b]", failure.getMessage());
    }

    @Test
    void closesEdgeAndConnectorWhenTestsFail()
    {
        final EngineExecutionResults results = run(false, FailingTest.class);
        assertEquals(1, results.testEvents().failed().count());
        final InetSocketAddress tunnel = EDGES.get(FailingTest.class);
        assertFalse(accepts(tunnel), "the edge still listens on " + tunnel + " after the class finished");
    }

    @Test
    void parallelClassesDoNotCollide()
    {
        final EngineExecutionResults results = run(true, Parallel1.class, Parallel2.class, Parallel3.class,
            Parallel4.class);
        assertEquals(4, results.testEvents().succeeded().count(), () -> results.allEvents().list().toString());
        final Set<InetSocketAddress> addresses = List.of(Parallel1.class, Parallel2.class, Parallel3.class,
            Parallel4.class).stream().map(EDGES::get).collect(Collectors.toSet());
        assertEquals(4, addresses.size(), addresses::toString);
    }

    /**
     * Start-up of a class: from its container starting to its first test starting (the edge, the connector and the
     * wait for the tunnel connection). Printed to this class's surefire output file.
     */
    @Test
    void aSecondClassStartsQuickly()
    {
        final EngineExecutionResults results = run(false, First.class, Second.class);
        assertEquals(2, results.testEvents().succeeded().count(), () -> results.allEvents().list().toString());
        final Duration first = startup(results, First.class);
        final Duration second = startup(results, Second.class);
        System.out.printf("@WarrenTest start-up: first class %.1f ms, second class %.1f ms%n",
            first.toNanos() / 1e6, second.toNanos() / 1e6);
        assertTrue(second.toMillis() < 2_000, "second class took " + second.toMillis() + " ms to start");
    }

    private static Duration startup(final EngineExecutionResults results, final Class<?> fixture)
    {
        final List<Event> events = results.allEvents().list();
        final Event started = events.stream()
            .filter(e -> e.getType() == EventType.STARTED && e.getTestDescriptor().isContainer()
                && e.getTestDescriptor().getUniqueId().toString().contains(fixture.getName()))
            .findFirst().orElseThrow();
        final Event firstTest = events.stream()
            .filter(e -> e.getType() == EventType.STARTED && e.getTestDescriptor().isTest()
                && e.getTestDescriptor().getUniqueId().toString().contains(fixture.getName()))
            .findFirst().orElseThrow();
        return Duration.between(started.getTimestamp(), firstTest.getTimestamp());
    }

    private static EngineExecutionResults run(final boolean parallel, final Class<?>... fixtures)
    {
        return Fixtures.run(parallel, fixtures);
    }

    private static Throwable onlyFailure(final EngineExecutionResults results)
    {
        return Fixtures.onlyFailure(results);
    }

    private static boolean accepts(final InetSocketAddress address)
    {
        try (Socket socket = new Socket())
        {
            socket.connect(address, 1_000);
            return true;
        }
        catch (final IOException refused)
        {
            return false;
        }
    }

    // ---- fixtures: run only through run(...) ----

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(tunnel = "t", networks = {"net"}, allow = {"127.0.0.0/8"})
    static class MisnamedBinding
    {
        @Test
        void misnamed(@Binding("nte") final VpcNetwork network)
        {
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(networks = {"a", "b"})
    static class TwoNetworksUnnamed
    {
        @Test
        void unnamed(final VpcNetwork network)
        {
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(networks = "net")
    static class FailingTest
    {
        @Test
        void fails(final Edge edge)
        {
            EDGES.put(FailingTest.class, edge.tunnelAddress());
            throw new AssertionError("fails on purpose");
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    @WarrenTest(networks = "net")
    abstract static class EchoFixture
    {
        @Test
        void echoes(final VpcNetwork net, final Edge edge) throws Exception
        {
            EDGES.put(getClass(), edge.tunnelAddress());
            assertEquals(getClass().getSimpleName(), Echo.roundTrip(net, echo.address(), getClass().getSimpleName()));
        }
    }

    static class First extends EchoFixture
    {
    }

    static class Second extends EchoFixture
    {
    }

    static class Parallel1 extends EchoFixture
    {
    }

    static class Parallel2 extends EchoFixture
    {
    }

    static class Parallel3 extends EchoFixture
    {
    }

    static class Parallel4 extends EchoFixture
    {
    }
}

package dev.warren.engine;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.ErrorCode;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graceful drain of a connector and of the edge: no stream in flight is lost, nothing new is routed to it. */
class DrainTest
{
    private final EchoServer echo = new EchoServer();
    private final Edge edge = Tunnels.edge();
    private final List<Connector> connectors = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        for (final Connector connector : connectors)
        {
            connector.close();
        }
        edge.close();
        echo.close();
    }

    private Connector connector()
    {
        final Connector connector = Warren.startConnector(Tunnels.connectorConfig(edge).build());
        connectors.add(connector);
        return connector;
    }

    /** One echo exchange of {@code size} bytes on a new stream; throws on any failure or mismatch. */
    private static void exchange(final VpcNetwork network, final String address, final long seed, final int size)
        throws Exception
    {
        final TcpSocket socket = network.connect(address);
        final SocketReader reader = new SocketReader(false, 16);
        socket.readable().subscribe(reader);
        final byte[] sent = Payloads.writeRandom(socket, seed, size, 4096).get(10, TimeUnit.SECONDS);
        reader.done().get(10, TimeUnit.SECONDS);
        assertArrayEquals(sent, reader.sha256());
        socket.closed().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldScaleAConnectorDownUnderLoadWithoutLosingARequest() throws Exception
    {
        final Connector leaving = connector();
        connector();
        Tunnels.await("both replicas connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 4, 10_000);
        final VpcNetwork network = edge.network(Tunnels.NETWORK);

        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong completed = new AtomicLong();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 8; w++)
        {
            final int worker = w;
            final Thread thread = new Thread(() ->
            {
                for (long i = 0; running.get(); i++)
                {
                    try
                    {
                        exchange(network, echo.address(), worker * 1_000_000L + i, 16 * 1024);
                        completed.incrementAndGet();
                    }
                    catch (final Throwable ex)
                    {
                        failures.add(ex);
                    }
                }
            }, "load-" + w);
            thread.start();
            workers.add(thread);
        }
        Tunnels.await("load running", () -> completed.get() > 200, 20_000);

        final long start = System.nanoTime();
        leaving.drain(Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
        final long drainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Tunnels.await("only the remaining replica", () -> edge.liveConnections(Tunnels.TUNNEL) == 2, 5_000);
        final long atDrain = completed.get();
        Tunnels.await("load continues on the other replica", () -> completed.get() > atDrain + 200, 20_000);
        running.set(false);
        for (final Thread thread : workers)
        {
            thread.join(20_000);
        }
        assertTrue(failures.isEmpty(), failures.size() + " exchanges failed while a replica drained; first: " +
            failures.peek());
        assertTrue(drainMs < 10_000, "draining short streams took " + drainMs + " ms");
        assertEquals(0, leaving.liveConnections());
    }

    @Test
    void shouldLetAStreamInFlightFinishAndRouteNewStreamsElsewhere() throws Exception
    {
        final Connector leaving = connector();
        Tunnels.await("first replica connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 2, 10_000);
        final VpcNetwork network = edge.network(Tunnels.NETWORK);
        final TcpSocket longLived = network.connect(echo.address());
        final SocketReader reader = SocketReader.keeping();
        longLived.readable().subscribe(reader);
        longLived.write(ByteBuffer.wrap("before ".getBytes())).get(5, TimeUnit.SECONDS);

        final var drained = leaving.drain(Duration.ofSeconds(30));
        // Draining: no new stream goes to it, and there is no other replica yet.
        Tunnels.await("edge stopped routing to the draining replica", () ->
        {
            final TcpSocket probe = network.connect(echo.address());
            try
            {
                probe.opened().get(5, TimeUnit.SECONDS);
                probe.abort();
                return false;
            }
            catch (final Exception ex)
            {
                return ex.getCause() instanceof WarrenException &&
                    ((WarrenException)ex.getCause()).code() == ErrorCode.DESTINATION_UNAVAILABLE;
            }
        }, 5_000);

        connector();
        Tunnels.await("second replica connected", () -> edge.liveConnections(Tunnels.TUNNEL) >= 2, 10_000);
        exchange(network, echo.address(), 1, 100_000);

        // The stream in flight on the draining replica still works both ways, then ends normally.
        longLived.write(ByteBuffer.wrap("and after".getBytes())).get(5, TimeUnit.SECONDS);
        longLived.closeWrite().get(5, TimeUnit.SECONDS);
        reader.done().get(5, TimeUnit.SECONDS);
        assertEquals("before and after", new String(reader.keptBytes()));
        longLived.closed().get(5, TimeUnit.SECONDS);
        drained.get(5, TimeUnit.SECONDS);
        assertEquals(0, leaving.liveConnections());
    }

    @Test
    void shouldCloseWhatIsStillOpenWhenTheGracePeriodEnds() throws Exception
    {
        final Connector leaving = connector();
        Tunnels.await("replica connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 2, 10_000);
        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
        socket.opened().get(5, TimeUnit.SECONDS);
        final SocketReader reader = SocketReader.keeping();
        socket.readable().subscribe(reader);

        leaving.drain(Duration.ofMillis(300)).get(10, TimeUnit.SECONDS);
        final ExecutionException error = assertThrows(ExecutionException.class,
            () -> reader.done().get(5, TimeUnit.SECONDS));
        assertEquals(ErrorCode.CONNECTION_TERMINATED, assertInstanceOf(WarrenException.class, error.getCause()).code());
    }

    @Test
    void shouldDrainTheEdgeLettingStreamsFinishAndRefusingNewOnes() throws Exception
    {
        connector();
        Tunnels.await("replica connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 2, 10_000);
        final VpcNetwork network = edge.network(Tunnels.NETWORK);
        final TcpSocket inFlight = network.connect(echo.address());
        final SocketReader reader = SocketReader.keeping();
        inFlight.readable().subscribe(reader);
        inFlight.write(ByteBuffer.wrap("one ".getBytes())).get(5, TimeUnit.SECONDS);

        final var drained = edge.drain(Duration.ofSeconds(30));
        Tunnels.await("new streams refused", () ->
        {
            final TcpSocket probe = network.connect(echo.address());
            try
            {
                probe.opened().get(5, TimeUnit.SECONDS);
                probe.abort();
                return false;
            }
            catch (final Exception ex)
            {
                return ((WarrenException)ex.getCause()).code() == ErrorCode.DESTINATION_UNAVAILABLE;
            }
        }, 5_000);
        inFlight.write(ByteBuffer.wrap("two".getBytes())).get(5, TimeUnit.SECONDS);
        inFlight.closeWrite().get(5, TimeUnit.SECONDS);
        reader.done().get(5, TimeUnit.SECONDS);
        assertEquals("one two", new String(reader.keptBytes()));
        drained.get(5, TimeUnit.SECONDS);
        assertEquals(0, edge.liveConnections(Tunnels.TUNNEL));
    }
}

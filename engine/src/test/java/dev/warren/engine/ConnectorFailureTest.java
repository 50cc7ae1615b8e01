package dev.warren.engine;

import dev.warren.api.Edge;
import dev.warren.api.ErrorCode;
import dev.warren.api.TcpSocket;
import dev.warren.api.VpcNetwork;
import dev.warren.api.WarrenException;
import dev.warren.engine.edge.EdgeRuntime;
import dev.warren.engine.support.ConnectorProcess;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.Payloads;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connector process dies mid-stream (SIGKILL): open sockets fail loudly, and a restarted one takes over. */
class ConnectorFailureTest
{
    private final EchoServer echo = new EchoServer();
    private final Edge edge = Tunnels.edge();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        for (final Process process : processes)
        {
            process.destroyForcibly();
        }
        edge.close();
        echo.close();
    }

    @Test
    void shouldFailOpenSocketsWithConnectionTerminatedAndRecoverWithinTwoSecondsOfARestart() throws Exception
    {
        final Process first = ConnectorProcess.start(edge.tunnelAddress().getPort(), 2);
        processes.add(first);
        Tunnels.await("connector process connected", () -> edge.liveConnections(Tunnels.TUNNEL) == 2, 20_000);

        final VpcNetwork network = edge.network(Tunnels.NETWORK);
        final List<TcpSocket> sockets = new ArrayList<>();
        final List<SocketReader> readers = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            final TcpSocket socket = network.connect(echo.address());
            final SocketReader reader = new SocketReader(true, 16);
            socket.readable().subscribe(reader);
            final byte[] hello = Payloads.random(i, 1000);
            socket.write(ByteBuffer.wrap(hello)).get(5, TimeUnit.SECONDS);
            Tunnels.await("echo on stream " + i, () -> reader.bytes() == hello.length, 5_000);
            assertArrayEquals(hello, reader.keptBytes());
            sockets.add(socket);
            readers.add(reader);
        }

        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        for (int s = 0; s < sockets.size(); s++)
        {
            final int i = s;
            final ExecutionException read = assertThrows(ExecutionException.class,
                () -> readers.get(i).done().get(10, TimeUnit.SECONDS), "stream must not end with a clean EOF");
            assertEquals(ErrorCode.CONNECTION_TERMINATED, assertInstanceOf(WarrenException.class, read.getCause()).code());
            final CompletableFuture<Void> closed = sockets.get(i).closed();
            final ExecutionException closedError = assertThrows(ExecutionException.class,
                () -> closed.get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.CONNECTION_TERMINATED, ((WarrenException)closedError.getCause()).code());
            final ExecutionException write = assertThrows(ExecutionException.class,
                () -> sockets.get(i).write(ByteBuffer.wrap(new byte[10])).get(10, TimeUnit.SECONDS));
            assertInstanceOf(WarrenException.class, write.getCause());
        }
        Tunnels.await("edge noticed", () -> edge.liveConnections(Tunnels.TUNNEL) == 0, 5_000);
        assertEquals(ErrorCode.DESTINATION_UNAVAILABLE, failureCode(network.connect(echo.address())));

        final long restart = System.nanoTime();
        processes.add(ConnectorProcess.start(edge.tunnelAddress().getPort(), 2));
        final long deadline = restart + TimeUnit.SECONDS.toNanos(10);
        long carriedAfterMs = -1;
        while (System.nanoTime() < deadline)
        {
            final TcpSocket socket = network.connect(echo.address());
            try
            {
                socket.opened().get(5, TimeUnit.SECONDS);
                carriedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restart);
                socket.abort();
                break;
            }
            catch (final ExecutionException ex)
            {
                Thread.sleep(10); // a poll interval, not synchronisation: the outcome is what we measure
            }
        }
        System.out.println("restarted connector carried a new stream " + carriedAfterMs + " ms after its process started");
        assertTrue(carriedAfterMs >= 0, "the restarted connector never carried a stream");
        assertTrue(carriedAfterMs <= 2_000, "the restarted connector carried its first stream after " +
            carriedAfterMs + " ms (process start included)");
        Tunnels.await("edge pools back to zero", () -> Tunnels.buffersInUse(((EdgeRuntime)edge).loops()) == 0, 5_000);
    }

    private static ErrorCode failureCode(final TcpSocket socket) throws Exception
    {
        final ExecutionException ex = assertThrows(ExecutionException.class,
            () -> socket.opened().get(5, TimeUnit.SECONDS));
        return ((WarrenException)ex.getCause()).code();
    }
}

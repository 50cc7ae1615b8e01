package dev.warren.engine;

import dev.warren.api.ConnectOptions;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.ErrorCode;
import dev.warren.api.TcpSocket;
import dev.warren.api.WarrenException;
import dev.warren.engine.support.ScriptedServer;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Half-close in both directions, with allowHalfOpen true and false (SPEC §4). */
class HalfCloseTest
{
    private Edge edge;
    private Connector connector;

    @BeforeEach
    void setUp()
    {
        edge = Tunnels.edge();
        connector = Tunnels.connector(edge);
    }

    @AfterEach
    void tearDown()
    {
        connector.close();
        edge.close();
    }

    /** The host sends "hello", finishes its side, then reads whatever we send until we finish ours. */
    private static ScriptedServer helloThenRead()
    {
        return new ScriptedServer(socket ->
        {
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            return readAll(socket);
        });
    }

    private static String readAll(final Socket socket) throws java.io.IOException
    {
        final InputStream in = socket.getInputStream();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static ByteBuffer ascii(final String text)
    {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldCloseOurWritingSideWhenTheHostFinishesWithoutAllowHalfOpen() throws Exception
    {
        try (ScriptedServer server = helloThenRead())
        {
            final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(server.address(),
                ConnectOptions.builder().allowHalfOpen(false).build());
            final SocketReader reader = SocketReader.keeping();
            socket.readable().subscribe(reader);
            reader.done().get(5, TimeUnit.SECONDS);
            assertEquals("hello", new String(reader.keptBytes(), StandardCharsets.US_ASCII));

            // Our side was finished for us: the host reads end-of-stream, and nothing more can be written.
            assertEquals("", server.result().get(5, TimeUnit.SECONDS));
            socket.closed().get(5, TimeUnit.SECONDS);
            final ExecutionException late = assertThrows(ExecutionException.class,
                () -> socket.write(ascii("late")).get(5, TimeUnit.SECONDS));
            assertInstanceOf(WarrenException.class, late.getCause());
        }
    }

    @Test
    void shouldKeepWritingAfterTheHostFinishesWithAllowHalfOpen() throws Exception
    {
        try (ScriptedServer server = helloThenRead())
        {
            final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(server.address(),
                ConnectOptions.builder().allowHalfOpen(true).build());
            final SocketReader reader = SocketReader.keeping();
            socket.readable().subscribe(reader);
            reader.done().get(5, TimeUnit.SECONDS);
            assertEquals("hello", new String(reader.keptBytes(), StandardCharsets.US_ASCII));

            socket.write(ascii("still ")).get(5, TimeUnit.SECONDS);
            socket.write(ascii("talking")).get(5, TimeUnit.SECONDS);
            socket.closeWrite().get(5, TimeUnit.SECONDS);
            assertEquals("still talking", server.result().get(5, TimeUnit.SECONDS));
            socket.closed().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldStillReceiveAfterWeFinishOurSide() throws Exception
    {
        // The host reads until we finish, then answers with what it got, reversed, and closes.
        try (ScriptedServer server = new ScriptedServer(socket ->
        {
            final String got = readAll(socket);
            socket.getOutputStream().write(new StringBuilder(got).reverse().toString().getBytes(StandardCharsets.US_ASCII));
            return got;
        }))
        {
            for (final boolean allowHalfOpen : new boolean[]{false, true})
            {
                final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(server.address(),
                    ConnectOptions.builder().allowHalfOpen(allowHalfOpen).build());
                final SocketReader reader = SocketReader.keeping();
                socket.readable().subscribe(reader);
                socket.write(ascii("ping-pong")).get(5, TimeUnit.SECONDS);
                socket.closeWrite().get(5, TimeUnit.SECONDS);
                reader.done().get(5, TimeUnit.SECONDS);
                assertEquals("gnop-gnip", new String(reader.keptBytes(), StandardCharsets.US_ASCII));
                socket.closed().get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldRefuseWritesAfterCloseWrite() throws Exception
    {
        try (ScriptedServer server = helloThenRead())
        {
            final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(server.address(),
                ConnectOptions.builder().allowHalfOpen(true).build());
            socket.closeWrite().get(5, TimeUnit.SECONDS);
            final ExecutionException late = assertThrows(ExecutionException.class,
                () -> socket.write(ascii("late")).get(5, TimeUnit.SECONDS));
            assertEquals(ErrorCode.REQUEST_INVALID, ((WarrenException)late.getCause()).code());
            socket.readable().subscribe(SocketReader.keeping());
            socket.closed().get(5, TimeUnit.SECONDS);
        }
    }
}

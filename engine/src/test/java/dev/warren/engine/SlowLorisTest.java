package dev.warren.engine;

import dev.warren.engine.support.FrontDoorEdgeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue #7, "10,000 slow-loris connections": one client holds 10,000 connections to a {@code fetch:} listener (its
 * default {@code maxConnections}), each having sent the start of a request head and then a byte now and then, never
 * the end. Meanwhile the edge answers a normal request on its other listener at once, turns the 10,001st connection
 * away with 503 {@code connection_limit_reached}, and its heap grows by at most {@link #MAX_BYTES_PER_CONNECTION}
 * per held connection; when the head timeout ({@code warren.http.headTimeoutMs}, short here) runs out every one of
 * the 10,000 is answered 408 and closed, and the edge's sockets are gone.
 * <p>
 * The edge runs in a child JVM ({@link FrontDoorEdgeProcess}): 10,000 client plus 10,000 server sockets do not fit
 * one process's open-file limit here (20,000, hard). Its open sockets are counted in {@code /proc/<pid>/fd}.
 */
class SlowLorisTest
{
    private static final int HELD = 10_000;
    /** Long enough to open all 10,000 and look at the edge while they are held; short enough for a test. */
    private static final long HEAD_TIMEOUT_MS = 20_000;
    /**
     * Heap per held connection, at most: the socket and its key, the connection, its decoders and a 2 KiB input
     * buffer come to about 6 KiB; before the fix each held 64 KiB of input, 48 KiB of head buffer and 4 KiB of
     * response buffer (some 120 KiB, 1.2 GiB for 10,000).
     */
    private static final long MAX_BYTES_PER_CONNECTION = 8 * 1024;
    private static final byte[] START = "GET / HTTP/1.1\r\nHost: web\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);

    private Process child;
    private final List<SocketChannel> held = new ArrayList<>(HELD);

    @AfterEach
    void tearDown() throws Exception
    {
        for (final SocketChannel channel : held)
        {
            channel.close();
        }
        if (child != null)
        {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS))
            {
                child.destroyForcibly();
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldHoldTenThousandSlowClientsCheaplyStayResponsiveAndCloseThemAllAtTheHeadTimeout() throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts the edge's sockets in /proc");
        child = FrontDoorEdgeProcess.start(List.of("-Dwarren.http.headTimeoutMs=" + HEAD_TIMEOUT_MS), "512m");
        final BufferedReader answers = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8));
        final PrintStream questions = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        final String ready = answers.readLine();
        assertTrue(ready != null && ready.startsWith("ready "), "the edge process started: " + ready);
        final String[] ports = ready.split(" ");
        final InetSocketAddress slowDoor = new InetSocketAddress("127.0.0.1", Integer.parseInt(ports[1]));
        final InetSocketAddress normalDoor = new InetSocketAddress("127.0.0.1", Integer.parseInt(ports[2]));

        assertEquals(200, normalRequest(normalDoor), "warm-up");
        final long heapBefore = ask(questions, answers, "heap");
        final int poolBefore = (int)ask(questions, answers, "pool");
        final int fdsBefore = openFiles(child.pid());

        final long start = System.nanoTime();
        for (int i = 0; i < HELD; i++)
        {
            final SocketChannel channel = SocketChannel.open(slowDoor);
            held.add(channel);
            channel.write(ByteBuffer.wrap(START));
        }
        awaitOpenFiles("the edge accepted all " + HELD, fdsBefore + HELD, 10_000);
        for (final SocketChannel channel : held)
        {
            channel.write(ByteBuffer.wrap(new byte[] {'a'})); // a trickle does not reset the head's clock
        }
        final long heldAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(heldAfterMs < HEAD_TIMEOUT_MS / 2, "opening " + HELD + " took " + heldAfterMs + " ms: too slow " +
            "to look at them held before the head timeout");

        // the edge serves a normal client at once
        final long normalStart = System.nanoTime();
        assertEquals(200, normalRequest(normalDoor));
        final long normalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - normalStart);
        assertTrue(normalMs < 2_000, "a normal request while " + HELD + " are held took " + normalMs + " ms");
        // the listener is full: the next client is turned away at once
        try (Socket extra = new Socket(slowDoor.getAddress(), slowDoor.getPort()))
        {
            extra.setSoTimeout(5_000);
            final String answer = new String(extra.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
            assertTrue(answer.contains("X-Warren-Error: connection_limit_reached"), answer);
        }

        final long heapHeld = ask(questions, answers, "heap");
        final long perConnection = (heapHeld - heapBefore) / HELD;
        System.out.println("SlowLorisTest: opened " + HELD + " in " + heldAfterMs + " ms; normal request " +
            normalMs + " ms; edge heap " + heapBefore / 1024 + " KiB -> " + heapHeld / 1024 + " KiB, " +
            perConnection + " bytes per held connection; pooled chunks " + poolBefore + " -> " +
            ask(questions, answers, "pool"));
        assertTrue(perConnection <= MAX_BYTES_PER_CONNECTION, "heap per held connection: " + perConnection);
        assertEquals(poolBefore, (int)ask(questions, answers, "pool"), "a slow head holds no pooled chunk");
        final long timedOutAtMs = HEAD_TIMEOUT_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(timedOutAtMs > 0, "still held when checked");

        // none was answered early; then every one is answered 408 and closed when its head time runs out
        final int[] answered408 = new int[1];
        final int closed = readAllUntilClosed(answered408, start);
        assertEquals(HELD, closed, "every held connection closed by the edge");
        assertEquals(HELD, answered408[0], "every held connection answered 408");
        awaitOpenFiles("the edge closed its sockets", fdsBefore, 10_000);
        final long heapAfter = ask(questions, answers, "heap");
        assertTrue(heapAfter - heapBefore < 16L * 1024 * 1024, "heap back: " + heapBefore + " -> " + heapAfter);
        assertEquals(200, normalRequest(slowDoor), "the listener serves again once they are gone");
    }

    /**
     * Reads every held connection until the edge closes it; counts the answers that are a 408. Fails if one ends
     * before the head timeout.
     */
    private int readAllUntilClosed(final int[] answered408, final long start) throws IOException
    {
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(HEAD_TIMEOUT_MS + 30_000);
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        int closed = 0;
        try (Selector selector = Selector.open())
        {
            for (final SocketChannel channel : held)
            {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, new StringBuilder());
            }
            while (closed < HELD && System.nanoTime() < deadline)
            {
                selector.select(1_000);
                for (final SelectionKey key : selector.selectedKeys())
                {
                    final SocketChannel channel = (SocketChannel)key.channel();
                    final StringBuilder got = (StringBuilder)key.attachment();
                    buffer.clear();
                    int read;
                    try
                    {
                        read = channel.read(buffer);
                    }
                    catch (final IOException ex)
                    {
                        read = -1; // reset: closed without (all of) an answer
                    }
                    if (read > 0)
                    {
                        got.append(new String(buffer.array(), 0, read, StandardCharsets.ISO_8859_1));
                        continue;
                    }
                    if (read < 0)
                    {
                        final long atMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        assertTrue(atMs >= HEAD_TIMEOUT_MS - 1_000, "closed " + atMs + " ms after the first " +
                            "connection, before the head timeout: " + got);
                        key.cancel();
                        closed++;
                        if (got.toString().startsWith("HTTP/1.1 408 "))
                        {
                            answered408[0]++;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }
        return closed;
    }

    private static int normalRequest(final InetSocketAddress door) throws IOException
    {
        try (Socket socket = new Socket(door.getAddress(), door.getPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII));
            final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 ") && answer.endsWith("ok"), answer);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }

    private static long ask(final PrintStream questions, final BufferedReader answers, final String question)
        throws IOException
    {
        questions.println(question);
        final String answer = answers.readLine();
        assertTrue(answer != null && answer.matches("\\d+"), question + ": " + answer);
        return Long.parseLong(answer);
    }

    private int openFiles(final long pid) throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd")))
        {
            return (int)fds.count();
        }
    }

    private void awaitOpenFiles(final String what, final int expected, final long timeoutMs) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int now = openFiles(child.pid());
        while (Math.abs(now - expected) > 5)
        {
            assertTrue(System.nanoTime() < deadline, what + ": the edge has " + now + " files open, expected about " +
                expected);
            Thread.sleep(50);
            now = openFiles(child.pid());
        }
    }
}

package dev.warren.engine;

import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.api.TcpSocket;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.HandshakeProof;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.edge.EdgeRuntime;
import dev.warren.engine.support.EchoServer;
import dev.warren.engine.support.HostileFrames;
import dev.warren.engine.support.HostileFrames.BreachCase;
import dev.warren.engine.support.HostileFrames.EdgeOutput;
import dev.warren.engine.support.HostileFrames.Frame;
import dev.warren.engine.support.HostileFrames.PeerView;
import dev.warren.engine.support.SocketReader;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile connectors over real sockets against a real edge that also carries a real connector's healthy stream:
 * PROTOCOL.md §5, "a {@code protocol_error} closes only the offending tunnel connection".
 * <p>
 * A few hundred raw {@link SocketChannel}s dial the edge's tunnel port; most do a correct handshake with the right
 * token and then send a generated breach of the protocol (after some valid frames, split across writes), some fail
 * the handshake (wrong token, unsupported versions), some send garbage before any handshake. Each must get
 * {@code GO_AWAY} with the right code as the last frame, then end of stream, within a deadline. Meanwhile a stream
 * through the real connector to an {@link EchoServer} keeps echoing, byte for byte; the tunnel's live connection
 * count is back to where it was after each hostile connection; and once everything is closed the edge's pools hold
 * no more chunks than before the hostile phase.
 * <p>
 * The in-memory counterpart, with 100,000+ generated sequences and the stream-level breaches, is
 * {@code dev.warren.engine.edge.HostileFrameSequencesTest}. Property {@code warren.hostile.seed} replays a run.
 */
class HostileConnectionsTest
{
    private static final int CASES = 300;
    private static final long ANSWER_TIMEOUT_MS = 5_000;
    private static final byte[] TOKEN = Tunnels.TOKEN.getBytes(StandardCharsets.UTF_8);

    private EchoServer echo;
    private Edge edge;
    private Connector connector;

    @BeforeEach
    void setUp()
    {
        echo = new EchoServer();
        // Dozens of wrong tokens come from 127.0.0.1 here on purpose: lift the per-address limit on failed
        // handshakes for this edge (HandshakeGuard reads it when the edge starts; ErrorCodesTest covers the limit).
        System.setProperty("warren.edge.authFailures", "100000");
        try
        {
            edge = Tunnels.edge();
        }
        finally
        {
            System.clearProperty("warren.edge.authFailures");
        }
        connector = Tunnels.connector(edge);
    }

    @AfterEach
    void tearDown()
    {
        connector.close();
        edge.close();
        echo.close();
    }

    /**
     * Every hostile connection ends with its own GO_AWAY ({@code protocol_error}, {@code auth_failed} or
     * {@code unsupported_version}) and end of stream; the healthy stream echoes throughout, the live connection
     * count comes back after each, and the edge's pools come back to their start.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldCloseOnlyTheHostileConnectionsAndKeepServingTheOthers() throws Exception
    {
        final long seed = Long.getLong("warren.hostile.seed", System.nanoTime());
        final SplittableRandom random = new SplittableRandom(seed);
        final EdgeRuntime runtime = (EdgeRuntime)edge;

        final TcpSocket socket = edge.network(Tunnels.NETWORK).connect(echo.address());
        socket.opened().get(5, TimeUnit.SECONDS);
        final SocketReader reader = SocketReader.keeping();
        socket.readable().subscribe(reader);
        final HealthyTraffic healthy = new HealthyTraffic(socket, reader, seed);
        healthy.roundTrip();
        final int live = edge.liveConnections(Tunnels.TUNNEL);
        assertEquals(2, live, "the connector's two connections");
        final int pooled = Tunnels.buffersInUse(runtime.loops());

        healthy.start();
        final AtomicInteger[] byCode = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        for (int i = 0; i < CASES; i++)
        {
            final String what = "case " + i + " of seed " + seed + " (-Dwarren.hostile.seed=" + seed + ")";
            final int code;
            switch (i % 10)
            {
                case 0:
                    code = wrongToken(random, what);
                    break;
                case 1:
                    code = garbageBeforeHandshake(random, what);
                    break;
                case 2:
                    code = i % 20 == 2 ? unsupportedVersion(random, what) : breachAfterHandshake(random, what);
                    break;
                default:
                    code = breachAfterHandshake(random, what);
                    break;
            }
            byCode[code == WireCode.PROTOCOL_ERROR ? 0 : code == WireCode.AUTH_FAILED ? 1 : 2].incrementAndGet();
            Tunnels.await(what + ": the tunnel's live connections back to " + live,
                () -> edge.liveConnections(Tunnels.TUNNEL) == live, 2_000);
            healthy.check();
        }
        healthy.stop();
        assertTrue(healthy.rounds() >= 3, "the healthy stream echoed during the hostile phase: " + healthy.rounds());
        assertTrue(byCode[0].get() > 0 && byCode[1].get() > 0 && byCode[2].get() > 0, Arrays.toString(byCode));

        healthy.roundTrip();
        assertEquals(live, edge.liveConnections(Tunnels.TUNNEL), "the connector's connections survived");
        socket.closeWrite().get(5, TimeUnit.SECONDS);
        reader.done().get(5, TimeUnit.SECONDS);
        assertArrayEquals(healthy.sent(), reader.keptBytes(), "the healthy stream's bytes, echoed in order");
        socket.closed().get(5, TimeUnit.SECONDS);
        Tunnels.await("the edge's pools back to " + pooled + " chunks in use",
            () -> Tunnels.buffersInUse(runtime.loops()) == pooled, 5_000);
    }

    // ---- the hostile connections -------------------------------------------------------------------------------

    /** The right tunnel, a proof made with another token: auth_failed after a CHALLENGE, then EOF. */
    private int wrongToken(final SplittableRandom random, final String what) throws IOException
    {
        try (RawConnector raw = new RawConnector(edge.tunnelAddress(), what + ": wrong token"))
        {
            final byte[] clientNonce = HostileFrames.nonce(random.nextLong());
            raw.write(HostileFrames.hello(1, 1, Tunnels.TUNNEL, clientNonce));
            final Frame challenge = raw.await(FrameHeader.TYPE_CHALLENGE);
            final byte[] token = HostileFrames.nonce(random.nextLong());
            raw.write(HostileFrames.auth(
                HandshakeProof.connectorProof(token, Tunnels.TUNNEL, clientNonce, challenge.bytes()),
                    TunnelLimits.DEFAULTS));
            raw.assertGoAwayThenEof(WireCode.AUTH_FAILED);
            assertEquals(0, raw.out.count(FrameHeader.TYPE_WELCOME), raw.what);
            return WireCode.AUTH_FAILED;
        }
    }

    /** Bytes that are no frame at all, before any handshake: protocol_error, then EOF. */
    private int garbageBeforeHandshake(final SplittableRandom random, final String what) throws IOException
    {
        try (RawConnector raw = new RawConnector(edge.tunnelAddress(), what + ": garbage"))
        {
            final byte[] garbage;
            switch (random.nextInt(3))
            {
                case 0:
                    garbage = "GET / HTTP/1.1\r\nHost: edge\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    break;
                case 1:
                    // the start of a TLS ClientHello
                    garbage = new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte)0xfc, 0x03, 0x03, 0x42};
                    break;
                default:
                    garbage = new byte[FrameHeader.LENGTH + random.nextInt(500)];
                    random.nextBytes(garbage);
                    garbage[FrameHeader.VERSION_OFFSET] = (byte)(2 + random.nextInt(254));
                    break;
            }
            raw.write(garbage);
            raw.assertGoAwayThenEof(WireCode.PROTOCOL_ERROR);
            assertEquals(0, raw.out.count(FrameHeader.TYPE_CHALLENGE), raw.what);
            return WireCode.PROTOCOL_ERROR;
        }
    }

    /** A HELLO whose version range leaves out 1: unsupported_version, no CHALLENGE, then EOF. */
    private int unsupportedVersion(final SplittableRandom random, final String what) throws IOException
    {
        try (RawConnector raw = new RawConnector(edge.tunnelAddress(), what + ": unsupported version"))
        {
            final int min = 2 + random.nextInt(254);
            raw.write(HostileFrames.hello(min, min + random.nextInt(256 - min), Tunnels.TUNNEL,
                HostileFrames.nonce(random.nextLong())));
            raw.assertGoAwayThenEof(WireCode.UNSUPPORTED_VERSION);
            assertEquals(0, raw.out.count(FrameHeader.TYPE_CHALLENGE), raw.what);
            return WireCode.UNSUPPORTED_VERSION;
        }
    }

    /**
     * A correct handshake, a few valid frames (pings, pongs, connection credit) written in pieces, then a generated
     * breach in one last write: the pings are answered, then GO_AWAY(protocol_error), then EOF.
     */
    private int breachAfterHandshake(final SplittableRandom random, final String what) throws IOException
    {
        final BreachCase breach = HostileFrames.randomBreach(random);
        try (RawConnector raw = new RawConnector(edge.tunnelAddress(), what + ": " + breach))
        {
            final byte[] clientNonce = HostileFrames.nonce(random.nextLong());
            raw.write(HostileFrames.hello(random.nextInt(2), 1 + random.nextInt(255), Tunnels.TUNNEL, clientNonce));
            final Frame challenge = raw.await(FrameHeader.TYPE_CHALLENGE);
            final TunnelLimits limits = new TunnelLimits(8192, 65_536, 256 * 1024,
                16 * 1024 * 1024 + random.nextInt(Integer.MAX_VALUE - 16 * 1024 * 1024));
            raw.write(HostileFrames.auth(
                HandshakeProof.connectorProof(TOKEN, Tunnels.TUNNEL, clientNonce, challenge.bytes()), limits));
            final Frame welcome = raw.await(FrameHeader.TYPE_WELCOME);
            assertArrayEquals(HandshakeProof.edgeProof(TOKEN, Tunnels.TUNNEL, challenge.bytes(), clientNonce),
                welcome.bytes(), raw.what + ": the edge's proof");

            final PeerView view = new PeerView(TunnelLimits.DEFAULT_MAX_FRAME_PAYLOAD, limits.connectionWindow());
            final ByteArrayOutputStream prefix = new ByteArrayOutputStream();
            int pings = 0;
            for (int n = random.nextInt(6); n > 0; n--)
            {
                final byte[] frame = HostileFrames.validFiller(random.nextInt(), random.nextInt(), view);
                if (frame[FrameHeader.TYPE_OFFSET] == FrameHeader.TYPE_PING && (frame[FrameHeader.FLAGS_OFFSET] &
                    FrameHeader.FLAG_ACK) == 0)
                {
                    pings++;
                }
                prefix.writeBytes(frame);
            }
            final byte[] valid = prefix.toByteArray();
            // the valid prefix in pieces; the breach whole, in the last write, so the edge reads all that was sent
            int at = 0;
            while (at < valid.length && random.nextInt(3) != 0)
            {
                final int piece = 1 + random.nextInt(Math.min(40, valid.length - at));
                raw.write(Arrays.copyOfRange(valid, at, at + piece));
                at += piece;
            }
            raw.write(HostileFrames.concat(Arrays.copyOfRange(valid, at, valid.length), HostileFrames.encode(breach,
                view)));
            raw.assertGoAwayThenEof(WireCode.PROTOCOL_ERROR);
            int pongs = 0;
            for (final Frame frame : raw.out.frames())
            {
                if (frame.is(FrameHeader.TYPE_PING) && frame.ack())
                {
                    pongs++;
                }
            }
            assertEquals(pings, pongs, raw.what + ": pings before the breach answered: " + raw.out);
            return WireCode.PROTOCOL_ERROR;
        }
    }

    /** A connector played by hand over a raw socket: writes bytes, reads the edge's frames, all with deadlines. */
    private static final class RawConnector implements AutoCloseable
    {
        final String what;
        final EdgeOutput out = new EdgeOutput();
        private final SocketChannel channel;
        private final Selector selector;
        private final SelectionKey key;
        private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
        private boolean eof;

        RawConnector(final InetSocketAddress edge, final String what) throws IOException
        {
            this.what = what;
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(edge);
            channel.configureBlocking(false);
            selector = Selector.open();
            key = channel.register(selector, SelectionKey.OP_READ);
        }

        void write(final byte[] bytes) throws IOException
        {
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS);
            while (buffer.hasRemaining())
            {
                if (channel.write(buffer) == 0)
                {
                    if (System.nanoTime() > deadline)
                    {
                        throw new AssertionError(what + ": the edge stopped reading");
                    }
                    key.interestOps(SelectionKey.OP_WRITE);
                    selector.select(10);
                    selector.selectedKeys().clear();
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
        }

        /** The first frame of {@code type} the edge wrote, waiting for it. */
        Frame await(final int type) throws IOException
        {
            readUntil(() -> out.first(type) != null, "a " + FrameHeader.typeName(type));
            final Frame frame = out.first(type);
            assertNotNull(frame, () -> what + ": the edge closed instead of sending " + FrameHeader.typeName(type) +
                ": " + out);
            return frame;
        }

        /** The edge's last frame is GO_AWAY with {@code code}, and then it closes the connection. */
        void assertGoAwayThenEof(final int code) throws IOException
        {
            readUntil(() -> false, "GO_AWAY then end of stream");
            assertNull(out.error(), () -> what + ": the edge wrote an undecodable frame: " + out);
            final Frame last = out.last();
            assertNotNull(last, () -> what + ": end of stream without a GO_AWAY");
            assertEquals(FrameHeader.TYPE_GO_AWAY, last.type(), () -> what + ": last frame: " + out);
            assertEquals(code, last.code(), () -> what + ": GO_AWAY code: " + out);
            assertEquals(0, out.incomplete(), () -> what + ": bytes after the GO_AWAY: " + out);
            assertEquals(1, out.count(FrameHeader.TYPE_GO_AWAY), () -> what + ": one GO_AWAY: " + out);
        }

        /** Reads until {@code done} or end of stream; fails after {@link #ANSWER_TIMEOUT_MS}. */
        private void readUntil(final BooleanSupplier done, final String waitingFor) throws IOException
        {
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MS);
            while (!eof && !done.getAsBoolean())
            {
                final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0)
                {
                    throw new AssertionError(what + ": no " + waitingFor + " within " + ANSWER_TIMEOUT_MS +
                        " ms; got " +
                        out);
                }
                selector.select(left);
                selector.selectedKeys().clear();
                final int read;
                try
                {
                    read = channel.read(readBuffer.clear());
                }
                catch (final IOException ex)
                {
                    throw new AssertionError(what + ": the edge reset the connection instead of closing it (" +
                        ex.getMessage() + "); got " + out, ex);
                }
                if (read < 0)
                {
                    eof = true;
                }
                else if (read > 0)
                {
                    out.accept(readBuffer.array(), 0, read);
                }
            }
        }

        @Override
        public void close() throws IOException
        {
            selector.close();
            channel.close();
        }
    }

    // ---- the healthy stream --------------------------------------------------------------------------------------

    /**
     * Writes random chunks on a tunnel stream to the echo server and waits for each to come back, on its own thread.
     */
    private static final class HealthyTraffic implements Runnable
    {
        private final TcpSocket socket;
        private final SocketReader reader;
        private final SplittableRandom random;
        private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicInteger rounds = new AtomicInteger();
        private final Thread thread = new Thread(this, "healthy-traffic");
        private volatile boolean running = true;

        HealthyTraffic(final TcpSocket socket, final SocketReader reader, final long seed)
        {
            this.socket = socket;
            this.reader = reader;
            this.random = new SplittableRandom(~seed);
            thread.setDaemon(true);
        }

        void start()
        {
            thread.start();
        }

        @Override
        public void run()
        {
            try
            {
                while (running)
                {
                    roundTrip();
                    Thread.sleep(2);
                }
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
        }

        /** One chunk out and back, within the deadline. */
        void roundTrip() throws Exception
        {
            final byte[] chunk = new byte[1 + random.nextInt(8 * 1024)];
            random.nextBytes(chunk);
            final long expected;
            synchronized (sent)
            {
                sent.writeBytes(chunk);
                expected = sent.size();
            }
            socket.write(ByteBuffer.wrap(chunk)).get(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Tunnels.await("the healthy stream echoes " + chunk.length + " bytes", () -> reader.bytes() >= expected,
                ANSWER_TIMEOUT_MS);
            assertEquals(expected, reader.bytes(), "no more bytes than were sent come back");
            rounds.incrementAndGet();
        }

        void check()
        {
            final Throwable error = failure.get();
            if (error != null)
            {
                throw new AssertionError("the healthy stream stopped echoing: " + error, error);
            }
        }

        void stop() throws InterruptedException
        {
            running = false;
            thread.join(ANSWER_TIMEOUT_MS * 2);
            check();
        }

        int rounds()
        {
            return rounds.get();
        }

        byte[] sent()
        {
            synchronized (sent)
            {
                return sent.toByteArray();
            }
        }
    }
}

package dev.warren.engine.edge;

import dev.warren.api.TunnelConfig;
import dev.warren.codec.tunnel.FrameDecoder;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.HandshakeProof;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.loop.BufferPool;
import dev.warren.engine.loop.EventLoop;
import dev.warren.engine.support.HostileFrames;
import dev.warren.engine.support.HostileFrames.BreachCase;
import dev.warren.engine.support.HostileFrames.EdgeOutput;
import dev.warren.engine.support.HostileFrames.Frame;
import dev.warren.engine.support.HostileFrames.PeerView;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.warren.engine.support.HostileFrames.pick;
import static dev.warren.engine.support.HostileFrames.pickLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A hostile connector against the real {@link EdgeTunnelConnection} state machine: generated frame sequences, valid
 * and broken, arriving split at arbitrary byte boundaries over an {@link EmbeddedSocketChannel}.
 * <p>
 * Every try does a real handshake (HELLO → CHALLENGE → AUTH with {@link HandshakeProof#connectorProof} → WELCOME,
 * the edge's proof checked), has the edge open streams as a caller would ({@code tryReserve()} then
 * {@code open(CallerStream, ...)}), and plays the connector from a model built only from what the edge wrote: the
 * streams it opened, the credit it granted, the pings it sent. It then checks what PROTOCOL.md promises:
 * <ul>
 *     <li>no exception escapes the connection, and the edge never writes a frame a decoder refuses;</li>
 *     <li>a sequence that breaks the protocol closes the connection, and the last frame the edge wrote is
 *     {@code GO_AWAY(protocol_error)}, or {@code auth_failed} / {@code unsupported_version} in the handshake; frames
 *     after the offending one are not acted on;</li>
 *     <li>a valid sequence, however it is split, leaves the connection open, every ping answered and every stream in
 *     the state the model expects; a sequence cut inside a frame just waits;</li>
 *     <li>after the try (the connection closed), the loop's {@link BufferPool#inUse()}, its timers and the tunnel
 *     registry are back where they started: nothing leaks, whichever way the connection ended.</li>
 * </ul>
 * Everything that touches the connection runs on its {@link EventLoop}, one try per submitted task. The properties
 * add up to more than 100,000 tries a run (about 20 s on two cores). Where a property draws a breach kind from an
 * enum, jqwik's edge cases are off: mixed in, they would spend a fifth of the tries on the first and last constants.
 */
class HostileFrameSequencesTest
{
    private static final String TUNNEL = "office";
    private static final String TOKEN = "test-token-0123456789abcdef";
    private static final String OTHER_TUNNEL = "branch";
    private static final String OTHER_TOKEN = "branch-token-fedcba9876543210";
    private static final byte[] TOKEN_BYTES = TOKEN.getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_TOKEN_BYTES = OTHER_TOKEN.getBytes(StandardCharsets.UTF_8);
    private static final int MAX_WINDOW = HostileFrames.MAX_WINDOW;
    /** Edge limits under which windows run out after a few frames, so overruns are cheap to reach. */
    private static final TunnelLimits SMALL = new TunnelLimits(64, 1024, 1024, 4096);
    /** Streams the edge opens for the valid part of one try. */
    private static final int MAX_STREAMS = 12;
    /** Top 16 bits of the opaque value of pings sent after a breach: the edge must not answer them. */
    private static final long TRAILER_PING = 0x7E57L << 48;
    /**
     * Top 16 bits of our other pings. Never 0: a damaged type byte could turn a ping whose last two bytes are 0 into
     * a well-formed GO_AWAY(none) (the bug the draining property documents); with these bytes it is malformed.
     */
    private static final long PING = 0x5A5AL << 48;
    private static final long PING_MASK = 0x0000_FFFF_FFFF_FFFFL;
    private static final int UNLIMITED = Integer.MAX_VALUE;

    private static EventLoop loop;
    private static TunnelRegistry registry;
    private static Logger edgeLog;
    private static Level edgeLogLevel;

    @BeforeContainer
    static void startLoop()
    {
        // a WARNING per refused connection and two INFO lines per handshake, 100,000 times, would be most of the run
        edgeLog = Logger.getLogger("dev.warren.edge");
        edgeLogLevel = edgeLog.getLevel();
        edgeLog.setLevel(Level.OFF);
        loop = new EventLoop("hostile", new BufferPool()).start();
        registry = new TunnelRegistry(List.of(new TunnelConfig(TUNNEL, TOKEN), new TunnelConfig(OTHER_TUNNEL,
            OTHER_TOKEN)));
    }

    @AfterContainer
    static void stopLoop()
    {
        loop.close();
        edgeLog.setLevel(edgeLogLevel);
    }

    // ---- the properties ---------------------------------------------------------------------------------------------

    /**
     * A valid sequence never closes the connection, however its bytes are split across reads and however slowly
     * the connector reads: every ping is answered, streams end exactly when FIN and RESET say, the edge never holds
     * more unconsumed bytes per stream than the window it granted, and a sequence cut inside its last frame just
     * waits. Ending it the connector's way (a GO_AWAY with an error code, EOF) closes the connection without a
     * GO_AWAY back.
     */
    @Property(tries = 25_000)
    void shouldStayOpenThroughAnyValidSequenceSplitAnywhere(
        @ForAll("setups") final Setup setup,
        @ForAll("validSteps") final List<Step> steps,
        @ForAll("endings") final Ending ending)
    {
        onLoop(setup, session ->
        {
            session.handshake();
            for (final Step step : steps)
            {
                session.step(step);
            }
            final boolean peerClosed = session.end(ending);
            session.settleOutput();
            if (peerClosed || session.goingAwayWithNoStreams())
            {
                assertTrue(session.connection.isClosed(), () -> "the connector ended the connection: " + session);
                assertEquals(0, session.out.count(FrameHeader.TYPE_GO_AWAY),
                    () -> "no GO_AWAY answers the connector's: " + session);
            }
            else
            {
                session.assertOpenAndConsistent();
            }
        });
    }

    /**
     * A connector that sends GO_AWAY(none) drains the connection: the edge opens no more streams, answers with one
     * GO_AWAY(none) (PROTOCOL.md §3, Draining), closes once the last stream ends, and acts on nothing after that, even frames that arrived in the same
     * read: nothing it answered stays allocated. Until then the connection serves as usual.
     */
    @Property(tries = 5_000)
    void shouldReleaseEverythingWhenTheConnectorsGoAwayEndsTheConnection(
        @ForAll("setups") final Setup setup,
        @ForAll("drainingSteps") final List<Step> steps)
    {
        onLoop(setup, session ->
        {
            session.handshake();
            for (final Step step : steps)
            {
                session.step(step);
            }
            session.settle();
            session.settleOutput();
            if (session.goingAwayWithNoStreams())
            {
                assertTrue(session.connection.isClosed(), () -> "drained: " + session);
                assertEquals(1, session.out.count(FrameHeader.TYPE_GO_AWAY),
                    () -> "one GO_AWAY(none) answers a connector that went away: " + session);
                assertEquals(0, session.out.first(FrameHeader.TYPE_GO_AWAY).code(),
                    () -> "the answer is GO_AWAY(none), not an error: " + session);
            }
            else
            {
                session.assertOpenAndConsistent();
            }
        });
    }

    /**
     * Once the handshake is done, any breach of the protocol (see {@link HostileFrames.Breach} and
     * {@link StreamBreach}: wrong version, unknown type, oversized length, stream 0 misuse, never-opened streams,
     * DATA beyond a window or after FIN, window overflow, duplicate OPEN_ACK, handshake frames, malformed payloads),
     * after any valid prefix, closes the connection with {@code GO_AWAY(protocol_error)} as the last frame written,
     * with the last stream id the edge opened. Frames before the breach were acted on (pings answered); frames after
     * it were not.
     */
    @Property(tries = 40_000, edgeCases = EdgeCasesMode.NONE)
    void shouldCloseWithProtocolErrorWhenTheConnectorBreaksTheProtocol(
        @ForAll("setups") final Setup setup,
        @ForAll("prefixSteps") final List<Step> prefix,
        @ForAll("violations") final Violation violation,
        @ForAll("trailers") final Trailer trailer)
    {
        onLoop(setup, session ->
        {
            session.handshake();
            for (final Step step : prefix)
            {
                session.step(step);
            }
            session.settle();
            if (session.connection.isClosed())
            {
                assertTrue(session.goingAwayWithNoStreams(), () -> "closed before the breach: " + session);
                return;
            }
            final byte[] breach = session.violation(violation);
            session.settle();
            assertTrue(session.myPings.isEmpty(), () -> "pings before the breach answered: " + session);
            session.send(breach);
            session.send(session.trailer(trailer));
            session.settle();
            session.settleOutput();
            session.assertClosedWith(WireCode.PROTOCOL_ERROR, violation.toString());
            for (final Frame frame : session.out.frames())
            {
                if (frame.is(FrameHeader.TYPE_PING) && frame.ack())
                {
                    assertTrue((frame.value() & ~PING_MASK) != TRAILER_PING,
                        () -> "a ping after the breach was answered: " + session);
                }
            }
        });
    }

    /**
     * A handshake that goes wrong is refused with its own code: a version range without 1 →
     * {@code unsupported_version} before any CHALLENGE; an unknown tunnel, a wrong token, a corrupted or replayed
     * proof → {@code auth_failed} after a CHALLENGE like any other (no oracle for tunnel ids), and never a WELCOME;
     * any other frame out of place, oversized or malformed → {@code protocol_error}. A handshake cut inside a frame
     * waits; a connector that sends GO_AWAY or EOF just goes. Nothing after the offending frame is acted on.
     */
    @Property(tries = 15_000, edgeCases = EdgeCasesMode.NONE)
    void shouldRefuseABrokenHandshakeWithItsOwnCode(
        @ForAll("setups") final Setup setup,
        @ForAll("handshakeCases") final HandshakeCase handshakeCase)
    {
        onLoop(setup, session -> session.brokenHandshake(handshakeCase));
    }

    /**
     * Random damage anywhere in an otherwise valid byte stream (flipped, inserted and deleted bytes, in the handshake
     * or after it): whatever the edge makes of it, nothing escapes, what it writes always decodes, a GO_AWAY it writes
     * is its last frame and carries {@code protocol_error}, {@code auth_failed} or {@code unsupported_version}, and
     * nothing leaks.
     */
    @Property(tries = 20_000, edgeCases = EdgeCasesMode.NONE)
    void shouldSurviveRandomDamageAnywhereInTheByteStream(
        @ForAll("setups") final Setup setup,
        @ForAll("prefixSteps") final List<Step> steps,
        @ForAll("damages") final List<Damage> damages)
    {
        onLoop(setup, session ->
        {
            session.damage(damages);
            session.handshake();
            for (final Step step : steps)
            {
                session.step(step);
            }
            session.settle();
            session.settleOutput();
            session.assertSaneAfterDamage();
        });
    }

    /**
     * At the default limits (256 KiB per stream, 16 MiB per connection), DATA one byte beyond a full stream window or
     * a full connection window (64 streams filled to the brim, then one more) is {@code protocol_error}, and the
     * edge held no more than a window per stream until then.
     */
    @Property(tries = 24, edgeCases = EdgeCasesMode.NONE)
    void shouldCloseWhenDataOverrunsADefaultSizeWindow(
        @ForAll("defaultSizeOverruns") final StreamBreach overrun,
        @ForAll("bigPieces") final List<Integer> pieces,
        @ForAll final int seed)
    {
        final Setup setup = new Setup(TunnelLimits.DEFAULTS, TunnelLimits.DEFAULTS, 1, 1, seed, pieces, UNLIMITED);
        onLoop(setup, session ->
        {
            session.bigFills = true;
            session.handshake();
            session.settle();
            final byte[] breach = session.violation(new Violation(null, overrun, seed, seed >>> 8));
            if (overrun == StreamBreach.DATA_BEYOND_CONNECTION_WINDOW)
            {
                assertEquals(0, session.connectionWindow, "16 MiB in flight");
                assertTrue(session.streams.size() > 64, "over 64 streams");
            }
            else
            {
                assertTrue(session.streams.values().stream().anyMatch(s -> s.sendWindow == 0), "a full stream");
            }
            assertEquals(TunnelLimits.DEFAULT_INITIAL_STREAM_WINDOW, session.connection.fullestStream()[0],
                "a full stream holds its whole window, no more");
            session.send(breach);
            session.settle();
            session.settleOutput();
            session.assertClosedWith(WireCode.PROTOCOL_ERROR, overrun.name());
        });
    }

    /**
     * PROTOCOL.md §4: the edge grants connection credit only for bytes it released (a stream that ended gives back
     * what it held; DATA for a stream already ended is dropped at once). Under small windows, so credit comes back
     * often: the sum of connection WINDOW_UPDATEs never exceeds the bytes released.
     */
    @Property(tries = 3_000)
    void shouldGrantConnectionCreditOnlyForBytesItReleased(
        @ForAll("smallSetups") final Setup setup,
        @ForAll("creditSteps") final List<Step> steps)
    {
        onLoop(setup, session ->
        {
            session.handshake();
            for (final Step step : steps)
            {
                session.step(step);
            }
            session.settle();
            session.settleOutput();
            assertTrue(session.granted <= session.released,
                () -> "connection credit granted " + session.granted + " > bytes released " + session.released + ": " +
                    session);
        });
    }

    /**
     * PROTOCOL.md §1 and §2: GO_AWAY's {@code lastStreamId} is the highest stream id this side opened; ids start at
     * 1, so with none opened it is 0.
     */
    @Example
    void shouldAnnounceLastStreamIdZeroWhenNoStreamWasOpened()
    {
        final Setup setup = new Setup(TunnelLimits.DEFAULTS, TunnelLimits.DEFAULTS, 1, 1, 42, List.of(64), UNLIMITED);
        onLoop(setup, session ->
        {
            session.handshake();
            session.send(HostileFrames.header(2, FrameHeader.TYPE_PING, 0, 0, 8));
            session.settle();
            session.settleOutput();
            session.assertClosedWith(WireCode.PROTOCOL_ERROR, "wrong version");
            assertEquals(0, session.out.last().value(), "lastStreamId with no stream opened");
        });
    }

    // ---- running a try on the loop ----------------------------------------------------------------------------------

    private static void onLoop(final Setup setup, final Consumer<Session> body)
    {
        try
        {
            loop.submit(() ->
            {
                final int inUse = loop.bufferPool().inUse();
                final int timers = loop.timerCount();
                final Session session = new Session(setup);
                try
                {
                    body.accept(session);
                }
                finally
                {
                    session.closeIfOpen();
                }
                assertEquals(inUse, loop.bufferPool().inUse(),
                    () -> "pooled chunks in use once the connection closed: " + session);
                assertEquals(timers, loop.timerCount(), () -> "timers left behind: " + session);
                assertEquals(0, registry.liveConnections(TUNNEL), () -> "connection left in the registry: " + session);
                return null;
            }).join();
        }
        catch (final CompletionException ex)
        {
            if (ex.getCause() instanceof Error)
            {
                throw (Error)ex.getCause();
            }
            if (ex.getCause() instanceof RuntimeException)
            {
                throw (RuntimeException)ex.getCause();
            }
            throw ex;
        }
    }

    // ---- generated inputs -------------------------------------------------------------------------------------------

    /**
     * One try's surroundings: the edge's limits, the connector's (valid) limits, the HELLO's version range, the client
     * nonce, how the byte stream is cut into reads (sizes used in turn) and the connector's read speed (the room the
     * edge's socket has before the connector reads; {@link #UNLIMITED} = always room).
     */
    record Setup(
        TunnelLimits edgeLimits, TunnelLimits connectorLimits, int minVersion, int maxVersion, long nonceSeed,
        List<Integer> pieces, int sendBuffer)
    {
    }

    enum StepKind
    {
        OPEN_STREAM, OPEN_ACK, DATA, DATA_ON_ENDED_STREAM, WINDOW_UPDATE, RESET, PING, PING_ACK,
            OPEN_ACK_ON_ENDED_STREAM,
        GO_AWAY_NONE
    }

    /** A valid step; its integers pick the stream and the sizes, against the model, when it runs. */
    record Step(StepKind kind, int a, int b, int c)
    {
    }

    enum EndingKind
    {
        /** Everything arrives. */
        COMPLETE,
        /** One more frame, cut inside: the edge must wait for the rest. */
        TRUNCATED,
        /** The connector sends GO_AWAY with an error code. */
        PEER_GO_AWAY,
        /** The connector closes its side. */
        PEER_EOF
    }

    record Ending(EndingKind kind, int a, int b)
    {
    }

    /** Breaches that need streams the edge opened. */
    enum StreamBreach
    {
        DATA_BEYOND_STREAM_WINDOW, DATA_BEYOND_CONNECTION_WINDOW, STREAM_WINDOW_OVERFLOW, DUPLICATE_OPEN_ACK,
        DATA_AFTER_FIN
    }

    /** Either a breach that needs no stream or one that does. */
    record Violation(BreachCase connectionBreach, StreamBreach streamBreach, int a, int b)
    {
        @Override
        public String toString()
        {
            return connectionBreach != null ? connectionBreach.toString() : streamBreach + "(" + a + ", " + b + ")";
        }
    }

    /** What follows the breach in the byte stream: nothing, pings, random bytes, or valid-looking frames. */
    record Trailer(int kind, int count, int seed)
    {
    }

    enum HandshakeBreach
    {
        UNSUPPORTED_VERSIONS, UNKNOWN_TUNNEL, WRONG_TOKEN, OTHER_TUNNELS_TOKEN, CORRUPTED_PROOF, REPLAYED_PROOF,
        UNUSABLE_LIMITS, AUTH_BEFORE_HELLO, HELLO_TWICE, CHALLENGE_OR_WELCOME_FROM_CONNECTOR, STREAM_FRAME_IN_HANDSHAKE,
        OVERSIZED_HANDSHAKE_FRAME, MALFORMED_HELLO, MALFORMED_AUTH, HANDSHAKE_FRAME_ON_A_STREAM, GARBAGE_FIRST,
        TRUNCATED, PEER_GO_AWAY, PEER_EOF
    }

    record HandshakeCase(HandshakeBreach kind, int a, int b, int c)
    {
    }

    enum DamageKind
    {
        FLIP, INSERT, DELETE
    }

    /** Damage at an absolute offset of the byte stream the connector sends. */
    record Damage(int offset, DamageKind kind, int value)
    {
    }

    @Provide
    Arbitrary<Setup> setups()
    {
        final Arbitrary<TunnelLimits> edgeLimits = Arbitraries.frequency(Tuple.of(3, TunnelLimits.DEFAULTS),
            Tuple.of(1, SMALL));
        return setups(edgeLimits);
    }

    @Provide
    Arbitrary<Setup> smallSetups()
    {
        return setups(Arbitraries.just(SMALL));
    }

    private static Arbitrary<Setup> setups(final Arbitrary<TunnelLimits> edgeLimits)
    {
        final Arbitrary<Integer> sendBuffer = Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just(UNLIMITED)),
            Tuple.of(1, Arbitraries.integers().between(1, 64)),
            Tuple.of(1, Arbitraries.integers().between(65, 4096)));
        return Combinators.combine(
            edgeLimits, connectorLimits(), Arbitraries.integers().between(0, 1), Arbitraries.integers().between(1, 255),
            Arbitraries.longs(), pieceSizes(), sendBuffer).as(Setup::new);
    }

    private static Arbitrary<TunnelLimits> connectorLimits()
    {
        final Arbitrary<Integer> streams = Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.integers().between(1, 3)),
            Tuple.of(4, Arbitraries.just(TunnelLimits.DEFAULT_MAX_CONCURRENT_STREAMS)),
            Tuple.of(1, Arbitraries.integers().between(1, MAX_WINDOW)));
        final Arbitrary<Integer> payload = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(TunnelLimits.DEFAULT_MAX_FRAME_PAYLOAD)),
            Tuple.of(1, Arbitraries.integers().between(TunnelLimits.MIN_FRAME_PAYLOAD,
                TunnelLimits.MAX_FRAME_PAYLOAD)));
        final Arbitrary<Integer> streamWindow = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(TunnelLimits.DEFAULT_INITIAL_STREAM_WINDOW)),
            Tuple.of(1, Arbitraries.integers().between(1024, MAX_WINDOW)),
            Tuple.of(1, Arbitraries.integers().between(MAX_WINDOW - 70_000, MAX_WINDOW)));
        // the connection window: usually the default (or the stream window if larger), else anything from there up
        return Combinators.combine(streams, payload, streamWindow, Arbitraries.integers()).as((s, p, w, x) ->
            new TunnelLimits(s, p, w, pick(x, 3) != 0 ? Math.max(w, TunnelLimits.DEFAULT_CONNECTION_WINDOW) :
                w + (int)pickLong(x, x >>> 2, (long)MAX_WINDOW - w + 1)));
    }

    private static Arbitrary<List<Integer>> pieceSizes()
    {
        return Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.integers().between(1, 16)),
            Tuple.of(3, Arbitraries.integers().between(17, 512)),
            Tuple.of(2, Arbitraries.integers().between(513, 70_000))).list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Integer>> bigPieces()
    {
        return Arbitraries.integers().between(4096, 140_000).list().ofMinSize(1).ofMaxSize(4);
    }

    /** Valid steps; {@code goAwayWeight} of 100 are GO_AWAY(none). */
    private static Arbitrary<Step> steps(final int goAwayWeight)
    {
        final Arbitrary<StepKind> kinds = Arbitraries.frequency(
            Tuple.of(12, StepKind.OPEN_STREAM),
            Tuple.of(12, StepKind.OPEN_ACK),
            Tuple.of(25, StepKind.DATA),
            Tuple.of(4, StepKind.DATA_ON_ENDED_STREAM),
            Tuple.of(10, StepKind.WINDOW_UPDATE),
            Tuple.of(8, StepKind.RESET),
            Tuple.of(8, StepKind.PING),
            Tuple.of(5, StepKind.PING_ACK),
            Tuple.of(3, StepKind.OPEN_ACK_ON_ENDED_STREAM),
            Tuple.of(goAwayWeight, StepKind.GO_AWAY_NONE));
        return Combinators.combine(kinds, Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers())
            .as(Step::new);
    }

    @Provide
    Arbitrary<List<Step>> validSteps()
    {
        return steps(0).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Step>> prefixSteps()
    {
        return steps(0).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<Step>> drainingSteps()
    {
        return steps(8).list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Step>> creditSteps()
    {
        return steps(0).list().ofMinSize(5).ofMaxSize(40);
    }

    @Provide
    Arbitrary<Ending> endings()
    {
        return Combinators.combine(
            Arbitraries.frequency(
                Tuple.of(12, EndingKind.COMPLETE), Tuple.of(5, EndingKind.TRUNCATED), Tuple.of(1,
                    EndingKind.PEER_GO_AWAY),
                Tuple.of(1, EndingKind.PEER_EOF)),
            Arbitraries.integers(), Arbitraries.integers()).as(Ending::new);
    }

    @Provide
    Arbitrary<Violation> violations()
    {
        final Arbitrary<Violation> connectionLevel = HostileFrames.breaches().map(b -> new Violation(b, null, 0, 0));
        final Arbitrary<Violation> streamLevel = Combinators.combine(
            Arbitraries.of(StreamBreach.class), Arbitraries.integers(), Arbitraries.integers())
            .as((kind, a, b) -> new Violation(null, kind, a, b));
        return Arbitraries.frequencyOf(Tuple.of(13, connectionLevel), Tuple.of(7, streamLevel));
    }

    @Provide
    Arbitrary<StreamBreach> defaultSizeOverruns()
    {
        return Arbitraries.frequency(
            Tuple.of(3, StreamBreach.DATA_BEYOND_STREAM_WINDOW), Tuple.of(1,
                StreamBreach.DATA_BEYOND_CONNECTION_WINDOW));
    }

    @Provide
    Arbitrary<Trailer> trailers()
    {
        return Combinators.combine(
            Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 3), Arbitraries.integers())
            .as(Trailer::new);
    }

    @Provide
    Arbitrary<HandshakeCase> handshakeCases()
    {
        return Combinators.combine(
            Arbitraries.of(HandshakeBreach.class), Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.integers())
            .as(HandshakeCase::new);
    }

    @Provide
    Arbitrary<List<Damage>> damages()
    {
        final Arbitrary<Integer> offsets = Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.integers().between(0, 200)),
            Tuple.of(3, Arbitraries.integers().between(0, 4000)));
        return Combinators.combine(offsets, Arbitraries.of(DamageKind.class), Arbitraries.integers())
            .as(Damage::new).list().ofMinSize(1).ofMaxSize(4);
    }

    // ---- the connector, played against the edge --------------------------------------------------------------------

    /** The connector's view of one stream the edge opened. */
    private static final class StreamModel
    {
        final int id;
        final boolean halfOpen;
        final CallerStream stream;
        boolean acked;
        boolean myFin;
        boolean reset;
        boolean edgeFin;
        /** What we may still send on it. */
        long sendWindow;
        /** What the edge may send on it: our initial window plus what we granted. */
        long edgeWindow;
        /** Bytes we sent on it. */
        long sent;

        StreamModel(final int id, final boolean halfOpen, final CallerStream stream, final long sendWindow,
            final long edgeWindow)
        {
            this.id = id;
            this.halfOpen = halfOpen;
            this.stream = stream;
            this.sendWindow = sendWindow;
            this.edgeWindow = edgeWindow;
        }

        /** Still open at the edge once our frames so far are read: no RESET from us, and not both FINs. */
        boolean live()
        {
            return !reset && !(myFin && !halfOpen);
        }

        @Override
        public String toString()
        {
            return id + (halfOpen ? "h" : "") + (acked ? "a" : "") + (myFin ? "f" : "") + (reset ? "r" : "") +
                (edgeFin ? "F" : "") + "/" + sent;
        }
    }

    /** One try: the connection under test, the channel, the byte stream we send and the model of what we know. */
    private static final class Session
    {
        final Setup setup;
        final TunnelLimits edgeLimits;
        final TunnelLimits connectorLimits;
        final EmbeddedSocketChannel channel = new EmbeddedSocketChannel();
        final EdgeTunnelConnection connection;
        final EdgeOutput out = new EdgeOutput();
        final boolean limitedWrites;

        private byte[] pending = new byte[1024];
        private int pendingLength;
        private int pieceIndex;
        private long sentBytes;
        private List<Damage> damages = List.of();
        private int damageIndex;
        private int deleting;
        private int framesSeen;

        byte[] clientNonce;
        byte[] serverNonce;
        boolean welcomed;
        /** What we may still send on the connection. */
        long connectionWindow;
        /** What the edge may send us on the connection: our announced window plus what we granted. */
        long edgeConnectionWindow;
        final TreeMap<Integer, StreamModel> streams = new TreeMap<>();
        final List<Long> edgePings = new ArrayList<>();
        final List<Long> myPings = new ArrayList<>();
        int lastOpened;
        boolean goingAway;
        /** Connection credit the edge granted after the handshake. */
        long granted;
        /** Bytes the edge let go of: held by streams that ended, or DATA for streams already ended. */
        long released;
        boolean checkModel = true;
        /** Whether a breach may fill a connection window of megabytes (only the default-size property does). */
        boolean bigFills;

        Session(final Setup setup)
        {
            this.setup = setup;
            this.edgeLimits = setup.edgeLimits();
            this.connectorLimits = setup.connectorLimits();
            this.connection = new EdgeTunnelConnection(loop, channel, edgeLimits, registry, "test");
            this.limitedWrites = setup.sendBuffer() != UNLIMITED;
            if (limitedWrites)
            {
                channel.sendBufferCapacity(setup.sendBuffer());
            }
            try
            {
                connection.startUnregistered();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        // ---- the handshake --------------------------------------------------------------------------------------

        /** HELLO, then (pipelined with what follows) AUTH with the right proof and the setup's limits. */
        void handshake()
        {
            clientNonce = HostileFrames.nonce(setup.nonceSeed());
            send(HostileFrames.hello(setup.minVersion(), setup.maxVersion(), TUNNEL, clientNonce));
            settle();
            if (connection.isClosed())
            {
                assertFalse(checkModel, () -> "closed by a valid HELLO: " + this);
                return;
            }
            if (serverNonce == null)
            {
                assertFalse(checkModel, () -> "no CHALLENGE after a valid HELLO: " + this);
                serverNonce = new byte[TunnelFrameEncoder.NONCE_LENGTH];
            }
            send(HostileFrames.auth(HandshakeProof.connectorProof(TOKEN_BYTES, TUNNEL, clientNonce, serverNonce),
                connectorLimits));
            // pipelined: until WELCOME arrives we assume the limits the edge was configured with; WELCOME is checked
            connectionWindow = edgeLimits.connectionWindow();
            edgeConnectionWindow = connectorLimits.connectionWindow();
        }

        void brokenHandshake(final HandshakeCase c)
        {
            final int a = c.a();
            final int b = c.b();
            final boolean afterHello = (a & 0x100) != 0;
            clientNonce = HostileFrames.nonce(setup.nonceSeed());
            final byte[] hello = HostileFrames.hello(setup.minVersion(), setup.maxVersion(), TUNNEL, clientNonce);
            final int expected;
            boolean junkAfter = true;
            switch (c.kind())
            {
                case UNSUPPORTED_VERSIONS:
                {
                    final int min;
                    final int max;
                    switch (pick(a, 3))
                    {
                        case 0:
                            min = 2 + pick(b, 254);
                            max = min + pick(c.c(), 256 - min);
                            break;
                        case 1:
                            min = pick(b, 256);
                            max = 0;
                            break;
                        default:
                            min = 2 + pick(b, 254);
                            max = pick(c.c(), 256);
                            break;
                    }
                    send(HostileFrames.hello(min, max, TUNNEL, clientNonce));
                    expected = WireCode.UNSUPPORTED_VERSION;
                    break;
                }
                case UNKNOWN_TUNNEL:
                {
                    final String[] ids = {"OFFICE", "office ", "offic", HostileFrames.text(1 + pick(b, 255), c.c())};
                    final String id = ids[pick(a, ids.length)];
                    helloThenAuth(HostileFrames.hello(1, 1, id, clientNonce),
                        () -> HandshakeProof.connectorProof(pick(b, 2) == 0 ? TOKEN_BYTES : OTHER_TOKEN_BYTES, id,
                            clientNonce, serverNonce));
                    expected = WireCode.AUTH_FAILED;
                    break;
                }
                case WRONG_TOKEN:
                {
                    final byte[] token = HostileFrames.nonce(b);
                    helloThenAuth(hello, () -> HandshakeProof.connectorProof(
                        Arrays.copyOf(token, 16 + pick(c.c(), 17)), TUNNEL, clientNonce, serverNonce));
                    expected = WireCode.AUTH_FAILED;
                    break;
                }
                case OTHER_TUNNELS_TOKEN:
                    if (pick(a, 2) == 0)
                    {
                        helloThenAuth(HostileFrames.hello(1, 1, OTHER_TUNNEL, clientNonce),
                            () -> HandshakeProof.connectorProof(TOKEN_BYTES, OTHER_TUNNEL, clientNonce, serverNonce));
                    }
                    else
                    {
                        helloThenAuth(hello,
                            () -> HandshakeProof.connectorProof(OTHER_TOKEN_BYTES, TUNNEL, clientNonce, serverNonce));
                    }
                    expected = WireCode.AUTH_FAILED;
                    break;
                case CORRUPTED_PROOF:
                    helloThenAuth(hello, () ->
                    {
                        final byte[] proof = HandshakeProof.connectorProof(TOKEN_BYTES, TUNNEL, clientNonce,
                            serverNonce);
                        proof[pick(a, proof.length)] ^= (byte)(1 + pick(b, 255));
                        return proof;
                    });
                    expected = WireCode.AUTH_FAILED;
                    break;
                case REPLAYED_PROOF:
                    helloThenAuth(hello, () -> pick(a, 2) == 0 ?
                        HandshakeProof.connectorProof(TOKEN_BYTES, TUNNEL, clientNonce, HostileFrames.nonce(b)) :
                        HandshakeProof.connectorProof(TOKEN_BYTES, TUNNEL, serverNonce, clientNonce));
                    expected = WireCode.AUTH_FAILED;
                    break;
                case UNUSABLE_LIMITS:
                {
                    final TunnelLimits limits = unusableLimits(a, b);
                    assertNotNull(limits.validate(), limits.toString());
                    send(hello);
                    settle();
                    assertNotNull(serverNonce, () -> "CHALLENGE: " + this);
                    send(HostileFrames.auth(
                        HandshakeProof.connectorProof(TOKEN_BYTES, TUNNEL, clientNonce, serverNonce), limits));
                    expected = WireCode.PROTOCOL_ERROR;
                    break;
                }
                case AUTH_BEFORE_HELLO:
                    send(HostileFrames.auth(HostileFrames.nonce(b), connectorLimits));
                    expected = WireCode.PROTOCOL_ERROR;
                    break;
                case HELLO_TWICE:
                    send(hello);
                    if (pick(a, 2) == 0)
                    {
                        settle();
                    }
                    send(pick(b, 2) == 0 ? hello : HostileFrames.hello(1, 1, OTHER_TUNNEL, HostileFrames.nonce(b)));
                    expected = WireCode.PROTOCOL_ERROR;
                    break;
                case CHALLENGE_OR_WELCOME_FROM_CONNECTOR:
                    stage(afterHello, hello);
                    send(HostileFrames.handshakeFrame(1 + 2 * pick(b, 2), b, c.c(), 0));
                    expected = WireCode.PROTOCOL_ERROR;
                    break;
                case STREAM_FRAME_IN_HANDSHAKE:
                    stage(afterHello, hello);
                    send(streamFrame(b, c.c()));
                    expected = WireCode.PROTOCOL_ERROR;
                    break;
                case OVERSIZED_HANDSHAKE_FRAME:
                {
                    stage(afterHello, hello);
                    final int[] types = {FrameHeader.TYPE_HELLO, FrameHeader.TYPE_AUTH, FrameHeader.TYPE_CHALLENGE,
                        FrameHeader.TYPE_WELCOME, FrameHeader.TYPE_DATA, FrameHeader.TYPE_PING,
                            FrameHeader.TYPE_GO_AWAY};
                    final int type = types[pick(b, types.length)];
                    final long length = FrameDecoder.HANDSHAKE_MAX_PAYLOAD + 1 + pickLong(b, c.c(),
                        0xFFFF_FFFFL - 1024);
                    send(HostileFrames.concat(
                        HostileFrames.header(1, type, 0, type == FrameHeader.TYPE_DATA ? 1 : 0, length),
                        new HostileFrames.Bytes().filler(pick(c.c(), 64), b).toArray()));
                    expected = WireCode.PROTOCOL_ERROR;
                    junkAfter = false;
                    break;
                }
                case MALFORMED_HELLO:
                    send(malformedHello(a, b, c.c()));
                    expected = WireCode.PROTOCOL_ERROR;
                    break;
                case MALFORMED_AUTH:
                {
                    send(hello);
                    settle();
                    final int length = pick(b, 2) == 0 ? pick(c.c(), 48) : 49 + pick(c.c(), 200);
                    send(HostileFrames.frame(FrameHeader.TYPE_AUTH, 0, 0, new HostileFrames.Bytes().filler(length,
                        b).toArray()));
                    expected = WireCode.PROTOCOL_ERROR;
                    break;
                }
                case HANDSHAKE_FRAME_ON_A_STREAM:
                {
                    final int streamId = b == 0 ? 1 : b;
                    final byte[] frame;
                    if (afterHello)
                    {
                        send(hello);
                        settle();
                        frame = HostileFrames.auth(
                            HandshakeProof.connectorProof(TOKEN_BYTES, TUNNEL, clientNonce, serverNonce),
                                connectorLimits);
                    }
                    else
                    {
                        frame = hello.clone();
                    }
                    new org.agrona.concurrent.UnsafeBuffer(frame).putInt(
                        FrameHeader.STREAM_ID_OFFSET, streamId, java.nio.ByteOrder.LITTLE_ENDIAN);
                    send(frame);
                    expected = WireCode.PROTOCOL_ERROR;
                    break;
                }
                case GARBAGE_FIRST:
                    send(garbage(a, b, c.c()));
                    expected = WireCode.PROTOCOL_ERROR;
                    junkAfter = false;
                    break;
                case TRUNCATED:
                {
                    final byte[] frame;
                    if (afterHello)
                    {
                        send(hello);
                        settle();
                        frame = HostileFrames.auth(
                            HandshakeProof.connectorProof(TOKEN_BYTES, TUNNEL, clientNonce, serverNonce),
                                connectorLimits);
                    }
                    else
                    {
                        frame = hello;
                    }
                    send(Arrays.copyOf(frame, 1 + pick(b, frame.length - 1)));
                    settle();
                    settleOutput();
                    assertFalse(connection.isClosed(), () -> "a handshake cut inside a frame waits: " + this);
                    // Open: no GO_AWAY, except the one GO_AWAY(none) answering a connector that is draining.
            assertEquals(goingAway ? 1 : 0, out.count(FrameHeader.TYPE_GO_AWAY), this::toString);
            if (goingAway)
            {
                assertEquals(0, out.first(FrameHeader.TYPE_GO_AWAY).code(), this::toString);
            }
                    assertEquals(0, out.count(FrameHeader.TYPE_WELCOME), this::toString);
                    assertEquals(afterHello ? 1 : 0, out.count(FrameHeader.TYPE_CHALLENGE), this::toString);
                    return;
                }
                case PEER_GO_AWAY:
                case PEER_EOF:
                {
                    stage(afterHello, hello);
                    if (c.kind() == HandshakeBreach.PEER_GO_AWAY)
                    {
                        send(HostileFrames.goAway(pick(b, 3) == 0 ? 0 : b & 0xFFFF, 0, HostileFrames.text(pick(c.c(),
                            40), b)));
                        settle();
                    }
                    else
                    {
                        settle();
                        eof();
                    }
                    settleOutput();
                    assertTrue(connection.isClosed(), () -> "the connector went: " + this);
                    assertEquals(0, out.count(FrameHeader.TYPE_GO_AWAY),
                        () -> "no GO_AWAY to a connector that went: " + this);
                    assertEquals(0, out.count(FrameHeader.TYPE_WELCOME), this::toString);
                    return;
                }
                default:
                    throw new IllegalStateException(c.toString());
            }
            if (junkAfter && pick(c.c(), 3) != 0)
            {
                // a correct AUTH (or random bytes) after the offending frame must not be acted on
                send(pick(c.c(), 3) == 1 && serverNonce != null ?
                    HostileFrames.auth(HandshakeProof.connectorProof(TOKEN_BYTES, TUNNEL, clientNonce, serverNonce),
                        connectorLimits) :
                    new HostileFrames.Bytes().filler(1 + pick(b, 100), c.c()).toArray());
            }
            settle();
            settleOutput();
            assertClosedWith(expected, c.toString());
            assertEquals(0, out.count(FrameHeader.TYPE_WELCOME), () -> "no WELCOME for a broken handshake: " + this);
            if (expected == WireCode.UNSUPPORTED_VERSION)
            {
                assertEquals(0, out.count(FrameHeader.TYPE_CHALLENGE),
                    () -> "no CHALLENGE for versions it does not speak: " + this);
            }
            if (expected == WireCode.AUTH_FAILED)
            {
                assertEquals(1, out.count(FrameHeader.TYPE_CHALLENGE), () -> "a CHALLENGE as for any tunnel: " + this);
            }
        }

        private void stage(final boolean afterHello, final byte[] hello)
        {
            if (afterHello)
            {
                send(hello);
                settle();
                assertNotNull(serverNonce, () -> "CHALLENGE: " + this);
            }
        }

        private void helloThenAuth(final byte[] hello, final Supplier<byte[]> proof)
        {
            send(hello);
            settle();
            assertNotNull(serverNonce, () -> "a CHALLENGE, whatever the tunnel id: " + this);
            send(HostileFrames.auth(proof.get(), connectorLimits));
        }

        private static TunnelLimits unusableLimits(final int a, final int b)
        {
            final TunnelLimits d = TunnelLimits.DEFAULTS;
            switch (pick(a, 5))
            {
                case 0:
                    return new TunnelLimits(-pick(b, MAX_WINDOW), d.maxFramePayload(), d.initialStreamWindow(),
                        d.connectionWindow());
                case 1:
                    return new TunnelLimits(d.maxConcurrentStreams(), pick(b,
                        TunnelLimits.MIN_FRAME_PAYLOAD) - (b >>> 31),
                        d.initialStreamWindow(), d.connectionWindow());
                case 2:
                    return new TunnelLimits(d.maxConcurrentStreams(), TunnelLimits.MAX_FRAME_PAYLOAD + 1 +
                        pick(b, MAX_WINDOW - TunnelLimits.MAX_FRAME_PAYLOAD), d.initialStreamWindow(),
                            d.connectionWindow());
                case 3:
                    return new TunnelLimits(d.maxConcurrentStreams(), d.maxFramePayload(), 1023 - pick(b, MAX_WINDOW),
                        d.connectionWindow());
                default:
                {
                    final int window = 1024 + pick(b, MAX_WINDOW - 1024);
                    return new TunnelLimits(d.maxConcurrentStreams(), d.maxFramePayload(), window,
                        window - 1 - pick(b >>> 7, window));
                }
            }
        }

        /** A well-formed non-handshake frame: out of place before WELCOME. */
        private static byte[] streamFrame(final int b, final int c)
        {
            switch (pick(b, 8))
            {
                case 0:
                    return HostileFrames.data(1, pick(c, 2) == 0, pick(c >>> 1, 64));
                case 1:
                    return HostileFrames.windowUpdate(0, 1 + pick(c, 1 << 20));
                case 2:
                    return HostileFrames.windowUpdate(1, 1 + pick(c, 1 << 20));
                case 3:
                    return HostileFrames.ping(false, c);
                case 4:
                    return HostileFrames.ping(true, c);
                case 5:
                    return HostileFrames.reset(1, c & 0xFFFF, HostileFrames.text(pick(c, 40), b));
                case 6:
                    return HostileFrames.openAck(1, HostileFrames.text(pick(c, 40), b), "x");
                default:
                    return HostileFrames.open(1, 1, "10.0.0.1", 1 + pick(c, 65535), 1000);
            }
        }

        private byte[] malformedHello(final int a, final int b, final int c)
        {
            final HostileFrames.Bytes payload = new HostileFrames.Bytes();
            switch (pick(a, 5))
            {
                case 0:
                    payload.filler(pick(b, 2), c);
                    break;
                case 1:
                    // tunnel id longer than 255 bytes, exactly framed
                    payload.u8(1).u8(1).string(HostileFrames.text(256 + pick(b, 700), c)).raw(clientNonce);
                    break;
                case 2:
                {
                    // a nonce that is not 32 bytes
                    final int nonce = pick(b, 2) == 0 ? pick(c, 32) : 33 + pick(c, 32);
                    payload.u8(1).u8(1).string(TUNNEL).filler(nonce, b);
                    break;
                }
                case 3:
                    // the tunnel id claims more bytes than follow
                    payload.u8(1).u8(1).u16(40 + pick(b, 900)).filler(pick(c, 40), b);
                    break;
                default:
                    // an empty tunnel id (PROTOCOL.md §2: it must not be empty)
                    payload.u8(1).u8(1).string("").raw(clientNonce);
                    break;
            }
            return HostileFrames.frame(FrameHeader.TYPE_HELLO, 0, 0, payload.toArray());
        }

        private static byte[] garbage(final int a, final int b, final int c)
        {
            switch (pick(a, 3))
            {
                case 0:
                    return "GET / HTTP/1.1\r\nHost: edge\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                case 1:
                    // the start of a TLS ClientHello
                    return new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte)0xfc, 0x03, 0x03, 0x11,
                        0x22};
                default:
                {
                    final byte[] bytes = new HostileFrames.Bytes().filler(12 + pick(b, 200), c).toArray();
                    final SplittableRandom random = new SplittableRandom(((long)b << 32) ^ c);
                    random.nextBytes(bytes);
                    if (bytes[0] == FrameHeader.VERSION)
                    {
                        bytes[0] = 0;
                    }
                    return bytes;
                }
            }
        }

        // ---- valid steps -----------------------------------------------------------------------------------------

        void step(final Step step)
        {
            if (connection.isClosed())
            {
                return;
            }
            final int a = step.a();
            final int b = step.b();
            final int c = step.c();
            switch (step.kind())
            {
                case OPEN_STREAM:
                    if (streams.size() < MAX_STREAMS)
                    {
                        openStream((a & 1) == 1, b);
                        return;
                    }
                    break;
                case OPEN_ACK:
                {
                    final StreamModel s = pickStream(a, m -> m.live() && !m.acked);
                    if (s != null)
                    {
                        ack(s, b, c);
                        return;
                    }
                    break;
                }
                case DATA:
                {
                    final StreamModel s = pickStream(a, m -> m.live() && m.acked && !m.myFin);
                    if (s != null)
                    {
                        data(s, dataSize(b, Math.min(Math.min(s.sendWindow, connectionWindow),
                            edgeLimits.maxFramePayload())),
                            (c & 1) == 1);
                        return;
                    }
                    break;
                }
                case DATA_ON_ENDED_STREAM:
                {
                    final StreamModel s = pickStream(a, m -> !m.live());
                    if (s != null)
                    {
                        final int size = dataSize(b, Math.min(connectionWindow, edgeLimits.maxFramePayload()));
                        connectionWindow -= size;
                        released += size;
                        send(HostileFrames.data(s.id, (c & 1) == 1, size));
                        return;
                    }
                    break;
                }
                case WINDOW_UPDATE:
                    if (windowUpdate(a, b, c))
                    {
                        return;
                    }
                    break;
                case RESET:
                {
                    final StreamModel s = pickStream(a, m -> true);
                    if (s != null)
                    {
                        if (s.live())
                        {
                            s.reset = true;
                            released += s.sent;
                        }
                        send(HostileFrames.reset(s.id, b & 0xFFFF, HostileFrames.text(pick(c, 513), b)));
                        return;
                    }
                    break;
                }
                case PING:
                    break;
                case PING_ACK:
                {
                    final long opaque = !edgePings.isEmpty() && (a & 1) == 0 ?
                        edgePings.get(pick(b, edgePings.size())) : PING | (((long)b << 32) ^ c) & PING_MASK;
                    send(HostileFrames.ping(true, opaque));
                    return;
                }
                case OPEN_ACK_ON_ENDED_STREAM:
                {
                    final StreamModel s = pickStream(a, m -> !m.live());
                    if (s != null)
                    {
                        send(HostileFrames.openAck(s.id, HostileFrames.text(pick(b, 256), c),
                            HostileFrames.text(pick(c, 256), b)));
                        return;
                    }
                    break;
                }
                case GO_AWAY_NONE:
                    goingAway = true;
                    send(HostileFrames.goAway(WireCode.NONE, lastOpened, HostileFrames.text(pick(b, 100), c)));
                    return;
                default:
                    throw new IllegalStateException(step.toString());
            }
            // the step had nothing to act on: a ping instead
            final long opaque = PING | (((long)b << 32) ^ c) & PING_MASK;
            myPings.add(opaque);
            send(HostileFrames.ping(false, opaque));
        }

        StreamModel openStream(final boolean halfOpen, final int b)
        {
            if (!connection.tryReserve())
            {
                return null; // draining or closed: a caller would choose another connection
            }
            final CallerStream stream = new CallerStream(connection, "test", halfOpen);
            connection.open(stream, 1 + pick(b, 2), "10.1." + pick(b >>> 8, 256) + "." + pick(b >>> 16, 256),
                1 + pick(b, 65535), pick(b >>> 4, 60_000));
            cycleEnd();
            if (stream.id() == 0)
            {
                return null;
            }
            final StreamModel model = new StreamModel(stream.id(), halfOpen, stream, edgeLimits.initialStreamWindow(),
                connectorLimits.initialStreamWindow());
            streams.put(stream.id(), model);
            if (checkModel)
            {
                assertTrue(stream.id() > lastOpened && (stream.id() & 1) == 1,
                    () -> "stream ids odd and increasing: " + this);
                assertEquals(stream.id(), lastOpenFrameId(), () -> "the edge wrote OPEN: " + this);
            }
            lastOpened = stream.id();
            return model;
        }

        private int lastOpenFrameId()
        {
            for (int i = out.frames().size() - 1; i >= 0; i--)
            {
                if (out.frames().get(i).is(FrameHeader.TYPE_OPEN))
                {
                    return out.frames().get(i).streamId();
                }
            }
            return -1;
        }

        private void ack(final StreamModel s, final int b, final int c)
        {
            s.acked = true;
            send(HostileFrames.openAck(s.id, HostileFrames.text(pick(b, 256), c), HostileFrames.text(pick(c, 256), b)));
        }

        private void data(final StreamModel s, final int size, final boolean fin)
        {
            // the model first: the edge answers (a FIN) while the frame is delivered
            s.sendWindow -= size;
            connectionWindow -= size;
            s.sent += size;
            if (fin)
            {
                s.myFin = true;
                if (!s.live())
                {
                    released += s.sent;
                }
            }
            send(HostileFrames.data(s.id, fin, size));
        }

        private boolean windowUpdate(final int a, final int b, final int c)
        {
            if (pick(a, 3) == 0)
            {
                final long room = MAX_WINDOW - edgeConnectionWindow;
                if (room < 1)
                {
                    return false;
                }
                final long credit = credit(b, c, room);
                edgeConnectionWindow += credit;
                send(HostileFrames.windowUpdate(0, credit));
                return true;
            }
            final StreamModel s = pickStream(a >>> 2, m -> true);
            if (s == null)
            {
                return false;
            }
            if (!s.live())
            {
                // ignored by the edge: any credit will do
                send(HostileFrames.windowUpdate(s.id, 1 + pickLong(b, c, MAX_WINDOW)));
                return true;
            }
            final long room = MAX_WINDOW - s.edgeWindow;
            if (room < 1)
            {
                return false;
            }
            final long credit = credit(b, c, room);
            s.edgeWindow += credit;
            send(HostileFrames.windowUpdate(s.id, credit));
            return true;
        }

        /** 1 … room: usually small, sometimes exactly up to the 2³¹−1 ceiling. */
        private static long credit(final int b, final int c, final long room)
        {
            if (pick(c, 8) == 0)
            {
                return room;
            }
            return 1 + pickLong(b, c >>> 3, Math.min(room, pick(c, 8) == 1 ? room : 1 << 20));
        }

        /** 0 … limit: mostly small, sometimes the whole limit. */
        private static int dataSize(final int b, final long limit)
        {
            if (limit <= 0)
            {
                return 0;
            }
            switch (pick(b, 16))
            {
                case 0:
                    return (int)limit;
                case 1:
                    return (int)pickLong(b >>> 4, b, limit + 1);
                default:
                    return pick(b >>> 4, (int)Math.min(limit, 100) + 1);
            }
        }

        private StreamModel pickStream(final int a, final Predicate<StreamModel> which)
        {
            final List<StreamModel> candidates = new ArrayList<>();
            for (final StreamModel s : streams.values())
            {
                if (which.test(s))
                {
                    candidates.add(s);
                }
            }
            return candidates.isEmpty() ? null : candidates.get(pick(a, candidates.size()));
        }

        long liveStreams()
        {
            return streams.values().stream().filter(StreamModel::live).count();
        }

        boolean goingAwayWithNoStreams()
        {
            return goingAway && liveStreams() == 0;
        }

        /** @return true when the ending closes the connection from the connector's side. */
        boolean end(final Ending ending)
        {
            switch (ending.kind())
            {
                case COMPLETE:
                    settle();
                    return false;
                case TRUNCATED:
                {
                    // one more frame, all but its last bytes: the edge acts on everything before it, then waits
                    final byte[] last;
                    final StreamModel s = pickStream(ending.a(), m -> m.live() && m.acked && !m.myFin);
                    final long room = s == null ? 0 : Math.min(Math.min(s.sendWindow, connectionWindow),
                        edgeLimits.maxFramePayload());
                    switch (pick(ending.a() >>> 8, 3))
                    {
                        case 0:
                            last = HostileFrames.ping(false, ending.b());
                            break;
                        case 1:
                            last = HostileFrames.goAway(WireCode.NONE, lastOpened,
                                HostileFrames.text(pick(ending.b(), 200), 1));
                            break;
                        default:
                            last = room > 0 ? HostileFrames.data(s.id, false, 1 + (int)pickLong(ending.b(), 0, room)) :
                                HostileFrames.reset(1, 0, HostileFrames.text(pick(ending.b(), 300), 2));
                            break;
                    }
                    sendAllBut(last, 1 + pick(ending.b() >>> 3, last.length - 1));
                    return false;
                }
                case PEER_GO_AWAY:
                    settle();
                    if (connection.isClosed())
                    {
                        return true;
                    }
                    send(HostileFrames.goAway(1 + pick(ending.a(), 0xFFFF), lastOpened,
                        HostileFrames.text(pick(ending.b(), 100), 3)));
                    settle();
                    return true;
                case PEER_EOF:
                    settle();
                    eof();
                    return true;
                default:
                    throw new IllegalStateException(ending.toString());
            }
        }

        // ---- breaches ------------------------------------------------------------------------------------------

        byte[] violation(final Violation violation)
        {
            settle();
            if (violation.streamBreach() != null)
            {
                final byte[] bytes = streamBreach(violation.streamBreach(), violation.a(), violation.b());
                if (bytes != null)
                {
                    return bytes;
                }
                // no stream could be opened (the connector's stream limit): a breach that needs none
                settle();
                return HostileFrames.encode(new BreachCase(HostileFrames.Breach.NEVER_OPENED_STREAM, violation.a(),
                    violation.b(), violation.a() ^ violation.b()), view());
            }
            return HostileFrames.encode(violation.connectionBreach(), view());
        }

        private PeerView view()
        {
            return new PeerView(edgeLimits.maxFramePayload(), edgeConnectionWindow).nextStreamId(lastOpened + 2);
        }

        /** Sets up what the breach needs with valid frames, settles, and returns the offending bytes (or null). */
        private byte[] streamBreach(final StreamBreach kind, final int a, final int b)
        {
            final int maxPayload = edgeLimits.maxFramePayload();
            switch (kind)
            {
                case DATA_BEYOND_STREAM_WINDOW:
                {
                    final StreamModel s = sendable(a);
                    if (s == null)
                    {
                        return null;
                    }
                    while (s.sendWindow > 0 && connectionWindow > 0)
                    {
                        data(s, (int)Math.min(Math.min(s.sendWindow, connectionWindow), maxPayload), false);
                    }
                    settle();
                    return HostileFrames.data(s.id, (b & 1) == 1, 1 + pick(b >>> 1, maxPayload));
                }
                case DATA_BEYOND_CONNECTION_WINDOW:
                {
                    if (!bigFills && connectionWindow > 64 * 1024)
                    {
                        return streamBreach(StreamBreach.DATA_BEYOND_STREAM_WINDOW, a, b);
                    }
                    while (connectionWindow > 0)
                    {
                        StreamModel s = pickStream(a, m -> m.live() && m.acked && !m.myFin && m.sendWindow > 0);
                        if (s == null)
                        {
                            s = openStream(false, a);
                            if (s == null)
                            {
                                return null;
                            }
                            ack(s, a, b);
                        }
                        data(s, (int)Math.min(Math.min(s.sendWindow, connectionWindow), maxPayload), false);
                    }
                    settle();
                    if (connectionWindow > 0)
                    {
                        return null;
                    }
                    StreamModel target = pickStream(a, m -> m.live() && m.acked && !m.myFin && m.sendWindow > 0);
                    if (target == null)
                    {
                        target = openStream(false, a);
                        if (target != null)
                        {
                            ack(target, a, b);
                            settle();
                        }
                    }
                    final int id = target == null ? lastOpened : target.id;
                    final int room = target == null ? maxPayload : (int)Math.min(target.sendWindow, maxPayload);
                    return HostileFrames.data(id, false, 1 + pick(b, room));
                }
                case STREAM_WINDOW_OVERFLOW:
                {
                    StreamModel s = pickStream(a, StreamModel::live);
                    if (s == null)
                    {
                        s = openStream((a & 1) == 1, b);
                        if (s == null)
                        {
                            return null;
                        }
                        settle();
                    }
                    final long credit = Math.min(MAX_WINDOW, MAX_WINDOW - s.edgeWindow + 1 + pickLong(b, a,
                        MAX_WINDOW));
                    return HostileFrames.windowUpdate(s.id, credit);
                }
                case DUPLICATE_OPEN_ACK:
                {
                    StreamModel s = pickStream(a, m -> m.live() && m.acked);
                    if (s == null)
                    {
                        s = openStream((a & 1) == 1, b);
                        if (s == null)
                        {
                            return null;
                        }
                        ack(s, a, b);
                        settle();
                    }
                    return HostileFrames.openAck(s.id, HostileFrames.text(pick(b, 50), a), HostileFrames.text(pick(a,
                        50), b));
                }
                case DATA_AFTER_FIN:
                {
                    StreamModel s = pickStream(a, m -> m.live() && m.halfOpen && m.myFin);
                    if (s == null)
                    {
                        s = pickStream(a, m -> m.live() && m.halfOpen && m.acked && !m.myFin);
                        if (s == null)
                        {
                            s = openStream(true, b);
                            if (s == null)
                            {
                                return null;
                            }
                            ack(s, a, b);
                        }
                        data(s, 0, true);
                        settle();
                    }
                    return HostileFrames.data(s.id, (b & 1) == 1,
                        (int)Math.min(pick(b >>> 1, 64), Math.max(0, Math.min(s.sendWindow, connectionWindow))));
                }
                default:
                    throw new IllegalStateException(kind.name());
            }
        }

        /** A live, acknowledged stream we may still send on, opened and acknowledged if there is none. */
        private StreamModel sendable(final int a)
        {
            StreamModel s = pickStream(a, m -> m.live() && m.acked && !m.myFin);
            if (s == null)
            {
                s = openStream((a & 2) == 2, a);
                if (s == null)
                {
                    return null;
                }
                ack(s, a, a >>> 8);
            }
            return s;
        }

        byte[] trailer(final Trailer trailer)
        {
            final HostileFrames.Bytes bytes = new HostileFrames.Bytes();
            switch (trailer.kind())
            {
                case 0:
                    break;
                case 1:
                    for (int i = 0; i < trailer.count(); i++)
                    {
                        bytes.raw(HostileFrames.ping(false, TRAILER_PING | i));
                    }
                    break;
                case 2:
                    bytes.filler(1 + pick(trailer.seed(), 64), trailer.seed());
                    break;
                default:
                    bytes.raw(HostileFrames.ping(false, TRAILER_PING | 7))
                        .raw(HostileFrames.windowUpdate(0, 1))
                        .raw(HostileFrames.goAway(WireCode.NONE, 0, "bye"));
                    break;
            }
            return bytes.toArray();
        }

        // ---- the byte stream -----------------------------------------------------------------------------------

        void damage(final List<Damage> damages)
        {
            final List<Damage> sorted = new ArrayList<>(damages);
            sorted.sort(Comparator.comparingInt(Damage::offset));
            this.damages = sorted;
            this.checkModel = false;
        }

        /** Queues {@code frame} and delivers every whole piece now queued. */
        void send(final byte[] frame)
        {
            queue(frame);
            deliver(false, 0);
        }

        private void queue(final byte[] frame)
        {
            if (pendingLength + frame.length > pending.length)
            {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + frame.length));
            }
            System.arraycopy(frame, 0, pending, pendingLength, frame.length);
            pendingLength += frame.length;
        }

        /** Delivers everything queued. */
        void settle()
        {
            deliver(true, 0);
        }

        /** Queues {@code frame} and delivers all but its last {@code keep} bytes. */
        void sendAllBut(final byte[] frame, final int keep)
        {
            settle();
            queue(frame);
            deliver(true, keep);
        }

        private void deliver(final boolean all, final int keep)
        {
            while (pendingLength > keep && !connection.isClosed())
            {
                final List<Integer> pieces = setup.pieces();
                int size = Math.max(pieces.get(pieceIndex % pieces.size()), pendingLength >> 6);
                if (size > pendingLength - keep)
                {
                    if (!all)
                    {
                        return;
                    }
                    size = pendingLength - keep;
                }
                else
                {
                    pieceIndex++;
                }
                feed(pending, size);
                System.arraycopy(pending, size, pending, 0, pendingLength - size);
                pendingLength -= size;
                pump();
            }
        }

        private void feed(final byte[] bytes, final int length)
        {
            if (damageIndex >= damages.size() && deleting == 0)
            {
                channel.feed(bytes, 0, length);
                sentBytes += length;
                return;
            }
            final HostileFrames.Bytes damaged = new HostileFrames.Bytes();
            for (int i = 0; i < length; i++)
            {
                final long at = sentBytes + i;
                int b = bytes[i];
                while (damageIndex < damages.size() && damages.get(damageIndex).offset() <= at)
                {
                    final Damage d = damages.get(damageIndex++);
                    switch (d.kind())
                    {
                        case FLIP:
                            b ^= 1 + pick(d.value(), 255);
                            break;
                        case INSERT:
                            damaged.filler(1 + pick(d.value(), 8), d.value() >>> 8);
                            break;
                        default:
                            deleting += 1 + pick(d.value(), 8);
                            break;
                    }
                }
                if (deleting > 0)
                {
                    deleting--;
                    continue;
                }
                damaged.u8(b);
            }
            sentBytes += length;
            channel.feed(damaged.toArray());
        }

        /** What the selector would do: OP_READ while bytes wait, then the end-of-cycle flush. */
        void pump()
        {
            while (!connection.isClosed() && channel.inboundQueued() > 0)
            {
                final long before = channel.inboundQueued();
                connection.onReady(SelectionKey.OP_READ);
                cycleEnd();
                if (!connection.isClosed() && channel.inboundQueued() >= before)
                {
                    fail("the edge stopped reading with " + before + " bytes waiting: " + this);
                }
            }
            if (checkModel && !connection.isClosed())
            {
                final long[] fullest = connection.fullestStream();
                assertTrue(fullest[0] <= edgeLimits.initialStreamWindow() && fullest[0] <= Math.max(fullest[1], 0),
                    () -> "a stream holds more than its window: " + Arrays.toString(fullest) + ": " + this);
            }
        }

        /** The connector shuts its side: the next read sees end of stream. */
        void eof()
        {
            channel.feedEof();
            if (!connection.isClosed())
            {
                connection.onReady(SelectionKey.OP_READ);
                cycleEnd();
            }
        }

        /** The loop's end-of-cycle flush, then what a connector reading its socket sees. */
        void cycleEnd()
        {
            connection.flush();
            settleOutput();
        }

        /** Reads what the edge wrote; with a full socket, lets it write more (OP_WRITE) until it has nothing left. */
        void settleOutput()
        {
            while (true)
            {
                final byte[] written = channel.takeWritten();
                if (written.length == 0)
                {
                    break;
                }
                out.accept(written);
                if (connection.isClosed())
                {
                    continue;
                }
                connection.onReady(SelectionKey.OP_WRITE);
            }
            final List<Frame> frames = out.frames();
            for (; framesSeen < frames.size(); framesSeen++)
            {
                onEdgeFrame(frames.get(framesSeen));
            }
        }

        private void onEdgeFrame(final Frame frame)
        {
            switch (frame.type())
            {
                case FrameHeader.TYPE_CHALLENGE:
                    if (checkModel)
                    {
                        assertEquals(1, frame.code(), "CHALLENGE version");
                        assertNull(serverNonce, "one CHALLENGE");
                    }
                    serverNonce = frame.bytes();
                    break;
                case FrameHeader.TYPE_WELCOME:
                    if (checkModel)
                    {
                        assertTrue(Arrays.equals(HandshakeProof.edgeProof(TOKEN_BYTES, TUNNEL, serverNonce,
                            clientNonce),
                            frame.bytes()), () -> "the edge's proof in WELCOME: " + this);
                        assertEquals(edgeLimits, frame.limits(), "the edge's limits in WELCOME");
                        assertFalse(welcomed, "one WELCOME");
                    }
                    welcomed = true;
                    break;
                case FrameHeader.TYPE_PING:
                    if (frame.ack())
                    {
                        myPings.remove(frame.value());
                    }
                    else
                    {
                        edgePings.add(frame.value());
                    }
                    break;
                case FrameHeader.TYPE_DATA:
                {
                    final StreamModel s = streams.get(frame.streamId());
                    if (checkModel)
                    {
                        assertNotNull(s, () -> "DATA from the edge on a stream it opened: " + this);
                        assertTrue(frame.fin() && frame.length() == 0, "the edge only sends FIN here: " + frame);
                        assertTrue(s.myFin && !s.halfOpen && !s.edgeFin,
                            () -> "FIN answers ours on a non half-open stream: " + this);
                    }
                    if (s != null)
                    {
                        s.edgeFin = true;
                    }
                    break;
                }
                case FrameHeader.TYPE_WINDOW_UPDATE:
                    if (frame.streamId() == 0)
                    {
                        connectionWindow += frame.value();
                        granted += frame.value();
                    }
                    else if (streams.containsKey(frame.streamId()))
                    {
                        streams.get(frame.streamId()).sendWindow += frame.value();
                    }
                    break;
                default:
                    break;
            }
        }

        // ---- verdicts ------------------------------------------------------------------------------------------

        void assertOpenAndConsistent()
        {
            assertNull(out.error(), () -> "the edge wrote an undecodable frame: " + this);
            assertFalse(connection.isClosed(), () -> "a valid sequence closed the connection: " + this);
            // Open: no GO_AWAY, except the one GO_AWAY(none) answering a connector that is draining.
            assertEquals(goingAway ? 1 : 0, out.count(FrameHeader.TYPE_GO_AWAY), this::toString);
            if (goingAway)
            {
                assertEquals(0, out.first(FrameHeader.TYPE_GO_AWAY).code(), this::toString);
            }
            assertEquals(0, out.count(FrameHeader.TYPE_RESET), this::toString);
            assertTrue(welcomed, () -> "WELCOME: " + this);
            assertTrue(myPings.isEmpty(), () -> "every ping answered: " + this);
            assertEquals(liveStreams(), connection.streamCount(), () -> "streams open at the edge: " + this);
            for (final StreamModel s : streams.values())
            {
                assertEquals(s.myFin && !s.halfOpen, s.edgeFin, () -> "the edge's FIN on stream " + s + ": " + this);
                assertEquals(s.live(), !s.stream.isEnded(), () -> "stream " + s + " ended: " + this);
            }
            assertEquals(1, registry.liveConnections(TUNNEL), () -> "registered while established: " + this);
            assertEquals(!goingAway, connection.acceptsStreams(), this::toString);
        }

        /** Closed, and (when the socket had room for it) the last frame written is GO_AWAY with {@code code}. */
        void assertClosedWith(final int code, final String cause)
        {
            assertNull(out.error(), () -> "the edge wrote an undecodable frame: " + this);
            assertTrue(connection.isClosed(), () -> cause + " must close the connection: " + this);
            final Frame last = out.last();
            final int goAways = out.count(FrameHeader.TYPE_GO_AWAY);
            if (!limitedWrites)
            {
                assertNotNull(last, () -> cause + ": nothing written: " + this);
                assertEquals(FrameHeader.TYPE_GO_AWAY, last.type(), () -> cause + ": last frame: " + this);
                assertEquals(code, last.code(), () -> cause + ": GO_AWAY code: " + this);
                assertEquals(0, out.incomplete(), () -> "nothing after the GO_AWAY: " + this);
                assertEquals(1, goAways, () -> "one GO_AWAY: " + this);
                if (lastOpened > 0)
                {
                    assertEquals(lastOpened, last.value(), () -> "GO_AWAY's last stream id: " + this);
                }
            }
            else if (goAways > 0)
            {
                // a full socket may have cut the GO_AWAY off; one that got out is the last frame, with the code
                assertEquals(1, goAways, this::toString);
                assertEquals(FrameHeader.TYPE_GO_AWAY, last.type(), () -> cause + ": last frame: " + this);
                assertEquals(code, last.code(), () -> cause + ": GO_AWAY code: " + this);
            }
        }

        void assertSaneAfterDamage()
        {
            assertNull(out.error(), () -> "the edge wrote an undecodable frame: " + this);
            final int goAways = out.count(FrameHeader.TYPE_GO_AWAY);
            assertTrue(goAways <= 1, () -> "one GO_AWAY at most: " + this);
            if (goAways == 1)
            {
                assertTrue(connection.isClosed(), () -> "closed after its GO_AWAY: " + this);
                final Frame last = out.last();
                assertEquals(FrameHeader.TYPE_GO_AWAY, last.type(), () -> "GO_AWAY is the last frame: " + this);
                assertTrue(last.code() == WireCode.PROTOCOL_ERROR || last.code() == WireCode.AUTH_FAILED ||
                    last.code() == WireCode.UNSUPPORTED_VERSION, () -> "GO_AWAY code: " + this);
                if (!limitedWrites)
                {
                    assertEquals(0, out.incomplete(), () -> "nothing after the GO_AWAY: " + this);
                }
            }
            assertTrue(out.count(FrameHeader.TYPE_CHALLENGE) <= 1, this::toString);
            assertTrue(out.count(FrameHeader.TYPE_WELCOME) <= 1, this::toString);
            if (out.count(FrameHeader.TYPE_WELCOME) == 1)
            {
                assertEquals(1, out.count(FrameHeader.TYPE_CHALLENGE), () -> "WELCOME only after CHALLENGE: " + this);
            }
            if (!connection.isClosed())
            {
                assertEquals(out.count(FrameHeader.TYPE_WELCOME), registry.liveConnections(TUNNEL),
                    () -> "registered iff welcomed: " + this);
            }
        }

        void closeIfOpen()
        {
            if (!connection.isClosed())
            {
                connection.close(WireCode.NONE, "end", false);
            }
            pendingLength = 0;
        }

        @Override
        public String toString()
        {
            return "edge " + (connection.isClosed() ? "closed" : "open") + ", setup " + setup + ", streams " +
                streams.values() + ", goingAway " + goingAway + ", unanswered pings " + myPings + ", window " +
                connectionWindow + ", wrote " + out;
        }
    }

}

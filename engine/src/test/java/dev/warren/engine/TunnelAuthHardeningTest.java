package dev.warren.engine;

import dev.warren.Warren;
import dev.warren.api.Connector;
import dev.warren.api.Edge;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.HandshakeProof;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import dev.warren.engine.support.HostileFrames;
import dev.warren.engine.support.HostileFrames.Frame;
import dev.warren.engine.support.LogCapture;
import dev.warren.engine.support.RawConnector;
import dev.warren.engine.support.Tunnels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #7 item 5, over real sockets: a fresh challenge per connection so a recorded proof is worth nothing on
 * another, a per-address limit on failed handshakes that leaves other addresses alone, and no token in any log line
 * or error message. (The proof is compared with {@code MessageDigest.isEqual}, in constant time:
 * {@code HandshakeProof.matches}, used by both ends.)
 */
class TunnelAuthHardeningTest
{
    private static final byte[] TOKEN = Tunnels.TOKEN.getBytes(StandardCharsets.UTF_8);
    private Edge edge;
    private Connector connector;

    @AfterEach
    void tearDown()
    {
        if (connector != null)
        {
            connector.close();
        }
        if (edge != null)
        {
            edge.close();
        }
    }

    @Test
    void shouldRefuseAProofReplayedOnAnotherConnection() throws Exception
    {
        edge = Tunnels.edge();
        final byte[] clientNonce = HostileFrames.nonce(7);
        final byte[] recordedAuth;
        final Set<String> challenges = new HashSet<>();
        try (RawConnector first = new RawConnector(edge.tunnelAddress(), "the recorded connection"))
        {
            final Frame challenge = first.handshake(Tunnels.TUNNEL, TOKEN, clientNonce);
            first.await(FrameHeader.TYPE_WELCOME);
            challenges.add(java.util.HexFormat.of().formatHex(challenge.bytes()));
            recordedAuth = HostileFrames.auth(HandshakeProof.connectorProof(TOKEN, Tunnels.TUNNEL, clientNonce,
                challenge.bytes()), TunnelLimits.DEFAULTS);
            // the attacker saw all the connector wrote: replayed at once, and replayed after its own CHALLENGE
            final byte[] everything = first.written.toByteArray();
            try (RawConnector replay = new RawConnector(edge.tunnelAddress(), "the whole handshake replayed"))
            {
                replay.write(everything);
                replay.assertGoAwayThenEof(WireCode.AUTH_FAILED);
                assertEquals(0, replay.out.count(FrameHeader.TYPE_WELCOME), replay.out.toString());
                challenges.add(java.util.HexFormat.of().formatHex(replay.out.first(FrameHeader.TYPE_CHALLENGE)
                    .bytes()));
            }
        }
        try (RawConnector replay = new RawConnector(edge.tunnelAddress(), "the AUTH replayed after a new CHALLENGE"))
        {
            replay.write(HostileFrames.hello(1, 1, Tunnels.TUNNEL, clientNonce));
            final Frame challenge = replay.await(FrameHeader.TYPE_CHALLENGE);
            challenges.add(java.util.HexFormat.of().formatHex(challenge.bytes()));
            replay.write(recordedAuth);
            replay.assertGoAwayThenEof(WireCode.AUTH_FAILED);
            assertEquals(0, replay.out.count(FrameHeader.TYPE_WELCOME), replay.out.toString());
        }
        // a fresh random challenge on every connection, even for the same HELLO
        for (int i = 0; i < 20; i++)
        {
            try (RawConnector again = new RawConnector(edge.tunnelAddress(), "challenge " + i))
            {
                again.write(HostileFrames.hello(1, 1, Tunnels.TUNNEL, clientNonce));
                challenges.add(java.util.HexFormat.of().formatHex(again.await(FrameHeader.TYPE_CHALLENGE).bytes()));
            }
        }
        assertEquals(23, challenges.size(), "every connection got its own challenge");
        assertEquals(0, edge.liveConnections(Tunnels.TUNNEL));
        // and the right token still gets in
        try (RawConnector rightful = new RawConnector(edge.tunnelAddress(), "the right token"))
        {
            rightful.authenticate(Tunnels.TUNNEL, Tunnels.TOKEN, HostileFrames.nonce(8));
        }
    }

    @Test
    void shouldRefuseAnAddressThatKeepsFailingButNotTheOthers() throws Exception
    {
        System.setProperty("warren.edge.authFailures", "5");
        try
        {
            edge = Tunnels.edge();
        }
        finally
        {
            System.clearProperty("warren.edge.authFailures");
        }
        final InetAddress guesser = InetAddress.getByName("127.0.0.1");
        final InetAddress other = InetAddress.getByName("127.0.0.2");
        try (LogCapture log = new LogCapture("dev.warren"))
        {
            for (int i = 0; i < 5; i++)
            {
                try (RawConnector guess = new RawConnector(edge.tunnelAddress(), guesser, "guess " + i))
                {
                    guess.handshake(Tunnels.TUNNEL, ("guess-" + i + "-0123456789abcdef").getBytes(
                        StandardCharsets.UTF_8), HostileFrames.nonce(i));
                    guess.assertGoAwayThenEof(WireCode.AUTH_FAILED);
                }
            }
            // from the same address, even the right token is turned away before any handshake now
            for (int i = 0; i < 3; i++)
            {
                final long start = System.nanoTime();
                try (RawConnector refused = new RawConnector(edge.tunnelAddress(), guesser, "refused " + i))
                {
                    refused.write(HostileFrames.hello(1, 1, Tunnels.TUNNEL, HostileFrames.nonce(100 + i)));
                    refused.assertClosedWithoutAFrame();
                }
                assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused at once");
            }
            assertTrue(log.contains("refused for a while: too many failed authentications"));
            // another address is not affected: it still gets a CHALLENGE, and the right token gets in
            try (RawConnector wrong = new RawConnector(edge.tunnelAddress(), other, "a wrong token from 127.0.0.2"))
            {
                wrong.handshake(Tunnels.TUNNEL, "another-guess-0123456789".getBytes(StandardCharsets.UTF_8),
                    HostileFrames.nonce(200));
                wrong.assertGoAwayThenEof(WireCode.AUTH_FAILED);
            }
            try (RawConnector rightful = new RawConnector(edge.tunnelAddress(), other, "the connector at 127.0.0.2"))
            {
                rightful.authenticate(Tunnels.TUNNEL, Tunnels.TOKEN, HostileFrames.nonce(201));
                Tunnels.await("the connector from 127.0.0.2 is live", () -> edge.liveConnections(Tunnels.TUNNEL) == 1,
                    2_000);
                rightful.write(HostileFrames.ping(false, 9));
                rightful.await(f -> f.is(FrameHeader.TYPE_PING) && f.ack(), "its ping answered");
            }
        }
    }

    @Test
    void shouldKeepTheTokenOutOfEveryLogLineAndErrorMessage() throws Exception
    {
        final String wrongToken = "wrong-token-never-to-be-logged";
        try (LogCapture log = new LogCapture("dev.warren"))
        {
            edge = Tunnels.edge();
            connector = Tunnels.connector(edge);
            final Connector impostor = Warren.startConnector(Tunnels.connectorConfig(edge).haConnections(1)
                .tunnel(Tunnels.TUNNEL, wrongToken).reconnect(Duration.ofMillis(20), Duration.ofMillis(50)).build());
            try
            {
                Tunnels.await("the impostor refused", () -> log.contains("failed authentication"), 10_000);
                // a connector whose "edge" cannot prove the token: a fake one that sends a WELCOME with a made-up proof
                try (java.net.ServerSocket fake = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")))
                {
                    final Thread fakeEdge = new Thread(() ->
                    {
                        while (!fake.isClosed())
                        {
                            try (java.net.Socket socket = fake.accept())
                            {
                                socket.setSoTimeout(2_000);
                                final byte[] buffer = new byte[4096];
                                socket.getInputStream().read(buffer);
                                socket.getOutputStream().write(HostileFrames.challenge(1, new byte[32]));
                                socket.getInputStream().read(buffer);
                                socket.getOutputStream().write(HostileFrames.welcome(new byte[32], 1,
                                    TunnelLimits.DEFAULTS));
                                socket.getInputStream().read(buffer);
                            }
                            catch (final java.io.IOException ex)
                            {
                                // next
                            }
                        }
                    }, "fake-edge");
                    fakeEdge.setDaemon(true);
                    fakeEdge.start();
                    final Connector misled = Warren.startConnector(dev.warren.api.ConnectorConfig.builder()
                        .edge((java.net.InetSocketAddress)fake.getLocalSocketAddress())
                        .tunnel(Tunnels.TUNNEL, Tunnels.TOKEN)
                        .haConnections(1)
                        .eventLoops(1)
                        .reconnect(Duration.ofMillis(20), Duration.ofMillis(50))
                        .allow("127.0.0.0/8")
                        .insecure(true)
                        .build());
                    try
                    {
                        Tunnels.await("the misled connector refuses the fake edge", () -> log.records().stream()
                            .anyMatch(r -> String.valueOf(r.getMessage()).contains("could not prove")), 10_000);
                    }
                    finally
                    {
                        misled.close();
                    }
                }
                assertFalse(impostor.toString().contains(wrongToken), impostor.toString());
                assertFalse(Tunnels.connectorConfig(edge).build().toString().contains(Tunnels.TOKEN));
                assertFalse(new dev.warren.api.TunnelConfig(Tunnels.TUNNEL, Tunnels.TOKEN).toString()
                    .contains(Tunnels.TOKEN));
            }
            finally
            {
                impostor.close();
            }
            assertTrue(log.records().size() > 3, "the handshakes were logged: " + log.records().size());
            for (final LogRecord record : log.records())
            {
                final String text = record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()) +
                    " " + (record.getThrown() == null ? "" : stackOf(record.getThrown()));
                for (final String token : new String[] {Tunnels.TOKEN, wrongToken})
                {
                    assertFalse(text.contains(token), "a token in a log line: " + text);
                }
            }
        }
    }

    private static String stackOf(final Throwable thrown)
    {
        final java.io.StringWriter out = new java.io.StringWriter();
        thrown.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}

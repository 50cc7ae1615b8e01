package dev.warren.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.warren.codec.tunnel.FrameDecoder;
import dev.warren.codec.tunnel.FrameHandler;
import dev.warren.codec.tunnel.FrameHeader;
import dev.warren.codec.tunnel.HandshakeDecoder;
import dev.warren.codec.tunnel.HandshakeProof;
import dev.warren.codec.tunnel.TunnelFrameEncoder;
import dev.warren.codec.tunnel.TunnelLimits;
import dev.warren.codec.tunnel.WireCode;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the handshake (PROTOCOL.md §2) as each side reads it: {@link HandshakeDecoder} behind {@link FrameDecoder}
 * with the pre-handshake payload limit, and {@link HandshakeProof}. The input is what a peer sends before it is
 * trusted; the edge's and the connector's reading of it run on the same bytes.
 * <p>
 * The two small state machines here do what the engine's tunnel connections do with these classes (HELLO, then AUTH
 * checked with a constant-time comparison, then the announced limits validated; CHALLENGE, then WELCOME). Invariants:
 * every accessor of an accepted payload works (a nonce and a proof are 32 bytes, a tunnel id at most 255 bytes of
 * UTF-8); an accepted HELLO encodes back to the same fields; {@link TunnelLimits#validate()} never throws; the
 * decoder ends with ERROR and a known code or consumes whole frames; a peer is trusted only if its proof is the HMAC
 * of the token over its HELLO and the nonces, checked here independently of the comparison the state machine made,
 * and its limits are usable; proofs are deterministic, 32 bytes, and differ per direction.
 * <p>
 * The fuzzer does reach "trusted": Jazzer traces comparisons in the process, {@code MessageDigest.isEqual} among
 * them, and feeds the expected bytes back as a mutation, which a peer across a network cannot do. So the invariant is
 * that trust implies the right proof, not that trust never happens; such an input is a seed here
 * ({@code connector_trusted_via_traced_comparison}), and it keeps the paths after the proof covered.
 */
class HandshakeFuzzTest
{
    private static final byte[] TOKEN = "fuzz-token-not-a-secret".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_NONCE = new byte[TunnelFrameEncoder.NONCE_LENGTH];
    private static final byte[] CLIENT_NONCE = new byte[TunnelFrameEncoder.NONCE_LENGTH];

    static
    {
        Arrays.fill(SERVER_NONCE, (byte)0x5A);
        Arrays.fill(CLIENT_NONCE, (byte)0xC3);
    }

    @FuzzTest(maxDuration = "30s")
    void handshake(final byte[] input)
    {
        final int offset = new Pieces(input, 7).offset();
        final UnsafeBuffer buffer = Pieces.laid(input, 0, input.length, offset);

        final EdgeSide edge = new EdgeSide();
        final FrameDecoder edgeDecoder = new FrameDecoder();
        edge.decoder = edgeDecoder;
        final int edgeConsumed = edgeDecoder.decode(buffer, offset, input.length, edge);
        checkEnd(edgeDecoder, edgeConsumed, input.length);
        if (edge.authenticated)
        {
            assertArrayEquals(HandshakeProof.connectorProof(TOKEN, edge.tunnelId, edge.clientNonce, SERVER_NONCE),
                edge.proof, "trusted a connector whose proof is not the HMAC of the token");
        }

        final ConnectorSide connector = new ConnectorSide();
        final FrameDecoder connectorDecoder = new FrameDecoder();
        final int connectorConsumed = connectorDecoder.decode(buffer, offset, input.length, connector);
        checkEnd(connectorDecoder, connectorConsumed, input.length);
        if (connector.authenticated)
        {
            assertArrayEquals(HandshakeProof.edgeProof(TOKEN, "office", connector.serverNonce, CLIENT_NONCE),
                connector.proof, "trusted an edge whose proof is not the HMAC of the token");
            assertTrue(connector.limits.validate() == null, "trusted an edge with unusable limits");
        }
    }

    private static void checkEnd(final FrameDecoder decoder, final int consumed, final int length)
    {
        if (consumed == FrameDecoder.ERROR)
        {
            assertTrue(WireCode.isKnown(decoder.errorCode()) && decoder.errorCode() != WireCode.NONE);
            assertNotNull(decoder.errorReason());
        }
        else
        {
            assertTrue(consumed >= 0 && consumed <= length);
        }
    }

    /** Reads every field of an accepted handshake payload; the words are for the frame target's comparisons. */
    static String describe(final HandshakeDecoder handshake)
    {
        final int type = handshake.type();
        switch (type)
        {
            case FrameHeader.TYPE_HELLO:
            {
                final String tunnelId = handshake.tunnelId();
                final byte[] nonce = handshake.nonce();
                assertEquals(TunnelFrameEncoder.NONCE_LENGTH, nonce.length);
                final int idBytes = tunnelId.getBytes(StandardCharsets.UTF_8).length;
                assertTrue(!tunnelId.isEmpty() && idBytes <= 255 * 3, "tunnel id length");
                return "HELLO " + handshake.minVersion() + ".." + handshake.maxVersion() + " " + tunnelId + " " +
                    Arrays.hashCode(nonce);
            }
            case FrameHeader.TYPE_CHALLENGE:
                assertEquals(TunnelFrameEncoder.NONCE_LENGTH, handshake.nonce().length);
                return "CHALLENGE " + handshake.version() + " " + Arrays.hashCode(handshake.nonce());
            case FrameHeader.TYPE_AUTH:
            {
                assertEquals(TunnelFrameEncoder.PROOF_LENGTH, handshake.proof().length);
                final TunnelLimits limits = handshake.limits();
                return "AUTH " + Arrays.hashCode(handshake.proof()) + " " + limits + " " + limits.validate();
            }
            case FrameHeader.TYPE_WELCOME:
            {
                assertEquals(TunnelFrameEncoder.PROOF_LENGTH, handshake.proof().length);
                final TunnelLimits limits = handshake.limits();
                return "WELCOME " + handshake.connectionId() + " " + Arrays.hashCode(handshake.proof()) + " " +
                    limits + " " + limits.validate();
            }
            default:
                throw new AssertionError("a handshake payload of type " + type + " was accepted");
        }
    }

    /** The edge: HELLO, then AUTH. */
    private static final class EdgeSide implements FrameHandler
    {
        FrameDecoder decoder;
        String tunnelId;
        byte[] clientNonce;
        byte[] proof;
        boolean authenticated;

        @Override
        public int onHandshake(final HandshakeDecoder handshake)
        {
            describe(handshake);
            if (authenticated)
            {
                return WireCode.PROTOCOL_ERROR;
            }
            if (handshake.type() == FrameHeader.TYPE_HELLO && clientNonce == null)
            {
                tunnelId = handshake.tunnelId();
                clientNonce = handshake.nonce();
                checkHelloRoundTrip(handshake);
                return CONTINUE;
            }
            if (handshake.type() == FrameHeader.TYPE_AUTH && clientNonce != null)
            {
                final byte[] expected = HandshakeProof.connectorProof(TOKEN, tunnelId, clientNonce, SERVER_NONCE);
                checkProof(expected, HandshakeProof.connectorProof(TOKEN, tunnelId, clientNonce, SERVER_NONCE),
                    HandshakeProof.edgeProof(TOKEN, tunnelId, SERVER_NONCE, clientNonce));
                proof = handshake.proof();
                if (!HandshakeProof.matches(expected, proof))
                {
                    return WireCode.AUTH_FAILED;
                }
                final String problem = handshake.limits().validate();
                if (problem != null)
                {
                    decoder.reason("connector limits unusable: " + problem);
                    return WireCode.PROTOCOL_ERROR;
                }
                authenticated = true;
                return STOP;
            }
            return WireCode.PROTOCOL_ERROR;
        }

        /** An accepted HELLO whose id is well-formed UTF-8 encodes back to the same fields. */
        private void checkHelloRoundTrip(final HandshakeDecoder hello)
        {
            final String id = hello.tunnelId();
            if (id.indexOf('\uFFFD') >= 0 || id.getBytes(StandardCharsets.UTF_8).length > 255)
            {
                return;
            }
            final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
            final int length = TunnelFrameEncoder.hello(out, 0, hello.minVersion(), hello.maxVersion(), id,
                hello.nonce());
            final HandshakeDecoder again = new HandshakeDecoder();
            assertTrue(again.wrap(FrameHeader.TYPE_HELLO, out, FrameHeader.LENGTH, length - FrameHeader.LENGTH));
            assertEquals(describe(hello), describe(again), "HELLO encodes back to the same fields");
        }
    }

    /** The connector: CHALLENGE, then WELCOME. */
    private static final class ConnectorSide implements FrameHandler
    {
        byte[] serverNonce;
        byte[] proof;
        TunnelLimits limits;
        boolean authenticated;

        @Override
        public int onHandshake(final HandshakeDecoder handshake)
        {
            describe(handshake);
            if (authenticated)
            {
                return WireCode.PROTOCOL_ERROR;
            }
            if (handshake.type() == FrameHeader.TYPE_CHALLENGE && serverNonce == null)
            {
                if (handshake.version() != 1)
                {
                    return WireCode.UNSUPPORTED_VERSION;
                }
                serverNonce = handshake.nonce();
                return CONTINUE;
            }
            if (handshake.type() == FrameHeader.TYPE_WELCOME && serverNonce != null)
            {
                final byte[] expected = HandshakeProof.edgeProof(TOKEN, "office", serverNonce, CLIENT_NONCE);
                proof = handshake.proof();
                if (!HandshakeProof.matches(expected, proof))
                {
                    return WireCode.AUTH_FAILED;
                }
                limits = handshake.limits();
                if (limits.validate() != null)
                {
                    return WireCode.PROTOCOL_ERROR;
                }
                authenticated = true;
                return STOP;
            }
            return WireCode.PROTOCOL_ERROR;
        }
    }

    private static void checkProof(final byte[] proof, final byte[] again, final byte[] otherDirection)
    {
        assertEquals(TunnelFrameEncoder.PROOF_LENGTH, proof.length);
        assertArrayEquals(proof, again, "a proof is deterministic");
        assertFalse(Arrays.equals(proof, otherDirection), "the two directions' proofs differ");
        assertTrue(HandshakeProof.matches(proof, again));
        final byte[] flipped = proof.clone();
        flipped[flipped.length - 1] ^= 1;
        assertFalse(HandshakeProof.matches(proof, flipped));
    }
}

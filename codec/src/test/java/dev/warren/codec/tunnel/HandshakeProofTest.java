package dev.warren.codec.tunnel;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandshakeProofTest
{
    private static final byte[] TOKEN = "s3cret-token-of-the-tunnel".getBytes(StandardCharsets.US_ASCII);
    private static final String TUNNEL_ID = "tun_0123";
    private static final byte[] CLIENT_NONCE = nonce(1);
    private static final byte[] SERVER_NONCE = nonce(2);

    @Test
    void shouldGiveA32ByteProof()
    {
        assertEquals(TunnelFrameEncoder.PROOF_LENGTH,
            HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE).length);
        assertEquals(TunnelFrameEncoder.PROOF_LENGTH,
            HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE).length);
    }

    @Test
    void shouldGiveEqualProofsForEqualInputs()
    {
        assertArrayEquals(
            HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE),
            HandshakeProof.connectorProof(
                TOKEN.clone(), new String(TUNNEL_ID), CLIENT_NONCE.clone(), SERVER_NONCE.clone()));
        assertArrayEquals(
            HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE),
            HandshakeProof.edgeProof(TOKEN.clone(), new String(TUNNEL_ID), SERVER_NONCE.clone(), CLIENT_NONCE.clone()));
    }

    @Test
    void shouldGiveDifferentConnectorAndEdgeProofs()
    {
        final byte[] connector = HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE);

        assertFalse(Arrays.equals(connector, HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE)));
        assertFalse(Arrays.equals(connector, HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE)),
            "an edge cannot reflect the connector's proof even with the nonces in the same order");
    }

    @Test
    void shouldGiveADifferentProofForADifferentToken()
    {
        final byte[] otherToken = TOKEN.clone();
        otherToken[otherToken.length - 1] ^= 1;

        assertDiffer(
            HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE),
            HandshakeProof.connectorProof(otherToken, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE));
        assertDiffer(
            HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE),
            HandshakeProof.edgeProof(otherToken, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE));
    }

    @Test
    void shouldGiveADifferentProofForADifferentTunnel()
    {
        assertDiffer(
            HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE),
            HandshakeProof.connectorProof(TOKEN, TUNNEL_ID + "4", CLIENT_NONCE, SERVER_NONCE));
        assertDiffer(
            HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE),
            HandshakeProof.edgeProof(TOKEN, "", SERVER_NONCE, CLIENT_NONCE));
    }

    @Test
    void shouldGiveADifferentProofForADifferentNonce()
    {
        final byte[] proof = HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE);

        assertDiffer(proof, HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, nonce(3), SERVER_NONCE));
        assertDiffer(proof, HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, nonce(3)));
        assertDiffer(proof, HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE));

        final byte[] edge = HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE);
        assertDiffer(edge, HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, nonce(3), CLIENT_NONCE));
        assertDiffer(edge, HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, nonce(3)));
    }

    @Test
    void shouldNotLetTunnelIdAndNonceBytesBeShiftedAcrossTheirBoundary()
    {
        final byte[] longer = new byte[33];
        longer[0] = 'x';
        System.arraycopy(CLIENT_NONCE, 0, longer, 1, 32);

        assertDiffer(
            HandshakeProof.connectorProof(TOKEN, TUNNEL_ID + "x", CLIENT_NONCE, SERVER_NONCE),
            HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, longer, SERVER_NONCE));
    }

    @Test
    void shouldBeTheHmacSha256OfTheLabelTheLengthPrefixedTunnelIdAndTheNonces() throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TOKEN, "HmacSHA256"));
        mac.update("warren-connector-v1".getBytes(StandardCharsets.US_ASCII));
        mac.update(new byte[]{(byte)TUNNEL_ID.length(), 0});
        mac.update(TUNNEL_ID.getBytes(StandardCharsets.UTF_8));
        mac.update(CLIENT_NONCE);
        mac.update(SERVER_NONCE);

        assertArrayEquals(mac.doFinal(), HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE));

        mac.update("warren-edge-v1".getBytes(StandardCharsets.US_ASCII));
        mac.update(new byte[]{(byte)TUNNEL_ID.length(), 0});
        mac.update(TUNNEL_ID.getBytes(StandardCharsets.UTF_8));
        mac.update(SERVER_NONCE);
        mac.update(CLIENT_NONCE);

        assertArrayEquals(mac.doFinal(), HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE));
    }

    @Test
    void shouldMatchOnlyAnEqualProof()
    {
        final byte[] proof = HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE);

        assertTrue(HandshakeProof.matches(proof, proof.clone()));
        assertTrue(HandshakeProof.matches(
            proof, HandshakeProof.connectorProof(TOKEN, TUNNEL_ID, CLIENT_NONCE, SERVER_NONCE)));

        for (int i = 0; i < proof.length; i++)
        {
            final byte[] tampered = proof.clone();
            tampered[i] ^= (byte)0x80;
            assertFalse(HandshakeProof.matches(proof, tampered), "byte " + i + " changed");
        }
        assertFalse(HandshakeProof.matches(proof, Arrays.copyOf(proof, 31)));
        assertFalse(HandshakeProof.matches(proof, Arrays.copyOf(proof, 33)));
        assertFalse(HandshakeProof.matches(proof, new byte[0]));
        assertFalse(HandshakeProof.matches(
            proof, HandshakeProof.edgeProof(TOKEN, TUNNEL_ID, SERVER_NONCE, CLIENT_NONCE)));
    }

    private static void assertDiffer(final byte[] expected, final byte[] actual)
    {
        assertFalse(Arrays.equals(expected, actual));
        assertFalse(HandshakeProof.matches(expected, actual));
    }

    private static byte[] nonce(final int seed)
    {
        final byte[] nonce = new byte[TunnelFrameEncoder.NONCE_LENGTH];
        for (int i = 0; i < nonce.length; i++)
        {
            nonce[i] = (byte)(seed * 31 + i * 7);
        }
        return nonce;
    }
}

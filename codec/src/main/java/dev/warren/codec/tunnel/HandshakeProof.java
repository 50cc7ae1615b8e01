package dev.warren.codec.tunnel;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The HMAC-SHA256 proofs of PROTOCOL.md §2. The token is the key; it never leaves this computation.
 * Stateless and thread-safe.
 */
public final class HandshakeProof
{
    private static final byte[] CONNECTOR_LABEL = "warren-connector-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EDGE_LABEL = "warren-edge-v1".getBytes(StandardCharsets.US_ASCII);

    private HandshakeProof()
    {
    }

    /** What the connector sends in AUTH. */
    public static byte[] connectorProof(
        final byte[] token, final String tunnelId, final byte[] clientNonce, final byte[] serverNonce)
    {
        return hmac(token, CONNECTOR_LABEL, tunnelId, clientNonce, serverNonce);
    }

    /** What the edge sends in WELCOME. */
    public static byte[] edgeProof(
        final byte[] token, final String tunnelId, final byte[] serverNonce, final byte[] clientNonce)
    {
        return hmac(token, EDGE_LABEL, tunnelId, serverNonce, clientNonce);
    }

    /** Constant-time comparison: the time taken does not depend on where the proofs differ. */
    public static boolean matches(final byte[] expected, final byte[] actual)
    {
        return MessageDigest.isEqual(expected, actual);
    }

    /** HMAC-SHA256 keyed by the token over label ‖ u16 LE tunnel-id length ‖ tunnel id ‖ first ‖ second. */
    private static byte[] hmac(
        final byte[] token, final byte[] label, final String tunnelId, final byte[] first, final byte[] second)
    {
        if (token.length == 0)
        {
            throw new IllegalArgumentException("the tunnel token must not be empty");
        }
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            mac.update(label);
            final byte[] id = tunnelId.getBytes(StandardCharsets.UTF_8);
            mac.update((byte)id.length);
            mac.update((byte)(id.length >>> 8));
            mac.update(id);
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
        }
    }
}

package dev.warren.engine.fetch;

import dev.warren.api.CertVerification;
import dev.warren.codec.tunnel.TunnelFrameEncoder;

import java.util.Objects;

/**
 * TLS that the connector originates to the private host for an {@code https} fetch (SPEC §2): the server name it
 * presents (SNI, and the name a {@code verify_full} check matches: the URL's host, never the dialed host of a VPC
 * Service) and how it verifies the certificate. Immutable; thread-safe.
 *
 * @param serverName   the URL's host, without IPv6 brackets.
 * @param verification how the connector verifies the host's certificate.
 */
public record OriginTls(String serverName, CertVerification verification)
{
    public OriginTls
    {
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(verification, "verification");
        if (serverName.isEmpty())
        {
            throw new IllegalArgumentException("server name must not be empty");
        }
    }

    /** @return the OPEN flags that carry this (PROTOCOL.md, OPEN flags). */
    public int openFlags()
    {
        return TunnelFrameEncoder.OPEN_TLS | switch (verification)
        {
            case VERIFY_FULL -> TunnelFrameEncoder.OPEN_VERIFY_FULL;
            case VERIFY_CA -> TunnelFrameEncoder.OPEN_VERIFY_CA;
            case DISABLED -> TunnelFrameEncoder.OPEN_VERIFY_DISABLED;
        };
    }
}

package dev.warren.api;

import java.util.Objects;

/**
 * A tunnel the edge accepts connectors for. Immutable.
 *
 * @param id    the tunnel id connectors name in their handshake.
 * @param token the shared secret; never sent on the wire, never logged.
 */
public record TunnelConfig(String id, String token)
{
    /**
     * Checks and creates the tunnel.
     *
     * @param id    1..255 characters.
     * @param token at least 16 characters.
     * @throws NullPointerException     when an argument is null.
     * @throws IllegalArgumentException when the id or the token has the wrong length.
     */
    public TunnelConfig
    {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(token, "token");
        if (id.isEmpty() || id.length() > 255)
        {
            throw new IllegalArgumentException("tunnel id must be 1..255 characters: '" + id + "'");
        }
        if (token.length() < 16)
        {
            throw new IllegalArgumentException("token of tunnel '" + id + "' must be at least 16 characters");
        }
    }

    @Override
    public String toString()
    {
        return "TunnelConfig[id=" + id + ", token=<redacted>]";
    }
}

package dev.warren.api;

import java.util.Objects;

/**
 * A VPC Network binding: calls choose their destination, within the tunnel's connector allow-list. Immutable.
 *
 * @param name   the binding's name.
 * @param tunnel the tunnel id it routes through.
 */
public record NetworkConfig(String name, String tunnel)
{
    /**
     * Checks and creates the binding.
     *
     * @param name   the binding's name; not empty.
     * @param tunnel the tunnel id it routes through.
     * @throws NullPointerException     when an argument is null.
     * @throws IllegalArgumentException when {@code name} is empty.
     */
    public NetworkConfig
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tunnel, "tunnel");
        if (name.isEmpty())
        {
            throw new IllegalArgumentException("network name must not be empty");
        }
    }
}

package dev.warren.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build, from the jar manifest's {@code Implementation-Version} when there is one, else from
 * the resource {@code dev/warren/version.properties} that the build fills in. Stateless; thread-safe.
 */
final class WarrenVersion
{
    static final String RESOURCE = "/dev/warren/version.properties";

    private WarrenVersion()
    {
    }

    static String current()
    {
        final String fromManifest = WarrenVersion.class.getPackage().getImplementationVersion();
        if (fromManifest != null)
        {
            return fromManifest;
        }
        try (InputStream in = WarrenVersion.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                return "unknown";
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + RESOURCE, ex);
        }
    }
}

package dev.warren.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's JVM flags, read from the classpath resource {@value #RESOURCE} that the engine module filters from
 * the root {@code pom.xml} property {@code warren.jvm.flags}: the one place they are defined. Stateless.
 */
public final class JvmFlags
{
    /** One line of space-separated flags. */
    public static final String RESOURCE = "dev/warren/jvm.flags";

    private JvmFlags()
    {
    }

    /**
     * @return the flags, one JVM argument per element ({@code --add-opens} and its value are two elements, which the
     * {@code java} launcher accepts).
     * @throws IllegalStateException when the resource is missing, empty or was not filtered by Maven.
     */
    public static List<String> load()
    {
        final ClassLoader loader = JvmFlags.class.getClassLoader();
        final String text;
        try (InputStream in = loader.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("classpath resource " + RESOURCE + " not found: is warren-engine on the classpath?");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + RESOURCE, ex);
        }
        return parse(text);
    }

    static List<String> parse(final String text)
    {
        if (text.isEmpty() || text.contains("${"))
        {
            throw new IllegalStateException(RESOURCE + " is empty or unfiltered (build it with Maven): '" + text + "'");
        }
        final List<String> flags = new ArrayList<>();
        for (final String flag : text.split("\\s+"))
        {
            if (!flag.isEmpty())
            {
                flags.add(flag);
            }
        }
        return flags;
    }
}

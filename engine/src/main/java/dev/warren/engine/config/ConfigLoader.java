package dev.warren.engine.config;

import dev.warren.api.ConnectorConfig;
import dev.warren.api.EdgeConfig;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads the YAML files of SPEC §6 into the plain configuration records embedders build in Java: an edge file into
 * an {@link EdgeConfig}, a connector file into a {@link ConnectorConfig}. Chronicle Wire reads the YAML
 * ({@link YamlTreeReader}); exactly the keys of SPEC §6 are accepted; {@code ${VAR}} is read from the environment
 * given to the constructor. Anything wrong stops the load with one {@link ConfigException} naming the file, the key
 * and the line; a token's value never appears in it.
 * <p>
 * Chronicle Wire's first use in a JVM costs a few hundred milliseconds (class loading and its start-up checks):
 * load configuration at start-up, never on a path that serves traffic.
 * <p>
 * <b>Threading.</b> Stateless apart from the environment function; thread-safe if that function is.
 */
public final class ConfigLoader
{
    /** Largest file read: a Warren configuration is a few KiB, so anything near this is not one. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    private static final byte[] UTF8_BOM = {(byte)0xEF, (byte)0xBB, (byte)0xBF};

    private final Function<String, String> environment;
    private final ConfigDocument.HostResolver resolver;

    /**
     * @param environment the value of a variable by name, null when unset ({@code System::getenv}, or a map's
     *                    {@code get} in tests).
     */
    public ConfigLoader(final Function<String, String> environment)
    {
        this(environment, InetAddress::getByName);
    }

    /** For tests: host names of addresses resolved by {@code resolver} instead of DNS. */
    ConfigLoader(final Function<String, String> environment, final ConfigDocument.HostResolver resolver)
    {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** A loader reading {@code ${VAR}} from this process's environment. */
    public static ConfigLoader withSystemEnvironment()
    {
        return new ConfigLoader(System::getenv);
    }

    /** Loads an edge file. */
    public EdgeConfig loadEdge(final Path file) throws ConfigException
    {
        return edge(file).config();
    }

    /** Loads a connector file. */
    public ConnectorConfig loadConnector(final Path file) throws ConfigException
    {
        return connector(file).config();
    }

    /** Loads an edge file, keeping its lines for later checks. */
    public LoadedConfig<EdgeConfig> edge(final Path file) throws ConfigException
    {
        return load(file, EdgeConfigReader::read);
    }

    /** Loads a connector file, keeping its lines for later checks. */
    public LoadedConfig<ConnectorConfig> connector(final Path file) throws ConfigException
    {
        return load(file, ConnectorConfigReader::read);
    }

    private <T> LoadedConfig<T> load(final Path file, final RecordReader<T> reader) throws ConfigException
    {
        final String name = file.toString();
        final byte[] text = read(file, name);
        final Path absolute = file.toAbsolutePath().normalize();
        final Path folder = absolute.getParent() == null ? absolute : absolute.getParent();
        final ConfigDocument document = new ConfigDocument(name, folder, text, text.length, environment, resolver);
        SourceCheck.check(document);
        VariableReferences.protect(text, text.length);
        final YamlNode root = YamlTreeReader.read(document);
        document.registerTokens(root);
        final T config = reader.read(document, root);
        final Map<String, Integer> lines = new HashMap<>();
        if (root != null)
        {
            YamlNode.collectLines(root, "", lines);
        }
        return new LoadedConfig<>(config, file, name, lines);
    }

    private static byte[] read(final Path file, final String name) throws ConfigException
    {
        final byte[] bytes;
        try
        {
            if (Files.isDirectory(file))
            {
                throw new ConfigException(name, 0, "", "is a folder, not a file");
            }
            if (Files.size(file) > MAX_FILE_BYTES)
            {
                throw tooLarge(name, Files.size(file));
            }
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(name, 0, "", "no such file");
        }
        catch (final AccessDeniedException ex)
        {
            throw new ConfigException(name, 0, "", "permission denied");
        }
        catch (final IOException ex)
        {
            throw new ConfigException(name, 0, "", "cannot read it: " + ex);
        }
        if (bytes.length > MAX_FILE_BYTES)
        {
            throw tooLarge(name, bytes.length);
        }
        if (bytes.length >= UTF8_BOM.length && Arrays.equals(bytes, 0, UTF8_BOM.length, UTF8_BOM, 0, UTF8_BOM.length))
        {
            return Arrays.copyOfRange(bytes, UTF8_BOM.length, bytes.length);
        }
        return bytes;
    }

    private static ConfigException tooLarge(final String name, final long size)
    {
        return new ConfigException(name, 0, "", "too large for a configuration file: " + size +
            " bytes, the limit is " + MAX_FILE_BYTES);
    }

    /** Reads one kind of file's tree into its record. */
    @FunctionalInterface
    private interface RecordReader<T>
    {
        T read(ConfigDocument document, YamlNode root) throws ConfigException;
    }
}

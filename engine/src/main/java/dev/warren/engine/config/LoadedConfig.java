package dev.warren.engine.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * A configuration loaded from a file, with the line of every key and list item in it, so that a later check
 * (a feature the runtime does not support yet, say) can still fail with the file, the key and the line.
 * Immutable; thread-safe.
 *
 * @param <T> {@link dev.warren.api.EdgeConfig} or {@link dev.warren.api.ConnectorConfig}.
 */
public final class LoadedConfig<T>
{
    private final T config;
    private final Path file;
    private final String fileName;
    private final Map<String, Integer> lines;

    LoadedConfig(final T config, final Path file, final String fileName, final Map<String, Integer> lines)
    {
        this.config = config;
        this.file = file;
        this.fileName = fileName;
        this.lines = Map.copyOf(lines);
    }

    /** The configuration, as plain values. */
    public T config()
    {
        return config;
    }

    /** The file it was loaded from. */
    public Path file()
    {
        return file;
    }

    /** The line of {@code keyPath} ({@code edge.listeners[2].fetch}), or 0 when the file does not have it. */
    public int lineOf(final String keyPath)
    {
        return lines.getOrDefault(keyPath, 0);
    }

    /** A failure of {@code keyPath} in this file, at its line. {@code problem} must hold no secret. */
    public ConfigException error(final String keyPath, final String problem)
    {
        return new ConfigException(fileName, lineOf(keyPath), keyPath, problem);
    }
}

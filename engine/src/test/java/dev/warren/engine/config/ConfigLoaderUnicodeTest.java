package dev.warren.engine.config;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text Chronicle's YAML support cannot decode. A character outside the Basic Multilingual Plane (4-byte UTF-8, an emoji say) is well-formed UTF-8, so the source
 * check lets it through, but Chronicle's YAML tokeniser cannot decode it in a key or value and threw its own
 * {@code UTFDataFormatRuntimeException} out of the loader. Found by fuzzing (fuzz/, the YAML loader target). Now the
 * load either succeeds or stops with a {@link ConfigException} at a line of the file. The same for a double-quoted
 * value with a cut or non-hex {@code \\u} or {@code \\x} escape, which made Chronicle's unescape throw
 * {@code StringIndexOutOfBoundsException}.
 */
class ConfigLoaderUnicodeTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
        "# edge\n  |\uD9A9\uDED8e:\n  ",
        "connector:\n  edge: \"\uD83D\uDE00:7844\"\n  tunnel: office\n",
        "connector:\n  edge: \uD83D\uDE00\n",
        "connector:\n  \uD83D\uDE00: x\n",
        "connector:\n  tunnel: |\n    \uD83D\uDE00\n",
        "# a comment \uD83D\uDE00\nconnector:\n  edge: 127.0.0.1:7844\n",
        // Escapes Chronicle's unescape read past the end of, or could not parse (also found by fuzzing).
        "connector: {edge: '[::1]:5387', tunnel: \"off\\uice\", token: x}\n",
        "connector:\n  tunnel: \"\\u12\"\n",
        "connector:\n  tunnel: \"\\uZZZZ\"\n",
        "connector:\n  tunnel: \"\\x\"\n",
        "connector:\n  tunnel: \"\\xGG\"\n",
        "connector:\n  tunnel: \"a\\\"\n",
    })
    void shouldStopWithAConfigExceptionOrLoad(final String yaml) throws Exception
    {
        final Path file = dir.resolve("connector.yaml");
        Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
        final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);
        try
        {
            loader.loadConnector(file);
        }
        catch (final ConfigException ex)
        {
            final long lines = yaml.lines().count() + 1;
            assertTrue(ex.line() >= 0 && ex.line() <= lines, ex.getMessage());
        }
        try
        {
            loader.loadEdge(file);
        }
        catch (final ConfigException ex)
        {
            assertTrue(ex.line() >= 0, ex.getMessage());
        }
    }
}

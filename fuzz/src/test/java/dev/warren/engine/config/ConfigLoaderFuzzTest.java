package dev.warren.engine.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link ConfigLoader}: the input is the content of a YAML file, loaded both as an edge file and as a
 * connector file. (In this package for the loader's resolver constructor: no DNS while fuzzing.)
 * <p>
 * Invariants: a load returns a configuration or throws {@link ConfigException}, nothing else; the exception names the
 * file, a line that exists in it (or 0), and its message is one line; the token that {@code ${TOKEN}} stands for
 * never appears in a message, unless the file spells it out itself; loading the same bytes again gives the same
 * answer.
 */
class ConfigLoaderFuzzTest
{
    private static final String SECRET = "Zq9-fuzz-secret-value";
    private static final Map<String, String> ENVIRONMENT = Map.of("TOKEN", SECRET, "OFFICE_TOKEN", SECRET, "N", "2");
    private static final Path FOLDER;
    private static final Path FILE;

    static
    {
        try
        {
            FOLDER = Files.createTempDirectory("warren-config-fuzz");
            Files.writeString(FOLDER.resolve("edge.crt"), "cert");
            Files.writeString(FOLDER.resolve("edge.key"), "key");
            FILE = FOLDER.resolve("fuzz.yaml");
            FOLDER.toFile().deleteOnExit();
            FOLDER.resolve("edge.crt").toFile().deleteOnExit();
            FOLDER.resolve("edge.key").toFile().deleteOnExit();
            FILE.toFile().deleteOnExit();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private final ConfigLoader loader = new ConfigLoader(ENVIRONMENT::get, host ->
    {
        if ("localhost".equals(host))
        {
            return InetAddress.getLoopbackAddress();
        }
        throw new UnknownHostException(host);
    });

    @FuzzTest(maxDuration = "30s")
    void yaml(final byte[] input) throws IOException
    {
        Files.write(FILE, input);
        final int lines = lineCount(input);
        final boolean spellsSecret = new String(input, StandardCharsets.ISO_8859_1).contains(SECRET);

        final String edge = load(() -> loader.loadEdge(FILE), lines, spellsSecret);
        assertEquals(edge, load(() -> loader.loadEdge(FILE), lines, spellsSecret), "the same file, the same answer");
        load(() -> loader.loadConnector(FILE), lines, spellsSecret);
    }

    private static String load(final Load load, final int lines, final boolean spellsSecret)
    {
        try
        {
            final Object config = load.run();
            assertNotNull(config);
            return "OK";
        }
        catch (final ConfigException ex)
        {
            final String message = ex.getMessage();
            assertNotNull(message);
            assertEquals(FILE.toString(), ex.file());
            assertTrue(message.startsWith(FILE.toString()), message);
            assertTrue(ex.line() >= 0 && ex.line() <= lines + 1, () -> "line " + ex.line() + " of " + lines + ": " +
                message);
            assertTrue(message.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029),
                () -> "a message of more than one line: " + message);
            if (!spellsSecret)
            {
                assertFalse(message.contains(SECRET), () -> "the token in a message: " + message);
            }
            return "ERROR " + message;
        }
    }

    /** Lines as YAML (and the loader's messages) count them: LF, CR LF and a lone CR each end one. */
    private static int lineCount(final byte[] input)
    {
        int lines = 1;
        for (int i = 0; i < input.length; i++)
        {
            if (input[i] == '\n' || (input[i] == '\r' && (i + 1 == input.length || input[i + 1] != '\n')))
            {
                lines++;
            }
        }
        return lines;
    }

    @FunctionalInterface
    private interface Load
    {
        Object run() throws ConfigException;
    }
}

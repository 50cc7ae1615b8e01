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
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link ConfigLoader}: the input is the content of a YAML file, loaded both as an edge file and as a
 * connector file. (In this package for the loader's resolver constructor: no DNS while fuzzing.)
 * <p>
 * Invariants: a load returns a configuration or throws {@link ConfigException}, nothing else; the exception names the
 * file, a line that exists in it (or 0), and its message is one line; once a {@code token:} line takes its value from
 * {@code ${TOKEN}} (or {@code ${OFFICE_TOKEN}}), that value appears in no message, wherever else the file uses it,
 * unless the file spells it out itself; loading the same bytes again gives the same answer.
 * <p>
 * The token rule is the loader's contract (ConfigDocument#registerTokens): the value of every {@code token:} is kept
 * out of every message. A {@code ${VAR}} used only outside a {@code token:} is not known to be secret, and an error
 * about it may show its value (an {@code edge:} address that is really a token, say); that is outside the contract,
 * and this target does not check it. Nor where the {@code token:} line might be text inside a quoted or block scalar
 * (the fuzzer found that shape too): the check runs on files without quotes and block scalars.
 */
class ConfigLoaderFuzzTest
{
    private static final String SECRET = "Zq9-fuzz-secret-value";
    private static final Map<String, String> ENVIRONMENT = Map.of("TOKEN", SECRET, "OFFICE_TOKEN", SECRET, "N", "2");
    /** A block-style {@code token:} line whose whole value is the secret's reference. */
    private static final Pattern TOKEN_LINE = Pattern.compile(
        "(?m)^[ \\t]*(- +)?token[ \\t]*:[ \\t]*([\"']?)\\$\\{(OFFICE_)?TOKEN\\}\\2[ \\t]*(#.*)?\\r?$");
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
        final String text = new String(input, StandardCharsets.ISO_8859_1);
        // Only where that line surely is a token entry: no quoted or block scalar could hold it as text instead.
        final boolean mustHide = TOKEN_LINE.matcher(text).find() && !text.contains(SECRET) &&
            text.chars().noneMatch(c -> c == '\'' || c == '"' || c == '|' || c == '>');

        final String edge = load(() -> loader.loadEdge(FILE), lines, mustHide);
        assertEquals(edge, load(() -> loader.loadEdge(FILE), lines, mustHide), "the same file, the same answer");
        load(() -> loader.loadConnector(FILE), lines, mustHide);
    }

    private static String load(final Load load, final int lines, final boolean mustHide)
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
            if (mustHide)
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

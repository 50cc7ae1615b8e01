package dev.warren.engine.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link ConfigException}'s message is one line whatever the file holds. Found by fuzzing (fuzz/, the YAML loader
 * target): a key quoted with an escaped line break put a line break into the key path, so one error could forge a
 * second log line.
 */
class ConfigExceptionTest
{
    @TempDir
    Path dir;

    @Test
    void shouldEscapeALineBreakInAQuotedKey() throws Exception
    {
        final Path file = dir.resolve("connector.yaml");
        Files.writeString(file, "connector: {edge: '[::1]:7844', \"off\\nice\": x}\n");

        final ConfigException ex = assertThrows(ConfigException.class,
            () -> new ConfigLoader(Map.<String, String>of()::get).loadConnector(file));

        final String message = ex.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), message);
        assertTrue(message.contains("off\\nice"), message);
    }

    @Test
    void shouldEscapeControlCharactersButKeepTabs()
    {
        final ConfigException ex = new ConfigException("a.yaml", 3, "edge.x\r\ny", "bad\u0000value\u2028\tend");

        assertEquals("a.yaml:3: edge.x\\r\\ny: bad\\u0000value\\u2028\tend", ex.getMessage());
        assertEquals("edge.x\r\ny", ex.keyPath(), "the parts stay as they were");
    }
}

package dev.warren.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code warren demo} end to end, in-process: a real echo service, edge and connector on loopback, loads through
 * the tunnel and direct, the table, and the exit status {@link WarrenMain#run} returns.
 */
class DemoTest
{
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void shouldRunTheDemoAndSucceed()
    {
        final int status = WarrenMain.run(new String[]{"demo", "--duration", "1", "--streams", "4"}, out, err);

        final String output = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(WarrenMain.EXIT_OK, status, () -> output + errBytes.toString(StandardCharsets.UTF_8));
        assertTrue(output.contains("echoed: \"" + ConnectShowcase.MESSAGE + "\""), output);
        assertTrue(output.contains("tunnel/direct"), output);
        assertTrue(output.contains("matches the SHA-256 of the bytes sent"), output);
        assertTrue(output.contains("requests/s"), output);
        assertTrue(java.util.regex.Pattern.compile("(?m)^tunnel +[0-9,]+ .* 0$").matcher(output).find(),
            "the fetch load through the tunnel, with 0 errors: " + output);
        assertTrue(output.contains("OK: "), output);
    }

    @Test
    void shouldExitWithUsageStatusOnAnUnknownCommand()
    {
        assertEquals(WarrenMain.EXIT_USAGE, WarrenMain.run(new String[]{"bogus"}, out, err));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("unknown command 'bogus'"));
    }

    @Test
    void shouldExitWithUsageStatusOnABadDemoOption()
    {
        assertEquals(WarrenMain.EXIT_USAGE, WarrenMain.run(new String[]{"demo", "--streams", "0"}, out, err));
        assertEquals(WarrenMain.EXIT_USAGE, WarrenMain.run(new String[]{"demo", "--fast"}, out, err));
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("unknown option '--fast'"));
    }
}

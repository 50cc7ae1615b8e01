package dev.warren.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmFlagsTest
{
    @Test
    void shouldReadTheProjectFlagsFromTheEngineResource()
    {
        final List<String> flags = JvmFlags.load();

        final int addOpens = flags.indexOf("--add-opens");
        assertTrue(addOpens >= 0, flags::toString);
        assertEquals("java.base/jdk.internal.misc=ALL-UNNAMED", flags.get(addOpens + 1));
        assertTrue(flags.contains("-Dchronicle.analytics.disable=true"), flags::toString);
    }

    @Test
    void shouldRefuseAnUnfilteredResource()
    {
        assertThrows(IllegalStateException.class, () -> JvmFlags.parse("${warren.jvm.flags}"));
        assertThrows(IllegalStateException.class, () -> JvmFlags.parse(""));
    }

    @Test
    void shouldAppendCommandLineFlagsAfterTheProjectFlags() throws Exception
    {
        final List<String> flags = BenchMain.jvmArgsAppend(new CommandLineOptions("-jvmArgsAppend", "-Dx=1 -Dy=2"));

        assertEquals(JvmFlags.load(), flags.subList(0, flags.size() - 2));
        assertEquals(List.of("-Dx=1", "-Dy=2"), flags.subList(flags.size() - 2, flags.size()));
    }
}

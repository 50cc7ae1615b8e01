package dev.warren.testing;

import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs fixture classes (marked {@link OnlyInTestKit}) through the JUnit Platform's EngineTestKit, as a build would. */
final class Fixtures
{
    private Fixtures()
    {
    }

    static EngineExecutionResults run(final boolean parallel, final Class<?>... fixtures)
    {
        final DiscoverySelector[] selectors = new DiscoverySelector[fixtures.length];
        for (int i = 0; i < fixtures.length; i++)
        {
            selectors[i] = selectClass(fixtures[i]);
        }
        final EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter")
            .configurationParameter(OnlyInTestKit.KEY, "true")
            .selectors(selectors);
        if (parallel)
        {
            kit.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
        }
        return kit.execute();
    }

    /** The failure of the one test that failed (asserting there was exactly one). */
    static Throwable onlyFailure(final EngineExecutionResults results)
    {
        final List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> results.allEvents().list().toString());
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    /** The failure of the one container (a class) that failed, for errors that fail a class before its tests. */
    static Throwable onlyContainerFailure(final EngineExecutionResults results)
    {
        final List<Event> failed = results.containerEvents().failed().list();
        assertEquals(1, failed.size(), () -> results.allEvents().list().toString());
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }
}

package dev.warren.bench;

import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Main class of {@code bench/target/benchmarks.jar}: JMH's own command line, plus the project's JVM flags
 * ({@link JvmFlags}) appended to every fork, so the benchmarks run under the flags that Surefire and
 * {@code bin/warren} use.
 * <p>
 * Flags given with {@code -jvmArgsAppend} on the command line come after the project's, so they win where the JVM
 * lets a later flag override an earlier one (for example {@code -XX:+UseG1GC}). The flags are applied through the
 * options, so they override any {@code @Fork(jvmArgsAppend = ...)} on a benchmark; none of ours has one.
 */
public final class BenchMain
{
    private BenchMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final CommandLineOptions cmdOptions;
        try
        {
            cmdOptions = new CommandLineOptions(args);
        }
        catch (final CommandLineOptionException ex)
        {
            System.err.println("Error parsing command line:");
            System.err.println(" " + ex.getMessage());
            System.exit(1);
            return;
        }

        if (cmdOptions.shouldHelp())
        {
            cmdOptions.showHelp();
            return;
        }
        if (cmdOptions.shouldListProfilers())
        {
            cmdOptions.listProfilers();
            return;
        }
        if (cmdOptions.shouldListResultFormats())
        {
            cmdOptions.listResultFormats();
            return;
        }

        final Options options = new OptionsBuilder()
            .parent(cmdOptions)
            .jvmArgsAppend(jvmArgsAppend(cmdOptions).toArray(new String[0]))
            .build();
        final Runner runner = new Runner(options);
        if (cmdOptions.shouldList())
        {
            runner.list();
            return;
        }
        if (cmdOptions.shouldListWithParams())
        {
            runner.listWithParams(cmdOptions);
            return;
        }

        try
        {
            runner.run();
        }
        catch (final NoBenchmarksException ex)
        {
            System.err.println("No matching benchmarks. Misspelled regexp? Use -l to list them.");
            System.exit(1);
        }
        catch (final ProfilersFailedException ex)
        {
            System.err.println("Profilers failed to initialize, exiting.");
            ex.printStackTrace(System.err);
            System.exit(1);
        }
        catch (final RunnerException ex)
        {
            System.err.println("ERROR: " + ex.getMessage());
            ex.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** The project's flags, then whatever {@code -jvmArgsAppend} asked for. */
    static List<String> jvmArgsAppend(final Options cmdOptions)
    {
        final List<String> flags = new ArrayList<>(JvmFlags.load());
        if (cmdOptions.getJvmArgsAppend().hasValue())
        {
            flags.addAll(cmdOptions.getJvmArgsAppend().get());
        }
        return flags;
    }
}

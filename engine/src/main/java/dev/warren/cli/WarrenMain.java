package dev.warren.cli;

import dev.warren.engine.config.ConfigException;

import java.io.PrintStream;
import java.util.logging.Level;

/**
 * The {@code warren} command line ({@code bin/warren} runs it). {@link #main} sets up logging (one line per event,
 * INFO and above, on stderr) and exits with the status {@link #run} returns: {@link #EXIT_OK}, {@link #EXIT_FAILED}
 * when a command ran and failed, {@link #EXIT_USAGE} when the command line or a configuration file was wrong.
 * <p>
 * <b>Threading.</b> {@link #run} runs a command on the calling thread and returns when it is over; it may be
 * called in-process (tests do), and never calls {@link System#exit}.
 */
public final class WarrenMain
{
    private static final String LOADGEN_COMMAND = "dev.warren.loadgen.LoadgenCommand";

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    static final String USAGE = String.join(System.lineSeparator(),
        "usage: warren <command> [options]",
        "",
        "commands:",
        "  edge        run an edge from a YAML file: warren edge --config edge.yaml",
        "  connector   run a connector from a YAML file: warren connector --config connector.yaml",
        "  demo        the whole topology in one process on 127.0.0.1, then a short load test through the",
        "              tunnel and directly, compared",
        "  loadgen     open- or closed-loop load against an address or through a binding, with HdrHistogram",
        "              reports: warren loadgen tcp --rate 1000 127.0.0.1:6379",
        "  certs       a development CA and edge certificate for a TLS tunnel: warren certs --out DIR",
        "",
        "'warren <command> --help' describes each command and its options.",
        "",
        "options:",
        "  -h, --help  print this help",
        "  --version   print the version");

    private WarrenMain()
    {
    }

    public static void main(final String[] args)
    {
        // Belt and braces: bin/warren's JVM flags carry the first, and Chronicle Wire (configuration) must never
        // phone home. The second keeps SLF4J (Chronicle's logging API, with no binding here) from printing its
        // "no providers" notice on stderr; an operator's own -D setting wins.
        System.setProperty("chronicle.analytics.disable", "true");
        if (System.getProperty("slf4j.internal.verbosity") == null)
        {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        int status;
        try
        {
            LogLineFormatter.install(Level.INFO);
            status = run(args, System.out, System.err);
        }
        catch (final Throwable ex)
        {
            // An Error escaped a command: say so and exit rather than hang on the engine's threads.
            System.err.println("warren: " + ex);
            status = EXIT_FAILED;
        }
        System.exit(status);
    }

    /**
     * Runs the command {@code args} names.
     *
     * @return the exit status: {@link #EXIT_OK}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}.
     */
    /**
     * {@code warren loadgen ...}: the load generator lives in the loadgen module, which depends on the engine, so it
     * is found on the class path rather than linked here.
     */
    private static int loadgen(final String[] args, final PrintStream out, final PrintStream err) throws UsageException
    {
        final java.lang.reflect.Method run;
        try
        {
            run = Class.forName(LOADGEN_COMMAND).getMethod("run", String[].class, PrintStream.class, PrintStream.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new UsageException("loadgen is not on the class path (" + LOADGEN_COMMAND + "); run it through " +
                "bin/warren, which puts the loadgen module's jar there");
        }
        try
        {
            return (Integer)run.invoke(null, java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        catch (final java.lang.reflect.InvocationTargetException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException)
            {
                throw (RuntimeException)cause;
            }
            throw new IllegalStateException(cause);
        }
        catch (final IllegalAccessException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        try
        {
            if (args.length == 0)
            {
                throw new UsageException("no command given");
            }
            switch (args[0])
            {
                case "-h":
                case "--help":
                case "help":
                    out.println(USAGE);
                    return EXIT_OK;
                case "--version":
                    out.println("warren " + WarrenVersion.current());
                    return EXIT_OK;
                case "edge":
                {
                    final ConfigOptions options = ConfigOptions.parse("edge", args, 1);
                    if (options.help())
                    {
                        out.println(EdgeCommand.USAGE);
                        return EXIT_OK;
                    }
                    return new EdgeCommand(options).run();
                }
                case "connector":
                {
                    final ConfigOptions options = ConfigOptions.parse("connector", args, 1);
                    if (options.help())
                    {
                        out.println(ConnectorCommand.USAGE);
                        return EXIT_OK;
                    }
                    return new ConnectorCommand(options).run();
                }
                case "demo":
                    final DemoOptions options = DemoOptions.parse(args, 1);
                    if (options.help())
                    {
                        out.println(DemoOptions.USAGE);
                        return EXIT_OK;
                    }
                    return new DemoCommand(options, out).run();
                case "loadgen":
                    return loadgen(args, out, err);
                case "certs":
                {
                    final CertsCommand certs = CertsCommand.parse(args, 1);
                    if (certs == null)
                    {
                        out.println(CertsCommand.USAGE);
                        return EXIT_OK;
                    }
                    return certs.run(out);
                }
                default:
                    throw new UsageException(args[0].startsWith("-") ?
                        "unknown option '" + args[0] + "'" : "unknown command '" + args[0] + "'");
            }
        }
        catch (final UsageException ex)
        {
            err.println("warren: " + ex.getMessage());
            err.println("run 'warren --help' for usage");
            return EXIT_USAGE;
        }
        catch (final ConfigException ex)
        {
            // One line: file:line: key: problem.
            err.println("warren: " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            err.println("warren: interrupted");
            return EXIT_FAILED;
        }
        catch (final Exception ex)
        {
            err.println("warren: " + (args.length > 0 ? args[0] + " failed: " : "") + DemoErrors.describe(ex));
            return EXIT_FAILED;
        }
    }
}

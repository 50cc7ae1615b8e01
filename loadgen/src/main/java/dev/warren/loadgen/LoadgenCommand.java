package dev.warren.loadgen;

import dev.warren.engine.config.ConfigException;
import dev.warren.loadgen.drive.LoadPlan;
import dev.warren.loadgen.drive.LoadRun;
import dev.warren.loadgen.drive.NoConnectionException;
import dev.warren.loadgen.report.HgrmReport;
import dev.warren.loadgen.report.HtmlReport;
import dev.warren.loadgen.report.JsonReport;
import dev.warren.loadgen.report.LoadReport;
import dev.warren.loadgen.report.ProgressLine;
import dev.warren.loadgen.report.TextReport;
import dev.warren.loadgen.target.DirectTcpTarget;
import dev.warren.loadgen.target.EmbeddedEdge;
import dev.warren.loadgen.target.HttpTarget;
import dev.warren.loadgen.target.Target;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * {@code warren loadgen}: the load generator's command line. {@link #run} takes the arguments after
 * {@code loadgen} ({@code tcp ...}, {@code http ...}, {@code plot ...}, {@code --help}) and returns the exit status; {@link #main} is
 * for running it on its own.
 * <p>
 * <b>Threading.</b> {@link #run} runs on the calling thread and returns when the run is over; it never calls
 * {@link System#exit}, so it may be called in-process (tests do). The load itself runs on event loops of its own.
 */
public final class LoadgenCommand
{
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    /** How far below the target rate the achieved one may fall before the run fails: 1%. */
    public static final double RATE_TOLERANCE = 0.01;

    static final String USAGE = String.join(System.lineSeparator(),
        "usage: warren loadgen tcp [options] HOST:PORT",
        "       warren loadgen tcp --via EDGE.yaml --binding NAME [options] [HOST:PORT]",
        "       warren loadgen http [options] URL",
        "       warren loadgen http --via EDGE.yaml --binding NAME [options] URL",
        "       warren loadgen plot [--title TEXT] -o FILE.html REPORT.json...",
        "",
        "Sends TCP load to a server, directly or through the tunnel, from a few event loops (no thread per",
        "connection, no blocking I/O), and reports latency percentiles recorded with HdrHistogram (microseconds, up",
        "to 60 s).",
        "With --rate the load is an open loop: requests go out at set times whatever happened to the ones before,",
        "and latency is measured from each request's intended send time, so a stall shows in every request it",
        "delayed (wrk2's correction for coordinated omission). The service time, from the actual send, is reported",
        "beside it. Without --rate each connection sends its next request as soon as the previous one is complete",
        "(closed loop: the most the connections can do).",
        "",
        "target:",
        "  HOST:PORT               the server; with --via, the destination of a VPC Network binding",
        "  --via FILE              start an edge in this process from an edge YAML file (its listeners are not",
        "                          started) and send through a binding's connect(); a connector must dial in to it",
        "  --binding NAME          the binding in the --via file: a VPC Network (give HOST:PORT) or a tcp service",
        "  --connector-wait D      how long to wait for a connector to connect to that edge (default 30s)",
        "",
        "load:",
        "  --echo                  request/response: send SIZE bytes, wait for all of them to come back, check",
        "                          them (the default; the server must echo)",
        "  --bulk                  one-way: a request is complete when the connection has taken its SIZE bytes;",
        "                          whatever comes back is counted",
        "  -s, --size BYTES        bytes per request: 64, 16k, 1MiB (default 64)",
        "  -R, --rate N            requests per second, all connections together (open loop); without it, a",
        "                          closed loop",
        "  -c, --connections N     connections (default 10)",
        "  -t, --loops N           event loops driving them (default: half the cores, at least 1, at most one per",
        "                          connection)",
        "  -d, --duration D        the measured window: 10s, 500ms, 2m (default 10s)",
        "  -w, --warmup D          load sent before the window, not recorded (default 1s)",
        "  --timeout D             a request not complete this long after it was sent is an error (default 10s)",
        "  --connect-timeout D     a connection not open this long after it was started is an error (default 5s)",
        "  --no-verify             do not check the bytes that come back, only count them",
        "",
        "results:",
        "  --max-errors N          errors allowed before the run fails (default 0)",
        "  --label TEXT            the run's name in reports and charts (default: made from the options)",
        "  --hgrm FILE             write the latency's percentile distribution (HdrHistogram .hgrm, in ms)",
        "  --json FILE             write the machine-readable report (what loadgen plot reads)",
        "  --html FILE             write a self-contained page with the latency-by-percentile chart",
        "  --progress              print a live line each second on stderr (default: only when it is a terminal)",
        "  --no-progress           never print it",
        "",
        "Errors are counted by kind: connect, timeout, reset, closed (the server finished the connection),",
        "mismatch (the echo differed from what was sent), and through the tunnel the code a stream failed with",
        "(connection_refused, destination_not_allowed, ...). Errors during the warm-up are shown, not counted.",
        "",
        "http: sends HTTP/1.1 requests to URL (http://HOST[:PORT]/PATH[?QUERY]) over keep-alive connections, each",
        "request on its connection when the previous response is complete (body included); the same load options",
        "and results as tcp (--rate, -c, -t, -d, -w, --timeout, --connect-timeout, --max-errors, --label, --hgrm,",
        "--json, --html, --progress), and:",
        "  -X, --method METHOD      the method (default GET, or POST with a body)",
        "  -H, --header 'N: v'     a request header field; repeatable (Host is set from the URL unless given)",
        "  --body TEXT             the request body (sent with Content-Length)",
        "  --body-file FILE        the request body, from a file",
        "  --expect-body-file FILE every 2xx response's body must be this file's bytes exactly; one that differs,",
        "                          is cut short or is longer is a mismatch error, not a completed request",
        "  --via FILE --binding NAME",
        "                          send each request with fetch() through an edge started in this process (as tcp",
        "                          --via): NAME is a VPC Network (URL names the destination) or an http service;",
        "                          each request is one fetch, its body read whole; redirects are not followed",
        "Responses are counted by status class (2xx, 3xx, 4xx, 5xx). As wrk does, a non-2xx response is a",
        "completed request, not an error: it does not count against --max-errors. Errors are as for tcp, plus",
        "protocol (a response that breaks HTTP/1.1, or bytes no request asked for); a connection the server ends",
        "after a response (Connection: close) is reopened for the next request without an error.",
        "",
        "plot: overlay the latency by percentile of runs saved with --json, e.g. direct against through the tunnel:",
        "  warren loadgen plot direct.json tunnel.json -o compare.html",
        "  -o, --output FILE       the page to write",
        "  --title TEXT            its title (default: the runs' labels)",
        "",
        "exit status: 0 when the run met its target; 1 when the achieved rate fell more than 1% below --rate,",
        "there were more errors than --max-errors, or no connection could be opened; 2 when the command line or",
        "the --via file is wrong.");

    private LoadgenCommand()
    {
    }

    public static void main(final String[] args)
    {
        // Chronicle Wire (the JSON report, and --via's YAML) must not phone home, nor SLF4J complain on stderr.
        System.setProperty("chronicle.analytics.disable", "true");
        if (System.getProperty("slf4j.internal.verbosity") == null)
        {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        // The embedded edge of --via logs through java.util.logging: one line per event, as warren's own launcher.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null)
        {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs {@code loadgen} with {@code args}, the arguments after {@code loadgen} (a leading {@code loadgen} is
     * skipped too).
     *
     * @return {@link #EXIT_OK}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final int from = args.length > 0 && "loadgen".equals(args[0]) ? 1 : 0;
        try
        {
            if (args.length <= from)
            {
                throw new LoadgenUsageException("loadgen: give a mode (tcp, http) or plot");
            }
            switch (args[from])
            {
                case "-h", "--help", "help" -> {
                    out.println(USAGE);
                    return EXIT_OK;
                }
                case "tcp" -> {
                    final TcpOptions options = TcpOptions.parse(args, from + 1);
                    if (options == null)
                    {
                        out.println(USAGE);
                        return EXIT_OK;
                    }
                    return runTcp(options, out, err);
                }
                case "plot" -> {
                    final PlotOptions options = PlotOptions.parse(args, from + 1);
                    if (options == null)
                    {
                        out.println(USAGE);
                        return EXIT_OK;
                    }
                    return plot(options, out, err);
                }
                case "http" -> {
                    final HttpOptions options = HttpOptions.parse(args, from + 1);
                    if (options == null)
                    {
                        out.println(USAGE);
                        return EXIT_OK;
                    }
                    return runHttp(options, out, err);
                }
                default -> throw new LoadgenUsageException(args[from].startsWith("-") ?
                    "loadgen: give a mode (tcp, http) or plot before the options, e.g. loadgen tcp " + args[from] :
                    "loadgen: unknown mode '" + args[from] + "' (tcp, http, or plot)");
            }
        }
        catch (final LoadgenUsageException ex)
        {
            err.println(ex.getMessage());
            err.println("'warren loadgen --help' lists the options");
            return EXIT_USAGE;
        }
        catch (final ConfigException ex)
        {
            err.println("loadgen: " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            err.println("loadgen: interrupted");
            return EXIT_FAILED;
        }
    }

    private static int runTcp(final TcpOptions options, final PrintStream out, final PrintStream err)
        throws ConfigException, InterruptedException
    {
        final LoadPlan plan = options.plan();
        final Target target;
        if (options.via() != null)
        {
            err.println("loadgen: starting an edge from " + options.via() + "; waiting for a connector");
            try
            {
                target = EmbeddedEdge.start(options.via(), options.binding(), options.address(),
                    Duration.ofNanos(plan.connectTimeoutNs()), Duration.ofNanos(options.connectorWaitNs()));
            }
            catch (final TimeoutException | UncheckedIOException ex)
            {
                err.println("loadgen: " + ex.getMessage());
                return EXIT_FAILED;
            }
        }
        else
        {
            try
            {
                target = new DirectTcpTarget(new InetSocketAddress(
                    InetAddress.getByName(TcpOptions.host(options.address())), TcpOptions.port(options.address())));
            }
            catch (final UnknownHostException ex)
            {
                err.println("loadgen: cannot resolve " + options.address() + ": " + ex.getMessage());
                return EXIT_FAILED;
            }
        }

        return runLoad(plan, target, options.labelOrDefault(), options.progress(), options.maxErrors(),
            options.hgrm(), options.json(), options.html(), out, err);
    }

    private static int runHttp(final HttpOptions options, final PrintStream out, final PrintStream err)
        throws ConfigException, InterruptedException
    {
        final LoadPlan plan = options.plan();
        final Target target;
        if (options.via() != null)
        {
            err.println("loadgen: starting an edge from " + options.via() + "; waiting for a connector");
            try
            {
                target = EmbeddedEdge.startForFetch(options.via(), options.binding(), options.fetchRequest(),
                    Duration.ofNanos(options.connectorWaitNs()));
            }
            catch (final TimeoutException | UncheckedIOException ex)
            {
                err.println("loadgen: " + ex.getMessage());
                return EXIT_FAILED;
            }
        }
        else
        {
            try
            {
                target = new HttpTarget(new InetSocketAddress(InetAddress.getByName(options.url().getHost()),
                    options.port()), options.httpMethod(), options.url().toString(), options.expectBody());
            }
            catch (final UnknownHostException ex)
            {
                err.println("loadgen: cannot resolve " + options.url().getHost() + ": " + ex.getMessage());
                return EXIT_FAILED;
            }
        }
        return runLoad(plan, target, options.labelOrDefault(), options.progress(), options.maxErrors(),
            options.hgrm(), options.json(), options.html(), out, err);
    }

    /** Runs the load on {@code target} (and closes it), prints the summary, writes the files, judges the run. */
    private static int runLoad(
        final LoadPlan plan, final Target target, final String label, final Boolean progressOption,
        final long maxErrors, final Path hgrm, final Path json, final Path html, final PrintStream out,
        final PrintStream err) throws InterruptedException
    {
        final LoadReport report;
        try (target)
        {
            final boolean progress = progressOption != null ? progressOption :
                err == System.err && System.console() != null;
            report = new LoadRun(plan, target, label,
                progress ? new ProgressLine(err, plan.rate()) : null).run();
        }
        catch (final NoConnectionException ex)
        {
            err.println("loadgen: " + ex.getMessage());
            return EXIT_FAILED;
        }

        TextReport.write(report, out);
        out.flush();
        boolean failed = !writeFiles(hgrm, json, html, report, err);
        if (report.openLoop() && report.achievedRatio() < 1 - RATE_TOLERANCE)
        {
            err.println(String.format(Locale.ROOT, "loadgen: failed: achieved %.1f req/s, %.2f%% below the target " +
                "%.1f req/s (more than %.0f%%)", report.achievedRate(), 100 * (1 - report.achievedRatio()),
                report.targetRate(), 100 * RATE_TOLERANCE));
            failed = true;
        }
        if (report.errorsTotal() > maxErrors)
        {
            err.println("loadgen: failed: " + report.errorsTotal() + " errors, more than --max-errors " + maxErrors);
            failed = true;
        }
        return failed ? EXIT_FAILED : EXIT_OK;
    }

    /** @return false when a file could not be written (said on {@code err}). */
    private static boolean writeFiles(
        final Path hgrm, final Path json, final Path html, final LoadReport report, final PrintStream err)
    {
        boolean written = true;
        try
        {
            if (hgrm != null)
            {
                HgrmReport.write(report, hgrm);
            }
        }
        catch (final IOException ex)
        {
            written = cannotWrite(err, hgrm, ex);
        }
        try
        {
            if (json != null)
            {
                JsonReport.write(report, json);
            }
        }
        catch (final IOException ex)
        {
            written = cannotWrite(err, json, ex);
        }
        try
        {
            if (html != null)
            {
                HtmlReport.write(List.of(report), report.label(), html);
            }
        }
        catch (final IOException ex)
        {
            written = cannotWrite(err, html, ex);
        }
        return written;
    }

    private static int plot(final PlotOptions options, final PrintStream out, final PrintStream err)
    {
        final List<LoadReport> reports = new ArrayList<>();
        for (final Path file : options.reports())
        {
            try
            {
                reports.add(JsonReport.read(file));
            }
            catch (final IOException ex)
            {
                err.println("loadgen plot: cannot read " + file + ": " + ex.getMessage());
                return EXIT_FAILED;
            }
        }
        final String title;
        if (options.title() != null)
        {
            title = options.title();
        }
        else
        {
            final List<String> labels = new ArrayList<>();
            for (final LoadReport report : reports)
            {
                labels.add(report.label());
            }
            title = "latency by percentile: " + String.join(" vs ", labels);
        }
        try
        {
            HtmlReport.write(reports, title, options.output());
        }
        catch (final IOException ex)
        {
            cannotWrite(err, options.output(), ex);
            return EXIT_FAILED;
        }
        out.println("loadgen plot: wrote " + options.output() + " (" + reports.size() +
            (reports.size() == 1 ? " run)" : " runs)"));
        return EXIT_OK;
    }

    private static boolean cannotWrite(final PrintStream err, final Path file, final IOException ex)
    {
        err.println("loadgen: cannot write " + file + ": " + ex.getMessage());
        return false;
    }
}

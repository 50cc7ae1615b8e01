package dev.warren.loadgen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code warren loadgen plot}. Immutable.
 *
 * @param reports the JSON reports to overlay, in legend order.
 * @param output  the page to write.
 * @param title   the page's title; null for one made from the labels.
 */
record PlotOptions(List<Path> reports, Path output, String title)
{
    PlotOptions
    {
        reports = List.copyOf(reports);
    }

    /** Parses the arguments after {@code plot}. @return null when {@code --help} was asked for. */
    static PlotOptions parse(final String[] args, final int from) throws LoadgenUsageException
    {
        final ArgumentCursor cursor = new ArgumentCursor("loadgen plot", args, from);
        final List<Path> reports = new ArrayList<>();
        Path output = null;
        String title = null;
        while (cursor.hasNext())
        {
            final String arg = cursor.next();
            switch (arg)
            {
                case "-h", "--help" -> {
                    return null;
                }
                case "-o", "--output" -> output = Path.of(cursor.value());
                case "--title" -> title = cursor.value();
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1)
                    {
                        throw cursor.usage("unknown option '" + arg + "'");
                    }
                    reports.add(Path.of(arg));
                }
            }
        }
        if (reports.isEmpty())
        {
            throw cursor.usage("give one or more JSON reports (written by loadgen tcp --json)");
        }
        if (output == null)
        {
            throw cursor.usage("give the page to write with -o FILE.html");
        }
        return new PlotOptions(reports, output, title);
    }
}

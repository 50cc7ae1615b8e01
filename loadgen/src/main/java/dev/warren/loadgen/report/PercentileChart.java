package dev.warren.loadgen.report;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.List;
import java.util.Locale;

/**
 * One "latency by percentile" chart as inline SVG, in the manner of HdrHistogram's plotter: the percentile axis is
 * logarithmic in the distance to 100% (0%, 90%, 99%, 99.9%, ... evenly spaced), so the tail gets the room; the
 * latency axis is linear or logarithmic. Each run is a solid line for latency (from intended send time) and a dashed
 * one, of the same colour, for service time (class {@code svc}, which the page may hide); a legend names the runs.
 * Stateless; thread-safe.
 */
public final class PercentileChart
{
    static final String[] COLOURS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

    private static final int WIDTH = 960;
    private static final int HEIGHT = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 20;
    private static final int BOTTOM = 60;
    /** Rows per halving of the distance to 100%, as in the .hgrm output. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;
    private static final int MIN_DECADES = 2;
    private static final int MAX_DECADES = 7;

    private PercentileChart()
    {
    }

    /**
     * @param logarithmic the latency axis is logarithmic.
     * @param cssClass    the {@code svg} element's class.
     */
    public static String svg(final List<LoadReport> reports, final boolean logarithmic, final String cssClass)
    {
        final int decades = decades(reports);
        double maxMs = 0;
        double minMs = Double.MAX_VALUE;
        for (final LoadReport report : reports)
        {
            for (final Histogram histogram : new Histogram[] {report.latency(), report.serviceTime()})
            {
                if (histogram.getTotalCount() > 0)
                {
                    maxMs = Math.max(maxMs, histogram.getMaxValue() / 1000.0);
                    minMs = Math.min(minMs, Math.max(0.001, histogram.getMinValue() / 1000.0));
                }
            }
        }
        final Axis axis = logarithmic ? Axis.logarithmic(minMs, maxMs) : Axis.linear(maxMs);

        final StringBuilder svg = new StringBuilder(16 * 1024);
        svg.append("<svg class=\"").append(cssClass).append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
            .append(WIDTH).append(' ').append(HEIGHT).append("\" font-family=\"system-ui, sans-serif\" font-size=\"13\" role=\"img\" aria-label=\"latency by percentile")
            .append(logarithmic ? ", logarithmic latency axis" : "").append("\">\n");
        grid(svg, decades, axis);
        for (int i = 0; i < reports.size(); i++)
        {
            final String colour = COLOURS[i % COLOURS.length];
            final LoadReport report = reports.get(i);
            series(svg, report.serviceTime(), decades, axis, colour, "svc", report.label() + " (service time)");
            series(svg, report.latency(), decades, axis, colour, "lat", report.label());
        }
        legend(svg, reports);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static int decades(final List<LoadReport> reports)
    {
        long count = 0;
        for (final LoadReport report : reports)
        {
            count = Math.max(count, report.latency().getTotalCount());
        }
        final int decades = count <= 1 ? MIN_DECADES : (int)Math.ceil(Math.log10(count));
        return Math.max(MIN_DECADES, Math.min(MAX_DECADES, decades));
    }

    private static void grid(final StringBuilder svg, final int decades, final Axis axis)
    {
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotWidth)
            .append("\" height=\"").append(plotHeight).append("\" class=\"frame\" fill=\"#fff\" stroke=\"#999\"/>\n");
        for (int decade = 0; decade <= decades; decade++)
        {
            final double x = x(decade, decades);
            svg.append("<line class=\"grid\" stroke=\"#e4e4e4\" x1=\"").append(fmt(x)).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(fmt(x)).append("\" y2=\"").append(TOP + plotHeight).append("\"/>")
                .append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(fmt(x)).append("\" y=\"")
                .append(TOP + plotHeight + 18).append("\">").append(percentileLabel(decade)).append("</text>\n");
        }
        for (final double tick : axis.ticks())
        {
            final double y = y(axis.fraction(tick));
            svg.append("<line class=\"grid\" stroke=\"#e4e4e4\" x1=\"").append(LEFT).append("\" y1=\"").append(fmt(y)).append("\" x2=\"")
                .append(LEFT + plotWidth).append("\" y2=\"").append(fmt(y)).append("\"/>")
                .append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(LEFT - 6).append("\" y=\"")
                .append(fmt(y + 4)).append("\">").append(Axis.label(tick)).append("</text>\n");
        }
        svg.append("<text class=\"axis\" text-anchor=\"middle\" x=\"").append(LEFT + plotWidth / 2).append("\" y=\"")
            .append(HEIGHT - 14).append("\">percentile</text>\n");
        svg.append("<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(18 ")
            .append(TOP + plotHeight / 2).append(") rotate(-90)\">latency (ms)</text>\n");
    }

    private static void series(
        final StringBuilder svg, final Histogram histogram, final int decades, final Axis axis, final String colour,
        final String cssClass, final String title)
    {
        if (histogram.getTotalCount() == 0)
        {
            return;
        }
        final boolean service = "svc".equals(cssClass);
        svg.append("<polyline class=\"").append(cssClass).append("\" stroke=\"").append(colour)
            .append("\" fill=\"none\" stroke-width=\"").append(service ? "1.5\" stroke-dasharray=\"6 4" : "2")
            .append("\" points=\"");
        final double maxX = x(decades, decades);
        for (final HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE))
        {
            final double percentile = value.getPercentileLevelIteratedTo();
            final double distance = percentile >= 100.0 ? decades : Math.log10(100.0 / (100.0 - percentile));
            final double x = Math.min(maxX, x(Math.min(distance, decades), decades));
            final double ms = histogram.highestEquivalentValue(value.getValueIteratedTo()) / 1000.0;
            svg.append(fmt(x)).append(',').append(fmt(y(axis.fraction(ms)))).append(' ');
        }
        svg.append("\"><title>").append(HtmlReport.escape(title)).append("</title></polyline>\n");
    }

    private static void legend(final StringBuilder svg, final List<LoadReport> reports)
    {
        final int x = LEFT + 14;
        int y = TOP + 20;
        int longest = "dashed: service time (from actual send)".length();
        for (final LoadReport report : reports)
        {
            longest = Math.max(longest, report.label().length() + 5);
        }
        svg.append("<g class=\"legend\">\n<rect x=\"").append(x - 8).append("\" y=\"").append(y - 16)
            .append("\" width=\"").append(Math.min(WIDTH - LEFT - RIGHT - 12, longest * 7 + 20)).append("\" height=\"")
            .append(20 * reports.size() + 26).append("\" fill=\"#fff\" fill-opacity=\"0.85\"/>\n");
        for (int i = 0; i < reports.size(); i++)
        {
            final String colour = COLOURS[i % COLOURS.length];
            svg.append("<line class=\"lat\" stroke-width=\"2\" stroke=\"").append(colour).append("\" x1=\"").append(x).append("\" y1=\"")
                .append(y - 4).append("\" x2=\"").append(x + 28).append("\" y2=\"").append(y - 4).append("\"/>")
                .append("<text x=\"").append(x + 36).append("\" y=\"").append(y).append("\">")
                .append(HtmlReport.escape(reports.get(i).label())).append("</text>\n");
            y += 20;
        }
        svg.append("<text class=\"svc-note\" x=\"").append(x).append("\" y=\"").append(y)
            .append("\">dashed: service time (from actual send)</text>\n");
        svg.append("</g>\n");
    }

    private static double x(final double decade, final int decades)
    {
        return LEFT + (WIDTH - LEFT - RIGHT) * decade / decades;
    }

    private static double y(final double fraction)
    {
        final double clamped = Math.max(0, Math.min(1, fraction));
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - clamped);
    }

    /** The percentile {@code decade} decades from 0%: 0%, 90%, 99%, 99.9%, ... */
    static String percentileLabel(final int decade)
    {
        if (decade == 0)
        {
            return "0%";
        }
        if (decade == 1)
        {
            return "90%";
        }
        final StringBuilder label = new StringBuilder("99");
        if (decade > 2)
        {
            label.append('.').append("9".repeat(decade - 2));
        }
        return label.append('%').toString();
    }

    private static String fmt(final double value)
    {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The latency axis: where a value in milliseconds falls, and which ticks to draw. */
    private static final class Axis
    {
        private final boolean logarithmic;
        private final double low;
        private final double high;
        private final double[] ticks;

        private Axis(final boolean logarithmic, final double low, final double high, final double[] ticks)
        {
            this.logarithmic = logarithmic;
            this.low = low;
            this.high = high;
            this.ticks = ticks;
        }

        static Axis linear(final double maxMs)
        {
            final double step = niceStep(Math.max(maxMs, 0.001) / 6);
            final int steps = Math.max(1, (int)Math.ceil(maxMs / step - 1e-9));
            final double[] ticks = new double[steps + 1];
            for (int i = 0; i <= steps; i++)
            {
                ticks[i] = i * step;
            }
            return new Axis(false, 0, steps * step, ticks);
        }

        static Axis logarithmic(final double minMs, final double maxMs)
        {
            final int lowDecade = (int)Math.floor(Math.log10(Math.min(minMs, Math.max(maxMs, 0.001))));
            final int highDecade = Math.max(lowDecade + 1, (int)Math.ceil(Math.log10(Math.max(maxMs, 0.001))));
            final double[] ticks = new double[highDecade - lowDecade + 1];
            for (int i = 0; i < ticks.length; i++)
            {
                ticks[i] = Math.pow(10, lowDecade + i);
            }
            return new Axis(true, Math.pow(10, lowDecade), Math.pow(10, highDecade), ticks);
        }

        double fraction(final double ms)
        {
            if (logarithmic)
            {
                return Math.log10(Math.max(ms, low) / low) / Math.log10(high / low);
            }
            return high == low ? 0 : (ms - low) / (high - low);
        }

        double[] ticks()
        {
            return ticks;
        }

        static String label(final double ms)
        {
            if (ms == 0)
            {
                return "0";
            }
            if (ms >= 1)
            {
                return ms == Math.rint(ms) ? Long.toString((long)ms) : String.format(Locale.ROOT, "%.1f", ms);
            }
            final String text = String.format(Locale.ROOT, "%.3f", ms);
            return text.replaceAll("0+$", "");
        }

        private static double niceStep(final double rough)
        {
            final double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            final double fraction = rough / magnitude;
            final double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
            return nice * magnitude;
        }
    }
}

package dev.warren.loadgen.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code --html FILE} and {@code loadgen plot}: one self-contained page (no script, no fetch, nothing from the
 * network) with the {@link PercentileChart} of one or more runs overlaid, a linear and a logarithmic latency axis to
 * switch between, service time shown on request, and a table of each run's figures. Switches are checkboxes styled
 * with CSS alone. Stateless; thread-safe.
 */
public final class HtmlReport
{
    private static final String STYLE = String.join("\n",
        "body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222}",
        "h1{font-size:20px;margin:0 0 4px}",
        "p.note{color:#555;margin:4px 0 12px;max-width:960px}",
        ".controls label{margin-right:18px;cursor:pointer}",
        ".charts svg{width:100%;max-width:960px;height:auto;display:block;margin:8px 0}",
        "svg .frame{fill:#fff;stroke:#999}",
        "svg .grid{stroke:#e4e4e4}",
        "svg .tick{font-size:12px;fill:#555}",
        "svg .axis{font-size:13px;fill:#333}",
        "svg .legend text{font-size:13px;fill:#222}",
        "svg .legend .svc-note{font-size:12px;fill:#777;display:none}",
        "svg polyline,svg line.lat{fill:none;stroke-width:2}",
        "svg polyline.svc{stroke-dasharray:6 4;stroke-width:1.5;display:none}",
        "#log:checked~.charts .linear{display:none}",
        "#log:not(:checked)~.charts .log{display:none}",
        "#svc:checked~.charts polyline.svc{display:inline}",
        "#svc:checked~.charts .svc-note{display:inline}",
        "table{border-collapse:collapse;margin-top:16px;font-variant-numeric:tabular-nums}",
        "th,td{border:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}",
        "th{background:#f4f4f4}",
        "td.text{text-align:left}",
        "span.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}");

    private HtmlReport()
    {
    }

    public static void write(final List<LoadReport> reports, final String title, final Path file) throws IOException
    {
        Files.writeString(file, page(reports, title), StandardCharsets.UTF_8);
    }

    public static String page(final List<LoadReport> reports, final String title)
    {
        if (reports.isEmpty())
        {
            throw new IllegalArgumentException("no report to plot");
        }
        final StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .append(escape(title)).append("</title>\n<style>\n").append(STYLE).append("\n</style>\n</head>\n<body>\n")
            .append("<h1>").append(escape(title)).append("</h1>\n")
            .append("<p class=\"note\">Latency by percentile. Latency is measured from each request's intended send ")
            .append("time, so a stall shows in every request it delayed (corrected for coordinated omission); ")
            .append("service time, from the actual send, does not. The percentile axis is logarithmic in the ")
            .append("distance to 100%.</p>\n")
            .append("<input type=\"checkbox\" id=\"log\"><label for=\"log\">logarithmic latency axis</label>\n")
            .append("<input type=\"checkbox\" id=\"svc\"><label for=\"svc\">show service time (dashed)</label>\n")
            .append("<div class=\"charts\">\n")
            .append(PercentileChart.svg(reports, false, "linear"))
            .append(PercentileChart.svg(reports, true, "log"))
            .append("</div>\n");
        table(html, reports);
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void table(final StringBuilder html, final List<LoadReport> reports)
    {
        html.append("<table>\n<tr><th>run</th><th>target</th><th>load</th><th>requests</th><th>errors</th>")
            .append("<th>ms</th>");
        for (int i = 0; i < SummaryPercentiles.count(); i++)
        {
            html.append("<th>").append(SummaryPercentiles.name(i)).append("</th>");
        }
        html.append("</tr>\n");
        for (int r = 0; r < reports.size(); r++)
        {
            final LoadReport report = reports.get(r);
            final String colour = PercentileChart.COLOURS[r % PercentileChart.COLOURS.length];
            html.append("<tr><td class=\"text\" rowspan=\"2\"><span class=\"swatch\" style=\"background:")
                .append(colour).append("\"></span>").append(escape(report.label()))
                .append("<br><small>").append(escape(report.startedAt())).append("</small></td>")
                .append("<td class=\"text\" rowspan=\"2\">").append(escape(report.target())).append("</td>")
                .append("<td class=\"text\" rowspan=\"2\">").append(escape(report.mode() + " " + report.pattern() +
                    ", " + TextReport.describeLoad(report))).append("</td>")
                .append("<td class=\"text\" rowspan=\"2\">").append(escape(TextReport.describeRequests(report)))
                .append("</td>")
                .append("<td class=\"text\" rowspan=\"2\">").append(escape(TextReport.describeErrors(report)));
            for (final Map.Entry<String, String> detail : report.errorDetails().entrySet())
            {
                html.append("<br><small>").append(escape(detail.getKey() + ": " + detail.getValue()))
                    .append("</small>");
            }
            html.append("</td><td class=\"text\">latency</td>");
            for (int i = 0; i < SummaryPercentiles.count(); i++)
            {
                html.append("<td>").append(TextReport.millis(SummaryPercentiles.value(report.latency(), i)))
                    .append("</td>");
            }
            html.append("</tr>\n<tr><td class=\"text\">service</td>");
            for (int i = 0; i < SummaryPercentiles.count(); i++)
            {
                html.append("<td>").append(TextReport.millis(SummaryPercentiles.value(report.serviceTime(), i)))
                    .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /** Escapes text for HTML and SVG content and attributes. */
    static String escape(final String text)
    {
        final StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}

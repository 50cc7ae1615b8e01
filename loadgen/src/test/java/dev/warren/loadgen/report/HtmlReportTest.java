package dev.warren.loadgen.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest
{
    @Test
    void shouldOverlayEveryRunWithALegend()
    {
        final String page = HtmlReport.page(
            List.of(SampleReports.sample("direct", 40), SampleReports.sample("tunnel <edge>", 120)), "direct vs tunnel");
        // two charts (linear and logarithmic latency axis), each with a latency and a service line per run
        assertEquals(4, count(page, "<polyline class=\"lat\""));
        assertEquals(4, count(page, "<polyline class=\"svc\""));
        assertTrue(page.contains(">direct</text>"));
        assertTrue(page.contains(">tunnel &lt;edge&gt;</text>"), "labels are escaped");
        assertTrue(page.contains(">99.99%</text>"), "a log-scale percentile axis up to the data's depth");
        assertTrue(page.contains("<title>direct vs tunnel</title>"));
    }

    @Test
    void shouldBeSelfContained()
    {
        final String page = HtmlReport.page(List.of(SampleReports.sample("run", 40)), "run");
        assertFalse(page.contains("<script"));
        assertFalse(page.contains("<link"));
        assertFalse(page.contains("src="));
        assertFalse(page.contains("url("));
        assertFalse(page.contains("@import"));
        final Matcher http = Pattern.compile("https?://[^\"]*").matcher(page);
        while (http.find())
        {
            assertEquals("http://www.w3.org/2000/svg", http.group(), "only the SVG namespace, never a fetch");
        }
    }

    @Test
    void shouldPlotOnlyFiniteCoordinates()
    {
        final String page = HtmlReport.page(List.of(SampleReports.sample("run", 40)), "run");
        assertFalse(page.contains("NaN"));
        assertFalse(page.contains("Infinity"));
    }

    @Test
    void shouldRefuseNothingToPlot()
    {
        assertThrows(IllegalArgumentException.class, () -> HtmlReport.page(List.of(), "none"));
    }

    @Test
    void shouldLabelPercentileDecades()
    {
        assertEquals("0%", PercentileChart.percentileLabel(0));
        assertEquals("90%", PercentileChart.percentileLabel(1));
        assertEquals("99%", PercentileChart.percentileLabel(2));
        assertEquals("99.9%", PercentileChart.percentileLabel(3));
        assertEquals("99.999%", PercentileChart.percentileLabel(5));
    }

    private static int count(final String text, final String part)
    {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1))
        {
            count++;
        }
        return count;
    }
}

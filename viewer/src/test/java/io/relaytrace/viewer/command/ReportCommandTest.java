package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.HostileTrace;
import io.relaytrace.viewer.KnownWorkload;
import io.relaytrace.viewer.report.Html;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code report}: the HTML file as headless Chromium builds its DOM. */
class ReportCommandTest
{
    @TempDir
    static Path shared;
    static Path workload;
    static Path hostile;

    @BeforeAll
    static void writeTraces() throws Exception
    {
        workload = shared.resolve("workload");
        KnownWorkload.write(workload);
        hostile = shared.resolve("hostile");
        HostileTrace.write(hostile);
    }

    private static Path report(final Path trace, final String name) throws Exception
    {
        final Path html = shared.resolve(name);
        final Cli cli = Cli.run("report", trace.toString(), "-o", html.toString());
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("", cli.out(), cli::toString);
        final String text = Files.readString(html);
        for (final String fetches : List.of("<script", "<link", " src=", " href=", "url(", "@import"))
        {
            assertFalse(text.contains(fetches), "self-contained, nothing to fetch or run: " + fetches);
        }
        return html;
    }

    /** The DOM headless Chromium builds from the file: bounded to 60 s, the browser destroyed in any case. */
    private static String dumpDom(final Path html) throws Exception
    {
        final Process which = new ProcessBuilder("sh", "-c", "command -v chromium").redirectErrorStream(true).start();
        assumeTrue(which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0,
            "chromium is not installed (Debian package chromium; .ci/run installs it)");
        final Path profile = Files.createTempDirectory(shared, "chromium-profile");
        final Path out = shared.resolve(html.getFileName() + ".dom");
        final Path err = shared.resolve(html.getFileName() + ".err");
        final Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try
        {
            assertTrue(chromium.waitFor(60, TimeUnit.SECONDS), "chromium finished within 60 s");
            assertEquals(0, chromium.exitValue(), () -> "chromium failed: " + read(err));
            final String dom = Files.readString(out);
            assertTrue(dom.contains("</html>"), () -> "a whole DOM: " + dom + read(err));
            return dom;
        }
        finally
        {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final java.io.IOException ex)
        {
            return ex.toString();
        }
    }

    private static int count(final String text, final String pattern)
    {
        final Matcher m = Pattern.compile(pattern).matcher(text);
        int n = 0;
        while (m.find())
        {
            n++;
        }
        return n;
    }

    @Test
    void theBrowserShowsTheMethodsTheFlameGraphAndOneLanePerThread() throws Exception
    {
        final String dom = dumpDom(report(workload, "workload.html"));
        for (final String method : List.of(KnownWorkload.INIT_NAME, KnownWorkload.ADD_NAME, KnownWorkload.CHECKOUT_NAME,
            KnownWorkload.PRICE_NAME))
        {
            assertEquals(1, count(dom, Pattern.quote("<tr class=\"method\"><td class=\"name\">" + Html.escape(method) + "</td>")),
                method);
            assertTrue(dom.contains("<title>" + Html.escape(method) + " \u2014 "), "a flame graph frame for " + method);
        }
        assertTrue(dom.contains("<tr class=\"method\"><td class=\"name\">" + Html.escape(KnownWorkload.ADD_NAME) + "</td><td>" +
            KnownWorkload.ITERATIONS * 2 + "</td><td>0</td>"), "calls and exceptions of add");
        assertEquals(1, count(dom, "<svg class=\"flamegraph\""));
        assertEquals(4, count(dom, "<g class=\"frame\">"), "<init>, checkout, checkout;add, checkout;price");
        assertTrue(dom.contains("<title>" + Html.escape(KnownWorkload.CHECKOUT_NAME) + " \u2014 " + KnownWorkload.ITERATIONS +
            " calls, " + KnownWorkload.EXCEPTIONS + " exceptions, 0 unclosed, total "), "checkout's frame");
        assertEquals(1, count(dom, "<svg class=\"timeline\""));
        assertEquals(KnownWorkload.THREADS, count(dom, "<g class=\"lane"));
        assertEquals(KnownWorkload.VIRTUAL_THREADS, count(dom, "<g class=\"lane virtual\">"));
        assertTrue(count(dom, "<rect class=\"call\"") >= KnownWorkload.THREADS, "bars in every lane");
        assertTrue(dom.contains("<th class=\"name\">events</th><td>" + KnownWorkload.EVENTS + "</td>"), "the totals");
    }

    @Test
    void hostileNamesAreTextNotMarkup() throws Exception
    {
        final String dom = dumpDom(report(hostile, "hostile.html"));
        assertFalse(dom.contains("<script"), "no script element");
        assertFalse(dom.contains("<img"), "no img element");
        final String escapedText = "&lt;script&gt;alert(1)&lt;/script&gt;&amp;\"'#";
        assertTrue(dom.contains("<text class=\"thread\" x=\"2\" y=\"31\">" + escapedText), dom);
        assertTrue(dom.contains("<tr class=\"method\"><td class=\"name\">com.evil.Widget&lt;T&gt;.run&amp;go()</td>"), dom);
        assertTrue(dom.contains("<th class=\"name\">orphan exits / unclosed calls</th><td>1 / 1</td>"), dom);
        assertEquals(2, count(dom, "<g class=\"frame\">"), "<init> and run&go");
    }

    @Test
    void needsAFileToWrite()
    {
        final Cli missing = Cli.run("report", workload.toString());
        assertEquals(ExitCodes.USAGE, missing.status(), missing::toString);
        assertEquals("relaytrace-viewer: Missing required option: '--output=FILE' (see --help)\n", missing.err());
        final Cli dir = Cli.run("report", workload.toString(), "-o", shared.toString());
        assertEquals(ExitCodes.USAGE, dir.status(), dir::toString);
        assertEquals("relaytrace-viewer report: -o " + shared + " is a directory: give a file to write\n", dir.err());
    }
}

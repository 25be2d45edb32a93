package io.relaytrace.agent.it;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A trace as the viewer summarises it: {@code relaytrace-viewer.jar summary --json DIR}, one JSON
 * object {@code {"events":N,"lost":N,"dropped":N,"threads":N,"virtualThreads":N,"incomplete":bool,
 * "callsCutByLoss":N,"definitionsLost":N,"definitionsDropped":N,
 * "methods":[{"method":"com.acme.Cart.add(java.lang.String,int)","calls":N,"exceptions":N,...}]}}.
 * The viewer is another module, built separately; without its jar the assertions that need it are
 * skipped (assumption), never passed.
 */
final class TraceSummary
{
    static final Path VIEWER_JAR = Path.of(System.getProperty("relaytrace.viewer.jar", "../viewer/target/relaytrace-viewer.jar"));

    /** A private copy, taken once: the viewer module may be rebuilt while these tests run. */
    private static Path viewerCopy;

    private final Map<String, Object> summary;

    private TraceSummary(final Map<String, Object> summary)
    {
        this.summary = summary;
    }

    static TraceSummary of(final Path traceDir) throws Exception
    {
        return of(traceDir, 60);
    }

    /** @param timeoutSeconds how long the viewer may take (a big trace reads at about 5-10 million events a second). */
    @SuppressWarnings("unchecked")
    static TraceSummary of(final Path traceDir, final long timeoutSeconds) throws Exception
    {
        Assumptions.assumeTrue(Files.isRegularFile(VIEWER_JAR), "viewer jar " + VIEWER_JAR + " not built yet");
        final ChildJvm viewer = ChildJvm.exec(List.of(Jdk.JDK_25.java(), "-jar", viewerCopy().toString(), "summary", "--json",
            traceDir.toString()), timeoutSeconds);
        assertEquals(0, viewer.exitCode(), () -> "viewer failed: stdout=" + viewer.stdout() + " stderr=" + viewer.stderr());
        return new TraceSummary((Map<String, Object>)Json.parse(String.join("\n", viewer.stdout())));
    }

    /**
     * Runs another viewer command on a trace, e.g. {@code check}, with a minute to finish.
     *
     * @return the finished viewer, its exit status and output for the caller to check.
     */
    static ChildJvm viewer(final String command, final Path traceDir) throws Exception
    {
        return viewer(60, command, traceDir.toString());
    }

    /**
     * Runs any viewer command on JDK 25 (skipped, as {@link #of}, while the viewer jar is not built).
     *
     * @return the finished viewer process, its output collected.
     */
    static ChildJvm viewer(final long timeoutSeconds, final String... args) throws Exception
    {
        Assumptions.assumeTrue(Files.isRegularFile(VIEWER_JAR), "viewer jar " + VIEWER_JAR + " not built yet");
        final List<String> command = new java.util.ArrayList<>(List.of(Jdk.JDK_25.java(), "-jar", viewerCopy().toString()));
        command.addAll(List.of(args));
        return ChildJvm.exec(command, timeoutSeconds);
    }

    /** Copies the viewer jar once it reads as a whole jar (not one being written), at most 30 s. */
    private static synchronized Path viewerCopy() throws Exception
    {
        if (viewerCopy == null)
        {
            final Path copy = Files.createTempFile("relaytrace-viewer-", ".jar");
            copy.toFile().deleteOnExit();
            for (int attempt = 0; ; attempt++)
            {
                Files.copy(VIEWER_JAR, copy, StandardCopyOption.REPLACE_EXISTING);
                try (JarFile jar = new JarFile(copy.toFile()))
                {
                    if (jar.getManifest() != null && jar.getManifest().getMainAttributes().getValue("Main-Class") != null)
                    {
                        break;
                    }
                }
                catch (final IOException ex)
                {
                    // Being rewritten: try again.
                }
                if (attempt == 30)
                {
                    throw new AssertionError("viewer jar " + VIEWER_JAR + " is not a runnable jar");
                }
                Thread.sleep(1000);
            }
            viewerCopy = copy;
        }
        return viewerCopy;
    }

    long number(final String key)
    {
        return ((Number)require(summary, key)).longValue();
    }

    boolean flag(final String key)
    {
        return (Boolean)require(summary, key);
    }

    /** @return calls and exceptions of a method as {@code [calls, exceptions]}, or {@code [0, 0]} if never called. */
    @SuppressWarnings("unchecked")
    long[] callsAndExceptions(final String method)
    {
        for (final Object entry : (List<Object>)require(summary, "methods"))
        {
            final Map<String, Object> m = (Map<String, Object>)entry;
            if (method.equals(m.get("method")))
            {
                return new long[] {((Number)require(m, "calls")).longValue(), ((Number)require(m, "exceptions")).longValue()};
            }
        }
        return new long[] {0, 0};
    }

    /** @return the name of every method in the summary. */
    @SuppressWarnings("unchecked")
    List<String> methodNames()
    {
        final List<String> names = new java.util.ArrayList<>();
        for (final Object entry : (List<Object>)require(summary, "methods"))
        {
            names.add((String)((Map<String, Object>)entry).get("method"));
        }
        return names;
    }

    private static Object require(final Map<String, Object> map, final String key)
    {
        if (!map.containsKey(key))
        {
            throw new AssertionError("viewer summary lacks \"" + key + "\": " + map);
        }
        return map.get(key);
    }

    @Override
    public String toString()
    {
        return summary.toString();
    }
}

package io.relaytrace.viewer;

import java.nio.file.Path;

/**
 * A small trace whose names are hostile to HTML and JSON, with one call of each kind the viewer
 * must render: completed by EXIT, completed by THROW, an orphan exit (the trace began inside the
 * call) and a call still open when the trace ends. Written by one platform thread named
 * {@link #THREAD_NAME}.
 */
public final class HostileTrace
{
    public static final String THREAD_NAME = "<script>alert(1)</script>&\"'";
    public static final int INIT = 1;
    public static final int RUN = 2;
    public static final int BEFORE = 3;
    public static final int ERROR = 9;

    /** Java names the constructor {@code <init>}: angle brackets in every trace. */
    public static final String INIT_NAME = "com.evil.Widget<T>.<init>(java.lang.String)";
    public static final String RUN_NAME = "com.evil.Widget<T>.run&go()";
    public static final String BEFORE_NAME = "com.evil.Widget<T>.before()";
    public static final String ERROR_NAME = "com.evil.Oops\"<img src=x onerror=alert(2)>";

    /** ENTER, EXIT, ENTER, THROW, EXIT (orphan), ENTER (unclosed). */
    public static final int EVENTS = 6;
    public static final int CALLS = 2;
    public static final int UNCLOSED = 1;

    private HostileTrace()
    {
    }

    public static void write(final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 4096, 8, 1))
        {
            trace.defineMethod(INIT, "com.evil.Widget<T>", "<init>", "(Ljava/lang/String;)V");
            trace.defineMethod(RUN, "com.evil.Widget<T>", "run&go", "()V");
            trace.defineMethod(BEFORE, "com.evil.Widget<T>", "before", "()V");
            trace.defineClass(ERROR, ERROR_NAME);
            final Thread thread = Thread.ofPlatform().name(THREAD_NAME).unstarted(() ->
            {
                trace.exit(BEFORE);
                trace.enter(INIT);
                trace.exit(INIT);
                trace.enter(RUN);
                trace.raise(RUN, ERROR);
                trace.enter(RUN);
            });
            trace.defineThread(thread.threadId(), THREAD_NAME, false);
            thread.start();
            thread.join();
        }
    }
}

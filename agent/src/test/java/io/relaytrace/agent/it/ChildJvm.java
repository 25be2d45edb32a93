package io.relaytrace.agent.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A child JVM running the test workload, its stdout and stderr collected line by line. Either run to
 * completion ({@link #run}) or driven through stdin ({@link #start}, {@link #send}, {@link #awaitLine}).
 */
final class ChildJvm
{
    static final Path AGENT_JAR = Path.of(System.getProperty("relaytrace.agent.jar", "target/relaytrace-agent.jar"));
    static final Path TEST_CLASSES = Path.of(System.getProperty("relaytrace.test.classes", "target/test-classes"));
    static final String WORKLOAD = "com.acme.workload.Workload";
    /**
     * What HotSpot prints when a class-data-sharing JVM gets its boot class path appended at run
     * time, as the agent does with the boot jar it carries (see the module's README); every test
     * asserts it exactly where it is due, so that the agent's own output stays exactly known.
     */
    static final String JVM_CDS_NOTICE = "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader " +
        "classes because bootstrap classpath has been appended";

    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final Writer stdin;
    private final Thread outReader;
    private final Thread errReader;

    private ChildJvm(final Process process)
    {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.outReader = collect(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), stdout, stdoutLines);
        this.errReader = collect(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), stderr, null);
    }

    /**
     * @param jdk         the JVM to run.
     * @param agentOptions options after {@code -javaagent:jar=}, or null for no agent.
     * @param args        the workload's arguments.
     */
    static ChildJvm start(final Jdk jdk, final String agentOptions, final String... args) throws IOException
    {
        return start(jdk, List.of(), AGENT_JAR, agentOptions, List.of(TEST_CLASSES), WORKLOAD, args);
    }

    /** The workload without agent, in another working directory. */
    static ChildJvm startIn(final Path workingDirectory, final Jdk jdk, final String... args) throws IOException
    {
        return new ChildJvm(new ProcessBuilder(command(jdk, List.of(), AGENT_JAR, null, List.of(TEST_CLASSES), WORKLOAD, args))
            .directory(workingDirectory.toFile()).start());
    }

    /**
     * @param jdk          the JVM to run.
     * @param jvmOptions   options for the JVM.
     * @param agentJar     the agent jar.
     * @param agentOptions options after {@code -javaagent:jar=}, or null for no agent.
     * @param classpath    the application's class path.
     * @param mainClass    the application.
     * @param args         its arguments.
     */
    static ChildJvm start(
        final Jdk jdk, final List<String> jvmOptions, final Path agentJar, final String agentOptions,
        final List<Path> classpath, final String mainClass, final String... args) throws IOException
    {
        return new ChildJvm(new ProcessBuilder(command(jdk, jvmOptions, agentJar, agentOptions, classpath, mainClass, args)).start());
    }

    /**
     * {@link #start(Jdk, List, Path, String, List, String, String...)} under a wrapper that executes
     * the JVM in its own process (so {@link #pid()} is the JVM's), e.g. {@code setpriv} to run it as
     * another user or {@code prlimit} to give it a resource limit.
     *
     * @param wrapper          the wrapper's command and options, before the JVM's command.
     * @param workingDirectory where the JVM runs (one the wrapper's user may enter).
     */
    static ChildJvm startWrapped(
        final List<String> wrapper, final Path workingDirectory, final Jdk jdk, final List<String> jvmOptions,
        final Path agentJar, final String agentOptions, final List<Path> classpath, final String mainClass,
        final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(wrapper);
        command.addAll(command(jdk, jvmOptions, agentJar, agentOptions, classpath, mainClass, args));
        return new ChildJvm(new ProcessBuilder(command).directory(workingDirectory.toFile()).start());
    }

    private static List<String> command(
        final Jdk jdk, final List<String> jvmOptions, final Path agentJar, final String agentOptions,
        final List<Path> classpath, final String mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(jdk.java());
        command.addAll(jvmOptions);
        if (agentOptions != null)
        {
            command.add("-javaagent:" + agentJar + "=" + agentOptions);
        }
        if (jdk.hasVirtualThreads())
        {
            command.add("-XX:+EnableDynamicAgentLoading"); // attach tests: no warning about dynamic loading
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command (not the workload) to completion, e.g. the agent's command-line tool. */
    static ChildJvm exec(final List<String> command) throws IOException, InterruptedException
    {
        return execIn(Path.of("").toAbsolutePath(), command, TIMEOUT_SECONDS);
    }

    /** Runs a command to completion, killing it after {@code timeoutSeconds} (e.g. the viewer on a big trace). */
    static ChildJvm exec(final List<String> command, final long timeoutSeconds) throws IOException, InterruptedException
    {
        return execIn(Path.of("").toAbsolutePath(), command, timeoutSeconds);
    }

    /** {@link #exec} in another working directory. */
    static ChildJvm execIn(final Path workingDirectory, final List<String> command) throws IOException, InterruptedException
    {
        return execIn(workingDirectory, command, TIMEOUT_SECONDS);
    }

    private static ChildJvm execIn(final Path workingDirectory, final List<String> command, final long timeoutSeconds)
        throws IOException, InterruptedException
    {
        final ChildJvm child = new ChildJvm(new ProcessBuilder(command).directory(workingDirectory.toFile()).start());
        child.stdin.close();
        child.await(timeoutSeconds);
        return child;
    }

    /** Runs {@code java -jar relaytrace-agent.jar ARGS} (attach, detach, status, dump, list) to completion. */
    static ChildJvm agentCommand(final Jdk jdk, final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(jdk.java(), "-jar", AGENT_JAR.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    static ChildJvm run(final Jdk jdk, final String agentOptions, final String... args) throws IOException, InterruptedException
    {
        return start(jdk, agentOptions, args).finish();
    }

    /** Closes stdin and waits for the end. */
    ChildJvm finish() throws IOException, InterruptedException
    {
        stdin.close();
        return await();
    }

    long pid()
    {
        return process.pid();
    }

    void send(final String line) throws IOException
    {
        stdin.write(line + "\n");
        stdin.flush();
    }

    void closeStdin() throws IOException
    {
        stdin.close();
    }

    /** @return the next stdout line, which must start with {@code prefix}, within the timeout. */
    String awaitLine(final String prefix) throws InterruptedException
    {
        final String line = stdoutLines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (line == null || !line.startsWith(prefix))
        {
            throw new AssertionError("expected a line starting '" + prefix + "', got '" + line + "'; stderr=" + stderr);
        }
        return line;
    }

    /** Waits for exit (killing the child after the timeout) and for its output to be read. */
    ChildJvm await() throws InterruptedException
    {
        return await(TIMEOUT_SECONDS);
    }

    private ChildJvm await(final long timeoutSeconds) throws InterruptedException
    {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("child pid=" + process.pid() + " still running after " + timeoutSeconds + " s; stderr=" + stderr);
        }
        outReader.join();
        errReader.join();
        return this;
    }

    /** Kills the child with SIGKILL, as {@code kill -9} does, and waits for it. */
    ChildJvm kill() throws InterruptedException
    {
        process.destroyForcibly();
        return await();
    }

    /** Kills the child now (a test that failed while it ran must not leave it behind). */
    void destroy()
    {
        process.destroyForcibly();
    }

    int exitCode()
    {
        return process.exitValue();
    }

    List<String> stdout()
    {
        return List.copyOf(stdout);
    }

    List<String> stderr()
    {
        return List.copyOf(stderr);
    }

    private static Thread collect(final BufferedReader reader, final List<String> into, final BlockingQueue<String> queue)
    {
        final Thread thread = new Thread(() ->
        {
            try (reader)
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    into.add(line);
                    if (queue != null)
                    {
                        queue.add(line);
                    }
                }
            }
            catch (final IOException ex)
            {
                into.add("<read failed: " + ex + ">");
            }
        }, "child-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

package io.relaytrace.viewer.fuzz;

import io.relaytrace.relay.RelayMode;
import io.relaytrace.viewer.CrashingWriter;
import io.relaytrace.viewer.HostileTrace;
import io.relaytrace.viewer.TraceWriterFixture;
import io.relaytrace.viewer.read.FileReport;
import io.relaytrace.viewer.read.Trace;
import io.relaytrace.viewer.read.TraceException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The viewer treats every input file as hostile: real traces, written by the runtime's own API
 * (and one left by a JVM that died with mapped buffers), mutated by {@link TraceMutator} with a fixed
 * seed, then read by the commands. For every input: no exception escapes, the exit status is a
 * documented one, stderr holds only the viewer's problem reports, no command allocates more than
 * {@link ViewerProbe#ALLOCATION_LIMIT} (a length field is never trusted for an allocation), and every
 * block no mutation touched is still read ({@link TraceMutator#expectedBlocks()}).
 * <p>
 * {@code relaytrace.fuzz.mutations} mutations (the pom's default for CI; more with the {@code slow}
 * profile), seed {@code relaytrace.fuzz.seed}; mutation {@code i} depends only on the seed and
 * {@code i}, so a failure names both and is replayed exactly. An input that made a command misbehave
 * is saved under {@code target/fuzz-failures/}; each one that found a bug goes into the regression
 * corpus ({@code src/test/resources/fuzz-corpus/}, named after what it found), which every run
 * replays through every command.
 */
class DecoderFuzzTest
{
    private static final long SEED = Long.getLong("relaytrace.fuzz.seed", 20261122L);
    private static final int MUTATIONS = Integer.getInteger("relaytrace.fuzz.mutations", 1000);
    private static final int MAX_REPORTED = 20;
    /** Mutation indices whose inputs are saved even when the viewer behaved: how corpus entries are made. */
    private static final String SAVE = System.getProperty("relaytrace.fuzz.save", "");
    /** Entries of the corpus that still make the viewer misbehave: a bug the lead must fix, then rename the entry. */
    private static final String OPEN_BUG = "open-bug-";

    /**
     * Bugs this test found and that are not fixed yet, each as the substrings the mutation's
     * description must all hold, then the substring of what went wrong: a mutated input that matches
     * one is counted and printed, not failed, so that the rest of the fuzzing keeps guarding the
     * build. Remove an entry once its bug is fixed (its input is in the corpus as {@code open-bug-*}).
     * Empty: the four found so far (scan windows sized by a hostile header's subbufSize, misplaced
     * blocks throwing in the CTF export, Dropped Before and Events Before going back) are fixed.
     */
    private static final List<List<String>> KNOWN_BUGS = List.of();

    @TempDir
    static Path seedsDir;
    private static final Map<String, Map<String, byte[]>> SEEDS = new LinkedHashMap<>();

    @BeforeAll
    static void writeSeeds() throws Exception
    {
        final Path mixed = seedsDir.resolve("mixed");
        writeMixed(mixed);
        final Path hostile = seedsDir.resolve("hostile");
        HostileTrace.write(hostile);
        final Path crashed = seedsDir.resolve("crashed-mmap");
        writeCrashed(crashed);
        for (final Path dir : List.of(mixed, hostile, crashed))
        {
            SEEDS.put(dir.getFileName().toString(), load(dir));
        }
    }

    /**
     * Two platform and two virtual threads, nested calls and exceptions, sub-buffers of 512 bytes
     * and a flush every 5 ms (many blocks, continuations), 2 CPU files, definitions of every kind.
     */
    private static void writeMixed(final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 512, 16, 2, RelayMode.DISCARD, 5))
        {
            trace.defineMethod(1, "fuzz.Outer", "run", "()V");
            trace.defineMethod(2, "fuzz.Inner", "step", "(I)J");
            trace.defineClass(3, "java.lang.IllegalStateException");
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                final Thread.Builder builder = t < 2 ? Thread.ofPlatform() : Thread.ofVirtual();
                threads.add(builder.name("fuzz-" + t).unstarted(() ->
                {
                    for (int i = 0; i < 40; i++)
                    {
                        trace.enter(1);
                        trace.enter(2);
                        if (i % 7 == 0)
                        {
                            trace.raise(2, 3);
                            Thread.yield();
                            trace.raise(1, 3);
                        }
                        else
                        {
                            trace.exit(2);
                            trace.exit(1);
                        }
                    }
                }));
            }
            for (final Thread thread : threads)
            {
                trace.defineThread(thread.threadId(), thread.getName(), thread.isVirtual());
                thread.start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }
    }

    /** A JVM that died with mapped buffers (as {@code MappedSalvageTest} runs it). */
    private static void writeCrashed(final Path dir) throws Exception
    {
        final List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
            "--add-exports", "java.base/jdk.internal.access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), dir.toString());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "crashing writer finished");
        assertEquals(0, child.exitValue(), output);
    }

    @Test
    void mutatedTracesNeverBreakTheViewer(@TempDir final Path scratch) throws Exception
    {
        final List<String> seedNames = new ArrayList<>(SEEDS.keySet());
        final List<String> failures = new ArrayList<>();
        int failed = 0;
        int known = 0;
        final List<String> save = List.of(SAVE.split(","));
        for (int i = 0; i < MUTATIONS; i++)
        {
            final String seedName = seedNames.get(i % seedNames.size());
            final TraceMutator mutator = new TraceMutator(SEEDS.get(seedName), new SplittableRandom(SEED ^ (i * 0x9E3779B97F4A7C15L)));
            mutator.mutate();
            final Path dir = write(mutator.files(), scratch.resolve("trace"));
            final List<String> wrong = new ArrayList<>();
            for (final String[] command : List.of(command("summary", dir, "--json"), rotating(i, dir, scratch)))
            {
                for (final String problem : ViewerProbe.run(command))
                {
                    wrong.add(label(command) + ": " + problem);
                }
            }
            wrong.addAll(blocksStillRead(dir, mutator.expectedBlocks()));
            final String where = "seed=" + SEED + " mutation=" + i + " of " + seedName + " (" + mutator.description() + ")";
            if (save.contains(Integer.toString(i)))
            {
                save(mutator.files(), "m" + i + "-" + seedName, where + "\n" + String.join("\n", wrong));
            }
            if (wrong.removeIf(problem -> isKnownBug(mutator.description(), problem)))
            {
                known++;
            }
            if (!wrong.isEmpty())
            {
                failed++;
                save(mutator.files(), "m" + i + "-" + seedName, where + "\n" + String.join("\n", wrong));
                if (failures.size() < MAX_REPORTED)
                {
                    failures.add(where + ": " + wrong);
                }
            }
        }
        System.out.println("fuzz: " + MUTATIONS + " mutations, seed=" + SEED + ", failed=" + failed + ", known bugs hit=" + known);
        assertEquals(List.of(), failures, failed + " of " + MUTATIONS + " mutated traces made the viewer misbehave");
    }

    /** Every input of the regression corpus, through every command (the open bugs' inputs apart: see below). */
    @Test
    void regressionCorpusIsReadByEveryCommand(@TempDir final Path scratch) throws Exception
    {
        final List<Path> entries = corpus(false);
        assertTrue(entries.size() >= 15, "corpus entries: " + entries);
        assertEquals(List.of(), replay(entries, scratch));
    }

    /**
     * The inputs of bugs found and not yet fixed ({@code open-bug-*} in the corpus), none today: a new
     * one gets the prefix and this test is disabled (its bug in {@link #KNOWN_BUGS}) until it is fixed;
     * then the prefix is dropped, so that the test above replays it.
     */
    @Test
    void openBugInputsAreReadByEveryCommand(@TempDir final Path scratch) throws Exception
    {
        assertEquals(List.of(), replay(corpus(true), scratch));
    }

    private static List<String> replay(final List<Path> entries, final Path scratch) throws IOException
    {
        final List<String> failures = new ArrayList<>();
        for (final Path entry : entries)
        {
            final Path dir = write(load(entry), scratch.resolve("trace"));
            for (int c = 0; c < ROTATING_COMMANDS + 1; c++)
            {
                final String[] command = c == ROTATING_COMMANDS ? command("summary", dir, "--json") : rotating(c, dir, scratch);
                for (final String problem : ViewerProbe.run(command))
                {
                    failures.add(entry.getFileName() + ": " + label(command) + ": " + problem);
                }
            }
        }
        return failures;
    }

    private static boolean isKnownBug(final String mutation, final String problem)
    {
        return KNOWN_BUGS.stream().anyMatch(bug -> problem.contains(bug.get(bug.size() - 1)) &&
            bug.subList(0, bug.size() - 1).stream().allMatch(mutation::contains));
    }

    /** @return the command and its options, without the paths. */
    private static String label(final String[] command)
    {
        final StringBuilder label = new StringBuilder(command[0]);
        for (int i = 2; i < command.length; i++)
        {
            if (!"-o".equals(command[i - 1]) && !"-o".equals(command[i]))
            {
                label.append(' ').append(command[i]);
            }
        }
        return label.toString();
    }

    private static final int ROTATING_COMMANDS = 11;

    /** The other read paths, one per mutation in turn. */
    private static String[] rotating(final int i, final Path dir, final Path scratch) throws IOException
    {
        return switch (i % ROTATING_COMMANDS)
        {
            case 0 -> command("check", dir);
            case 1 -> command(i / ROTATING_COMMANDS % 2 == 0 ? "events" : "summary", dir);
            case 2 -> command("events", dir, "--include-thread-records");
            case 3 -> command("tree", dir);
            case 4 -> command("tree", dir, "--merged");
            case 5 -> command("threads", dir);
            case 6 -> command("export", dir, "--format", "collapsed");
            case 7 -> command("export", dir, "--format", "hgrm");
            case 8 -> command("export", dir, "--format", "chrome");
            case 9 -> command("export", dir, "--format", "ctf", "-o", emptyDirectory(scratch.resolve("ctf")).toString());
            default -> command("report", dir, "-o", scratch.resolve("report.html").toString());
        };
    }

    private static String[] command(final String name, final Path dir, final String... options)
    {
        final String[] command = new String[2 + options.length];
        command[0] = name;
        command[1] = dir.toString();
        System.arraycopy(options, 0, command, 2, options.length);
        return command;
    }

    /** Every block the mutations left alone is still read (the header unchanged). */
    private static List<String> blocksStillRead(final Path dir, final Map<String, Integer> expected)
    {
        if (expected.isEmpty())
        {
            return List.of();
        }
        final Trace trace;
        try
        {
            trace = Trace.open(dir);
        }
        catch (final TraceException | IOException | RuntimeException ex)
        {
            return List.of("Trace.open with the header intact: " + ex);
        }
        final List<String> wrong = new ArrayList<>();
        for (final FileReport file : trace.files())
        {
            final Integer least = expected.get(file.name());
            if (least != null && file.blocks() < least)
            {
                wrong.add("intact blocks lost: " + file.name() + " read " + file.blocks() + " blocks, at least " + least + " untouched");
            }
        }
        return wrong;
    }

    private static List<Path> corpus(final boolean openBugs) throws IOException, URISyntaxException
    {
        final Path root = Path.of(DecoderFuzzTest.class.getResource("/fuzz-corpus").toURI());
        try (Stream<Path> entries = Files.list(root))
        {
            return entries.filter(Files::isDirectory)
                .filter(entry -> entry.getFileName().toString().startsWith(OPEN_BUG) == openBugs).sorted().toList();
        }
    }

    private static Map<String, byte[]> load(final Path dir) throws IOException
    {
        final Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(dir))
        {
            for (final Path p : paths.toList())
            {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    /** Writes the files into {@code dir}, emptied first. */
    private static Path write(final Map<String, byte[]> files, final Path dir) throws IOException
    {
        emptyDirectory(dir);
        for (final Map.Entry<String, byte[]> e : files.entrySet())
        {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        return dir;
    }

    private static Path emptyDirectory(final Path dir) throws IOException
    {
        if (Files.exists(dir))
        {
            try (Stream<Path> paths = Files.list(dir))
            {
                for (final Path p : paths.toList())
                {
                    Files.delete(p);
                }
            }
        }
        else
        {
            Files.createDirectories(dir);
        }
        return dir;
    }

    /** Keeps a failing input for the corpus: {@code target/fuzz-failures/NAME/} and {@code NAME.txt}. */
    private static void save(final Map<String, byte[]> files, final String name, final String why) throws IOException
    {
        final Path root = Path.of("target", "fuzz-failures");
        write(files, root.resolve(name));
        Files.writeString(root.resolve(name + ".txt"), why + "\n");
    }
}

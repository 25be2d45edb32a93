package io.relaytrace.agent.config;

import io.relaytrace.relay.RelayChannel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the agent's options: {@code key=value} pairs separated by commas, as given after
 * {@code -javaagent:relaytrace-agent.jar=} or to {@code attach}.
 * <pre>
 *   include=PATTERN        repeatable, at least one; PATTERN is class-glob[::method-glob]
 *   exclude=PATTERN        repeatable; wins over include
 *   output=DIR             default relaytrace-yyyyMMdd-HHmmss-PID in the working directory
 *   mode=discard|overwrite|flight-recorder                   default discard
 *   subbuf-size=SIZE       bytes, k or m suffix               default 256k
 *   subbufs=N              sub-buffers per buffer             default 8
 *   flush-interval=DURATION  ms or s suffix (bare: ms)        default 1s
 *   cpus=N                 output files / CPU slots           default available processors
 *   buffers=heap|mmap                                         default heap
 *   clock=auto|nanotime    auto: the CPU's time-stamp counter where safe  default auto
 *   config=FILE            the same keys, one per line; # starts a comment
 * </pre>
 * A single-valued key given twice keeps the last value, so command-line options after
 * {@code config=} override the file. Example:
 * {@code include=com.acme.**,exclude=com.acme.internal.**,output=/tmp/t1,subbuf-size=1m}.
 * <p>
 * Every error is an {@link OptionsException} whose message is one line naming the problem and
 * what is accepted.
 */
public final class OptionsParser
{
    static final int DEFAULT_SUBBUF_SIZE = 256 * 1024;
    static final int DEFAULT_SUBBUFS = 8;
    static final long DEFAULT_FLUSH_INTERVAL_MILLIS = 1000;
    static final String KEYS = "include, exclude, output, mode, subbuf-size, subbufs, flush-interval, cpus, buffers, clock, config";

    /** The pid {@link #forThisJvm} gives: this JVM's, asked only if the default output is needed. */
    private static final long THIS_JVM = -1;

    private final Instant now;
    private final long pid;
    private final int availableProcessors;

    /**
     * @param now                 when the trace starts, for the default output directory's name.
     * @param pid                 this process, for the same; -1 for this JVM's, asked when needed.
     * @param availableProcessors the default of {@code cpus}.
     */
    public OptionsParser(final Instant now, final long pid, final int availableProcessors)
    {
        this.now = now;
        this.pid = pid;
        this.availableProcessors = availableProcessors;
    }

    /** @return a parser for this JVM, now. */
    public static OptionsParser forThisJvm()
    {
        return new OptionsParser(Instant.now(), THIS_JVM, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param text the options; null or empty is an error (no include).
     * @return the checked options.
     * @throws OptionsException on the first problem found.
     */
    public AgentOptions parse(final String text) throws OptionsException
    {
        final Values values = new Values();
        final List<String> given = new ArrayList<>();
        if (text != null && !text.isBlank())
        {
            for (final String entry : text.split(",", -1))
            {
                apply(entry.trim(), values, given, false);
            }
        }
        // The default output only when none is given: the local time zone it is named in costs the
        // application's start about 15 ms of loading the zone rules.
        if (values.output == null)
        {
            values.output = defaultOutput();
        }
        return values.build(String.join(",", given), availableProcessors);
    }

    private Path defaultOutput()
    {
        final long process = pid == THIS_JVM ? ProcessHandle.current().pid() : pid;
        return Path.of("relaytrace-" + Stamp.FORMAT.format(now.atZone(ZoneId.systemDefault())) + "-" + process).toAbsolutePath();
    }

    private void apply(final String entry, final Values values, final List<String> given, final boolean inConfig)
        throws OptionsException
    {
        if (entry.isEmpty())
        {
            throw new OptionsException("empty option (two commas in a row?); expected key=value with key one of: " + KEYS);
        }
        final int eq = entry.indexOf('=');
        if (eq <= 0)
        {
            throw new OptionsException("option '" + entry + "' is not key=value; keys: " + KEYS);
        }
        final String key = entry.substring(0, eq).trim();
        final String value = entry.substring(eq + 1).trim();
        if (value.isEmpty())
        {
            throw new OptionsException(key + "= has no value; expected " + key + "=VALUE");
        }
        if (!"config".equals(key))
        {
            given.add(key + "=" + value);
        }
        switch (key)
        {
            case "include":
                values.includes.add(MethodPattern.parse(key, value));
                break;
            case "exclude":
                values.excludes.add(MethodPattern.parse(key, value));
                break;
            case "output":
                values.output = path(key, value);
                break;
            case "mode":
                values.mode = TraceMode.fromOption(value);
                if (values.mode == null)
                {
                    throw new OptionsException("mode=" + value + " is not a mode; accepted: discard, overwrite, flight-recorder");
                }
                break;
            case "subbuf-size":
                values.subbufSize = size(key, value);
                break;
            case "subbufs":
                values.subbufs = count(key, value, 1, Integer.MAX_VALUE);
                break;
            case "flush-interval":
                values.flushIntervalMillis = duration(key, value);
                break;
            case "cpus":
                values.cpus = count(key, value, 1, 4096);
                break;
            case "buffers":
                if (!"heap".equals(value) && !"mmap".equals(value))
                {
                    throw new OptionsException("buffers=" + value + " is not a buffer kind; accepted: heap, mmap");
                }
                values.mappedBuffers = "mmap".equals(value);
                break;
            case "clock":
                if (!"auto".equals(value) && !"nanotime".equals(value))
                {
                    throw new OptionsException("clock=" + value + " is not a clock; accepted: auto, nanotime");
                }
                values.tscAllowed = "auto".equals(value);
                break;
            case "config":
                if (inConfig)
                {
                    throw new OptionsException("config=" + value + " inside a config file; config files cannot include others");
                }
                readConfig(value, values, given);
                break;
            default:
                throw new OptionsException("unknown option '" + key + "'; accepted keys: " + KEYS);
        }
    }

    private void readConfig(final String file, final Values values, final List<String> given) throws OptionsException
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(path("config", file), StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new OptionsException("config=" + file + " cannot be read (" + ex.getClass().getSimpleName() +
                "); expected a readable file of key=value lines");
        }
        for (final String line : lines)
        {
            final String entry = line.trim();
            if (!entry.isEmpty() && !entry.startsWith("#"))
            {
                apply(entry, values, given, true);
            }
        }
    }

    private static Path path(final String key, final String value) throws OptionsException
    {
        try
        {
            return Path.of(value).toAbsolutePath();
        }
        catch (final InvalidPathException ex)
        {
            throw new OptionsException(key + "=" + value + " is not a valid path; expected a file system path");
        }
    }

    /** Bytes with an optional k or m suffix (binary: 1k = 1024). */
    static int size(final String key, final String value) throws OptionsException
    {
        final String lower = value.toLowerCase(Locale.ROOT);
        final long unit = lower.endsWith("k") ? 1024L : lower.endsWith("m") ? 1024L * 1024 : 1;
        final String digits = unit == 1 ? lower : lower.substring(0, lower.length() - 1);
        final long bytes = digitsOrMinus(digits) * unit;
        if (bytes < RelayChannel.MIN_SUBBUF_SIZE || bytes > Integer.MAX_VALUE)
        {
            throw new OptionsException(key + "=" + value + " is not a size from " + RelayChannel.MIN_SUBBUF_SIZE +
                " bytes to 2047m; expected bytes with an optional k or m suffix, e.g. 256k");
        }
        return (int)bytes;
    }

    /** Milliseconds: a number with an ms or s suffix; a bare number is milliseconds. */
    static long duration(final String key, final String value) throws OptionsException
    {
        final String lower = value.toLowerCase(Locale.ROOT);
        final long millis;
        if (lower.endsWith("ms"))
        {
            millis = digitsOrMinus(lower.substring(0, lower.length() - 2));
        }
        else if (lower.endsWith("s"))
        {
            final long seconds = digitsOrMinus(lower.substring(0, lower.length() - 1));
            millis = seconds > Long.MAX_VALUE / 1000 ? -1 : seconds * 1000;
        }
        else
        {
            millis = digitsOrMinus(lower);
        }
        if (millis <= 0)
        {
            throw new OptionsException(key + "=" + value + " is not a positive duration; expected a number with ms or s, " +
                "e.g. 500ms or 1s");
        }
        return millis;
    }

    private static int count(final String key, final String value, final int min, final int max) throws OptionsException
    {
        final long n = digitsOrMinus(value);
        if (n < min || n > max)
        {
            throw new OptionsException(key + "=" + value + " is not a whole number from " + min + " to " + max);
        }
        return (int)n;
    }

    /** @return the value of a string of 1 to 12 decimal digits, or -1 for anything else. */
    private static long digitsOrMinus(final String digits)
    {
        if (digits.isEmpty() || digits.length() > 12)
        {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++)
        {
            final char c = digits.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The default output's time stamp, initialised on first use: the formatter costs the agent's start several ms. */
    private static final class Stamp
    {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    }

    /** The values seen so far; checked as a whole by {@link #build}. */
    private static final class Values
    {
        final List<MethodPattern> includes = new ArrayList<>();
        final List<MethodPattern> excludes = new ArrayList<>();
        Path output;
        TraceMode mode = TraceMode.DISCARD;
        int subbufSize = DEFAULT_SUBBUF_SIZE;
        int subbufs = DEFAULT_SUBBUFS;
        long flushIntervalMillis = DEFAULT_FLUSH_INTERVAL_MILLIS;
        int cpus;
        boolean mappedBuffers;
        boolean tscAllowed = true;

        AgentOptions build(final String text, final int defaultCpus) throws OptionsException
        {
            if (includes.isEmpty())
            {
                throw new OptionsException("no include= given; give at least one include=PATTERN such as " +
                    "include=com.acme.** or include=com.acme.Cart::add*");
            }
            if ((long)subbufSize * subbufs > Integer.MAX_VALUE - 64)
            {
                throw new OptionsException("subbuf-size=" + subbufSize + " times subbufs=" + subbufs +
                    " is 2 GiB or more; a buffer must stay under 2 GiB");
            }
            return new AgentOptions(text, includes, excludes, output, mode,
                subbufSize, subbufs, flushIntervalMillis, cpus == 0 ? Math.min(Math.max(defaultCpus, 1), 4096) : cpus,
                mappedBuffers, tscAllowed);
        }
    }
}

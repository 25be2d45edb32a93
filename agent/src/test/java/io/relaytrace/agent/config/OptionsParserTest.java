package io.relaytrace.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsParserTest
{
    private static final Instant NOW = ZonedDateTime.of(2026, 3, 4, 5, 6, 7, 0, ZoneId.systemDefault()).toInstant();
    private final OptionsParser parser = new OptionsParser(NOW, 4242, 6);

    private AgentOptions parse(final String text) throws OptionsException
    {
        return parser.parse(text);
    }

    private String error(final String text)
    {
        return assertThrows(OptionsException.class, () -> parser.parse(text)).getMessage();
    }

    @Test
    void defaults() throws OptionsException
    {
        final AgentOptions options = parse("include=com.acme.**");
        assertEquals(Path.of("relaytrace-20260304-050607-4242").toAbsolutePath(), options.output());
        assertEquals(TraceMode.DISCARD, options.mode());
        assertEquals(256 * 1024, options.subbufSize());
        assertEquals(8, options.subbufs());
        assertEquals(1000, options.flushIntervalMillis());
        assertEquals(6, options.cpus());
        assertFalse(options.mappedBuffers());
        assertTrue(options.tscAllowed());
        assertEquals("include=com.acme.**", options.text());
    }

    @Test
    void everyKey() throws OptionsException
    {
        final AgentOptions options = parse("include=com.acme.**, exclude=com.acme.internal.**,output=/tmp/t1," +
            "mode=flight-recorder,subbuf-size=1m,subbufs=4,flush-interval=250ms,cpus=3,buffers=mmap,clock=nanotime");
        assertEquals(Path.of("/tmp/t1"), options.output());
        assertEquals(TraceMode.FLIGHT_RECORDER, options.mode());
        assertEquals(1024 * 1024, options.subbufSize());
        assertEquals(4, options.subbufs());
        assertEquals(250, options.flushIntervalMillis());
        assertEquals(3, options.cpus());
        assertTrue(options.mappedBuffers());
        assertFalse(options.tscAllowed());
        assertEquals(1, options.includes().size());
        assertEquals(1, options.excludes().size());
    }

    @Test
    void sizesAndDurations() throws OptionsException
    {
        assertEquals(4096, OptionsParser.size("subbuf-size", "4096"));
        assertEquals(64 * 1024, OptionsParser.size("subbuf-size", "64K"));
        assertEquals(2 * 1024 * 1024, OptionsParser.size("subbuf-size", "2m"));
        assertEquals(112, OptionsParser.size("subbuf-size", "112"));
        assertEquals(2000, OptionsParser.duration("flush-interval", "2s"));
        assertEquals(15, OptionsParser.duration("flush-interval", "15ms"));
        assertEquals(40, OptionsParser.duration("flush-interval", "40"));
        assertEquals(TraceMode.OVERWRITE, parse("include=a.B,mode=overwrite").mode());
    }

    @Test
    void lastSingleValueWins() throws OptionsException
    {
        assertEquals(16, parse("include=a.**,subbufs=2,subbufs=16").subbufs());
    }

    @Test
    void classGlobs() throws OptionsException
    {
        final AgentOptions options = parse("include=com.acme.**");
        assertTrue(options.tracesClass("com.acme.Cart"));
        assertTrue(options.tracesClass("com.acme.shop.deep.Cart$Item"));
        assertFalse(options.tracesClass("com.acmeX.Cart"));
        assertFalse(options.tracesClass("org.acme.Cart"));

        final AgentOptions oneLevel = parse("include=com.acme.*");
        assertTrue(oneLevel.tracesClass("com.acme.Cart"));
        assertTrue(oneLevel.tracesClass("com.acme.Cart$Item"));
        assertFalse(oneLevel.tracesClass("com.acme.shop.Cart"));

        final AgentOptions middle = parse("include=com.**.Cart");
        assertTrue(middle.tracesClass("com.Cart"));
        assertTrue(middle.tracesClass("com.acme.shop.Cart"));
        assertFalse(middle.tracesClass("com.acme.shop.Carts"));

        final AgentOptions partial = parse("include=com.acme.Ca?t*");
        assertTrue(partial.tracesClass("com.acme.Cart"));
        assertTrue(partial.tracesClass("com.acme.Cast"));
        assertTrue(partial.tracesClass("com.acme.Carton"));
        assertFalse(partial.tracesClass("com.acme.Ct"));
    }

    @Test
    void methodGlobsAndExcludeWins() throws OptionsException
    {
        final AgentOptions options = parse("include=com.acme.Cart::add*,include=com.acme.shop.**," +
            "exclude=com.acme.shop.Secret,exclude=com.acme.shop.*::get*");
        assertTrue(options.tracesClass("com.acme.Cart"));
        assertTrue(options.tracesMethod("com.acme.Cart", "add"));
        assertTrue(options.tracesMethod("com.acme.Cart", "addAll"));
        assertFalse(options.tracesMethod("com.acme.Cart", "remove"));
        assertFalse(options.tracesMethod("com.acme.Cart", "<init>"));

        assertTrue(options.tracesMethod("com.acme.shop.Order", "<init>"));
        assertTrue(options.tracesMethod("com.acme.shop.Order", "total"));
        assertFalse(options.tracesMethod("com.acme.shop.Order", "getTotal"));
        assertTrue(options.tracesClass("com.acme.shop.Order"));

        assertFalse(options.tracesClass("com.acme.shop.Secret"));
        assertFalse(options.tracesMethod("com.acme.shop.Secret", "total"));
    }

    @Test
    void configFile(@TempDir final Path dir) throws IOException, OptionsException
    {
        final Path file = dir.resolve("trace.conf");
        Files.write(file, List.of("# relaytrace options", "", "include=com.acme.**", "  subbufs = 3 ", "mode=overwrite"));
        final AgentOptions options = parse("config=" + file + ",subbufs=5");
        assertEquals(5, options.subbufs());
        assertEquals(TraceMode.OVERWRITE, options.mode());
        assertTrue(options.tracesClass("com.acme.Cart"));
        assertEquals("include=com.acme.**,subbufs=3,mode=overwrite,subbufs=5", options.text());
    }

    @Test
    void errorsNameTheProblemAndWhatIsAccepted(@TempDir final Path dir) throws IOException
    {
        assertEquals("no include= given; give at least one include=PATTERN such as include=com.acme.** or " +
            "include=com.acme.Cart::add*", error(""));
        assertEquals("no include= given; give at least one include=PATTERN such as include=com.acme.** or " +
            "include=com.acme.Cart::add*", error(null));
        assertEquals("unknown option 'colour'; accepted keys: include, exclude, output, mode, subbuf-size, subbufs, " +
            "flush-interval, cpus, buffers, clock, config", error("include=a.**,colour=red"));
        assertEquals("mode=fast is not a mode; accepted: discard, overwrite, flight-recorder",
            error("include=a.**,mode=fast"));
        assertEquals("subbuf-size=12q is not a size from 112 bytes to 2047m; expected bytes with an optional k or m " +
            "suffix, e.g. 256k", error("include=a.**,subbuf-size=12q"));
        assertEquals("subbuf-size=100 is not a size from 112 bytes to 2047m; expected bytes with an optional k or m " +
            "suffix, e.g. 256k", error("include=a.**,subbuf-size=100"));
        assertEquals("subbufs=0 is not a whole number from 1 to 2147483647", error("include=a.**,subbufs=0"));
        assertEquals("cpus=5000 is not a whole number from 1 to 4096", error("include=a.**,cpus=5000"));
        assertEquals("flush-interval=0s is not a positive duration; expected a number with ms or s, e.g. 500ms or 1s",
            error("include=a.**,flush-interval=0s"));
        assertEquals("flush-interval=1h is not a positive duration; expected a number with ms or s, e.g. 500ms or 1s",
            error("include=a.**,flush-interval=1h"));
        assertEquals("buffers=disk is not a buffer kind; accepted: heap, mmap", error("include=a.**,buffers=disk"));
        assertEquals("clock=rdtsc is not a clock; accepted: auto, nanotime", error("include=a.**,clock=rdtsc"));
        assertEquals("option 'verbose' is not key=value; keys: include, exclude, output, mode, subbuf-size, subbufs, " +
            "flush-interval, cpus, buffers, clock, config", error("include=a.**,verbose"));
        assertEquals("output= has no value; expected output=VALUE", error("include=a.**,output="));
        assertEquals("empty option (two commas in a row?); expected key=value with key one of: include, exclude, " +
            "output, mode, subbuf-size, subbufs, flush-interval, cpus, buffers, clock, config", error("include=a.**,,mode=discard"));
        assertEquals("include=com..acme is not a valid pattern; expected class-glob[::method-glob] such as " +
            "com.acme.** or com.acme.Cart::add* (* within one name, ** any depth)", error("include=com..acme"));
        assertEquals("exclude=com.acme::a-b is not a valid pattern; expected class-glob[::method-glob] such as " +
            "com.acme.** or com.acme.Cart::add* (* within one name, ** any depth)", error("include=a.**,exclude=com.acme::a-b"));
        assertEquals("subbuf-size=1048576 times subbufs=2048 is 2 GiB or more; a buffer must stay under 2 GiB",
            error("include=a.**,subbuf-size=1m,subbufs=2048"));

        final Path missing = dir.resolve("missing.conf");
        assertEquals("config=" + missing + " cannot be read (NoSuchFileException); expected a readable file of key=value lines",
            error("include=a.**,config=" + missing));
        final Path nested = dir.resolve("nested.conf");
        Files.write(nested, List.of("config=other.conf"));
        assertEquals("config=other.conf inside a config file; config files cannot include others",
            error("config=" + nested));
    }
}

package io.relaytrace.agent.instrument;

import com.acme.shapes.Bytecode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What the transformer decides before parsing (loader and name), and what it does with a class it
 * cannot instrument: leaves it as it was, counts it, and says so in one line on stderr, once.
 */
class TracingTransformerTest
{
    private static final String INTERNAL_NAME = Bytecode.class.getName().replace('.', '/');
    private static final byte[] NOT_A_CLASS_FILE = {1, 2, 3};

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalStderr;
    private TraceProbe probe;
    private TracingTransformer transformer;

    @BeforeEach
    void open() throws IOException
    {
        probe = new TraceProbe();
        transformer = new TracingTransformer(TraceProbe.options("include=com.acme.**"), probe.ids,
            TransformFailures.instrumenting());
        originalStderr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close()
    {
        System.setErr(originalStderr);
        probe.close();
    }

    @Test
    void decidesFromLoaderAndNameBeforeParsing()
    {
        final ClassLoader loader = getClass().getClassLoader();
        assertNull(transformer.transform(null, INTERNAL_NAME, null, null, NOT_A_CLASS_FILE), "bootstrap loader");
        assertNull(transformer.transform(loader, null, null, null, NOT_A_CLASS_FILE), "no name");
        assertNull(transformer.transform(loader, "com/other/Cart", null, null, NOT_A_CLASS_FILE), "not included");
        assertNull(transformer.transform(loader, "io/relaytrace/agent/Agent", null, null, NOT_A_CLASS_FILE), "never traced");
        assertEquals(0, transformer.failures().count());
        assertEquals("", stderr.toString(StandardCharsets.UTF_8));

        assertNotNull(transformer.transform(loader, INTERNAL_NAME, null, null, TraceProbe.classFile(Bytecode.class)));
        assertEquals(0, transformer.failures().count());
    }

    @Test
    void classThatCannotBeInstrumentedIsLeftAsItWasCountedAndReportedOnce()
    {
        final ClassLoader loader = getClass().getClassLoader();
        final byte[] future = Arrays.copyOf(TraceProbe.classFile(Bytecode.class), TraceProbe.classFile(Bytecode.class).length);
        future[6] = 0;
        future[7] = 99;

        assertNull(transformer.transform(loader, INTERNAL_NAME, null, null, future));
        assertNull(transformer.transform(loader, "com/acme/Broken", null, null, NOT_A_CLASS_FILE));
        assertEquals(2, transformer.failures().count());
        assertEquals(List.of("relaytrace: cannot instrument com.acme.shapes.Bytecode (java.lang.IllegalArgumentException: " +
                "Unsupported class file version 99.0); it runs untraced, further such failures are only counted"),
            stderr.toString(StandardCharsets.UTF_8).lines().toList());
    }
}

package io.relaytrace.viewer.read;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.viewer.analysis.MethodStats;
import io.relaytrace.viewer.analysis.MethodSummary;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.relaytrace.event.EventDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code follow} may read a method's events before its definition (the global buffer is flushed on
 * its own schedule): the method is named once the definition is read, not kept as unknown.
 */
class LateDefinitionTest
{
    private static void define(final Definitions definitions, final int id, final String className, final String name,
        final String descriptor)
    {
        final byte[] c = className.getBytes(StandardCharsets.UTF_8);
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final byte[] d = descriptor.getBytes(StandardCharsets.UTF_8);
        final int length = METHOD_DEF_STRINGS_OFFSET + c.length + n.length + d.length;
        final ByteBuffer m = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        m.putInt(0, header(METHOD_DEF, length));
        m.putInt(METHOD_DEF_ID_OFFSET, id);
        m.putShort(METHOD_DEF_CLASS_LEN_OFFSET, (short)c.length);
        m.putShort(METHOD_DEF_NAME_LEN_OFFSET, (short)n.length);
        m.putShort(METHOD_DEF_DESC_LEN_OFFSET, (short)d.length);
        m.putShort(METHOD_DEF_ACCESS_OFFSET, (short)1);
        m.put(METHOD_DEF_STRINGS_OFFSET, c);
        m.put(METHOD_DEF_STRINGS_OFFSET + c.length, n);
        m.put(METHOD_DEF_STRINGS_OFFSET + c.length + n.length, d);
        assertNull(definitions.decode(m, 0));
    }

    private static void call(final CallStacks stacks, final int methodId, final long start, final long end)
    {
        final TraceEvent e = new TraceEvent();
        e.threadId = 7;
        e.carrierId = 7;
        e.methodId = methodId;
        e.type = EventDescriptor.ENTER;
        e.timestamp = start;
        stacks.accept(e);
        e.type = EventDescriptor.EXIT;
        e.timestamp = end;
        stacks.accept(e);
    }

    @Test
    void aMethodDefinedAfterItsFirstEventsIsNamedAndMergedWithItsOtherIds()
    {
        final Definitions definitions = new Definitions();
        final MethodSummary summary = new MethodSummary(definitions);
        final CallStacks stacks = new CallStacks(summary);
        define(definitions, 11, "com.acme.Job", "work", "(I)V");
        call(stacks, 11, 100, 110);
        call(stacks, 12, 200, 230);   // another class loader's copy, not defined yet
        call(stacks, 13, 300, 301);   // never defined
        assertEquals(List.of("<unknown method #12>", "com.acme.Job.work(int)", "<unknown method #13>"),
            summary.byTotalTime().stream().map(MethodStats::name).toList());

        define(definitions, 12, "com.acme.Job", "work", "(I)V");
        call(stacks, 12, 400, 405);
        final List<MethodStats> methods = summary.byTotalTime();
        assertEquals(List.of("com.acme.Job.work(int)", "<unknown method #13>"), methods.stream().map(MethodStats::name).toList());
        assertEquals(3, methods.get(0).calls());
        assertEquals(10 + 30 + 5, methods.get(0).totalNanos());
        assertEquals(5, methods.get(0).minNanos());
        assertEquals(30, methods.get(0).maxNanos());
        assertEquals(3, methods.get(0).histogram().getTotalCount());
    }
}

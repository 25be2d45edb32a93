package io.relaytrace.agent.bootstrap;

import io.relaytrace.agent.testing.BufferRecords;
import io.relaytrace.event.EventDescriptor;
import io.relaytrace.relay.RelayBuffer;
import io.relaytrace.relay.RelayChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static io.relaytrace.event.EventDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The records a {@link Recorder} writes, read back from a buffer-only channel's memory. The virtual
 * thread test needs the carrier internals exported and one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1}, set in the module's surefire configuration).
 */
class RecorderTest
{
    private RelayChannel channel;
    private Recorder recorder;

    @BeforeEach
    void open() throws IOException
    {
        channel = RelayChannel.builder().geometry(64 * 1024, 4).cpus(1).open();
        recorder = new Recorder(channel, false);
    }

    @AfterEach
    void close()
    {
        channel.close();
    }

    @Test
    void definitionsThenEventsOfOnePlatformThread()
    {
        final Thread self = Thread.currentThread();
        final long before = System.nanoTime();
        final int add = recorder.defineMethod("com.acme.Cart", "add", "(Ljava/lang/String;I)V", 0x0001);
        final int remove = recorder.defineMethod("com.acme.Cart", "remove", "()V", 0x0009);
        recorder.enter(add);
        recorder.enter(remove);
        recorder.exitThrow(remove, new IllegalStateException("boom"));
        recorder.exitThrow(add, new IllegalStateException("again"));
        recorder.enter(remove);
        recorder.exit(remove);
        final long after = System.nanoTime();
        assertEquals(remove, add + 1, "ids in order of definition");

        final List<ByteBuffer> global = definitions();
        assertEquals(4, global.size());
        assertMethodDef(global.get(0), add, "com.acme.Cart", "add", "(Ljava/lang/String;I)V", 0x0001);
        assertMethodDef(global.get(1), remove, "com.acme.Cart", "remove", "()V", 0x0009);
        final ByteBuffer threadDef = global.get(2);
        assertEquals(THREAD_DEF, type(threadDef.getInt(0)));
        assertEquals(0, threadDef.getInt(THREAD_DEF_FLAGS_OFFSET));
        assertEquals(self.getId(), threadDef.getLong(THREAD_DEF_ID_OFFSET));
        assertEquals(self.getName(), string(threadDef, THREAD_DEF_NAME_OFFSET, threadDef.getShort(THREAD_DEF_NAME_LEN_OFFSET)));
        final ByteBuffer classDef = global.get(3);
        assertEquals(CLASS_DEF, type(classDef.getInt(0)));
        final int classId = classDef.getInt(CLASS_DEF_ID_OFFSET);
        assertEquals("java.lang.IllegalStateException", string(classDef, CLASS_DEF_NAME_OFFSET, classDef.getShort(CLASS_DEF_NAME_LEN_OFFSET)));

        final List<ByteBuffer> events = BufferRecords.of(channel.buffer());
        assertEquals(List.of(THREAD, ENTER, ENTER, THROW, THROW, ENTER, EXIT), types(events));
        assertEquals(self.getId(), events.get(0).getLong(THREAD_ID_OFFSET));
        assertEquals(List.of(add, remove, remove, add, remove, remove), methodIds(events.subList(1, events.size())));
        assertEquals(classId, events.get(3).getInt(EXCEPTION_CLASS_ID_OFFSET));
        assertEquals(classId, events.get(4).getInt(EXCEPTION_CLASS_ID_OFFSET), "one CLASS_DEF per class");
        long last = before;
        for (final ByteBuffer event : events)
        {
            final long timestamp = event.getLong(TIMESTAMP_OFFSET);
            assertTrue(timestamp >= last && timestamp <= after, "timestamps in order");
            last = timestamp;
        }
        assertEquals(0, recorder.failures());
        assertEquals(0, recorder.definitionsLost());
    }

    @Test
    void idsOfAnEarlierRecorderAreIgnored()
    {
        final int old = recorder.defineMethod("com.acme.Old", "run", "()V", 1);
        final Recorder later = new Recorder(channel, false);
        final int fresh = later.defineMethod("com.acme.New", "run", "()V", 1);
        later.enter(old);
        later.enter(fresh);
        later.exit(old);
        later.exit(fresh);
        assertEquals(List.of(THREAD, ENTER, EXIT), types(BufferRecords.of(channel.buffer())));
    }

    @Test
    void aFlightRecorderWritesItsMethodAndClassDefinitionsAgainAtTheEnd()
    {
        final Recorder keeping = new Recorder(channel, true);
        final int id = keeping.defineMethod("com.acme.Cart", "add", "()V", 1);
        keeping.enter(id);
        keeping.exitThrow(id, new IllegalStateException());
        assertEquals(2, keeping.rewriteDefinitions());
        assertEquals(List.of(METHOD_DEF, THREAD_DEF, CLASS_DEF, METHOD_DEF, CLASS_DEF), types(definitions()));
        assertThrows(IllegalStateException.class, () -> recorder.rewriteDefinitions(), "only a keeping recorder");
    }

    @Test
    void virtualThreadsTakingTurnsOnOneCarrierAreSeparatedByThreadRecords() throws Exception
    {
        Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        final int id = recorder.defineMethod("com.acme.Cart", "add", "()V", 1);
        final CountDownLatch secondDone = new CountDownLatch(1);
        final Thread first = Thread.ofVirtual().unstarted(() ->
        {
            recorder.enter(id);
            awaitQuietly(secondDone); // parks: the carrier runs the second thread meanwhile
            recorder.exit(id);
        });
        final Thread second = Thread.ofVirtual().unstarted(() ->
        {
            recorder.enter(id);
            recorder.exit(id);
            secondDone.countDown();
        });
        first.start();
        second.start();
        first.join();
        second.join();

        final List<RelayBuffer> carriers = new ArrayList<>();
        for (final RelayBuffer buffer : channel.buffers())
        {
            if (buffer.carrierId() != -1 && buffer.carrierId() != Thread.currentThread().getId())
            {
                carriers.add(buffer);
            }
        }
        assertEquals(1, carriers.size(), "one carrier: run with -Djdk.virtualThreadScheduler.parallelism=1");
        final List<ByteBuffer> events = BufferRecords.of(carriers.get(0));
        assertEquals(List.of(THREAD, ENTER, THREAD, ENTER, EXIT, THREAD, EXIT), types(events));
        assertEquals(first.getId(), events.get(0).getLong(THREAD_ID_OFFSET));
        assertEquals(second.getId(), events.get(2).getLong(THREAD_ID_OFFSET));
        assertEquals(first.getId(), events.get(5).getLong(THREAD_ID_OFFSET));
        assertEquals(FLAG_VIRTUAL, events.get(0).getInt(THREAD_FLAGS_OFFSET));

        int virtualDefs = 0;
        for (final ByteBuffer record : definitions())
        {
            if (type(record.getInt(0)) == THREAD_DEF && record.getInt(THREAD_DEF_FLAGS_OFFSET) == FLAG_VIRTUAL)
            {
                virtualDefs++;
            }
        }
        assertEquals(2, virtualDefs, "one THREAD_DEF per virtual thread");
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertMethodDef(
        final ByteBuffer record, final int id, final String cls, final String name, final String desc, final int access)
    {
        assertEquals(METHOD_DEF, type(record.getInt(0)));
        assertEquals(id, record.getInt(METHOD_DEF_ID_OFFSET));
        final int classLen = record.getShort(METHOD_DEF_CLASS_LEN_OFFSET);
        final int nameLen = record.getShort(METHOD_DEF_NAME_LEN_OFFSET);
        final int descLen = record.getShort(METHOD_DEF_DESC_LEN_OFFSET);
        assertEquals(cls, string(record, METHOD_DEF_STRINGS_OFFSET, classLen));
        assertEquals(name, string(record, METHOD_DEF_STRINGS_OFFSET + classLen, nameLen));
        assertEquals(desc, string(record, METHOD_DEF_STRINGS_OFFSET + classLen + nameLen, descLen));
        assertEquals(access, record.getShort(METHOD_DEF_ACCESS_OFFSET));
        assertEquals(METHOD_DEF_STRINGS_OFFSET + classLen + nameLen + descLen, EventDescriptor.length(record.getInt(0)));
    }

    private static List<Integer> types(final List<ByteBuffer> records)
    {
        final List<Integer> types = new ArrayList<>();
        records.forEach(record -> types.add(type(record.getInt(0))));
        return types;
    }

    private static List<Integer> methodIds(final List<ByteBuffer> records)
    {
        final List<Integer> ids = new ArrayList<>();
        records.forEach(record -> ids.add(record.getInt(METHOD_ID_OFFSET)));
        return ids;
    }

    private static String string(final ByteBuffer record, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        record.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return the global buffer's records, once the definitions staged so far are moved in (the flusher would, within a poll). */
    private List<ByteBuffer> definitions()
    {
        channel.moveStagedGlobal();
        return BufferRecords.of(channel.globalBuffer());
    }
}

package io.relaytrace.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/** The kernel's lifecycle rules, on a buffer-only channel read with a RelayReader. */
class RelayBufferLifecycleTest
{
    private static final int SUBBUF = HEADER_LENGTH + 64; // room for exactly 4 test events
    private RelayChannel channel;

    private RelayBuffer open(final int nSubbufs, final RelayCallbacks callbacks) throws IOException
    {
        channel = RelayChannel.builder().geometry(SUBBUF, nSubbufs).callbacks(callbacks).cpus(1).open();
        return channel.buffer();
    }

    @AfterEach
    void close()
    {
        if (channel != null)
        {
            channel.close();
        }
    }

    @Test
    void exactFitDoesNotSwitch() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        for (int i = 0; i < 4; i++)
        {
            assertTrue(Events.write(buffer, 1, i));
        }
        assertEquals(0, buffer.subbufsProduced(), "4 x 16 bytes fill 64 exactly: no switch yet");
        assertEquals(SUBBUF, buffer.offset());
        assertTrue(Events.write(buffer, 1, 4));
        assertEquals(1, buffer.subbufsProduced());
        assertEquals(0, buffer.padding(0));
    }

    @Test
    void switchRecordsPadding() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        final byte[] event = new byte[24];
        assertTrue(buffer.write(event, 0, 24));
        assertTrue(buffer.write(event, 0, 24));
        assertTrue(buffer.write(event, 0, 24)); // 72 > 64: switches first
        assertEquals(1, buffer.subbufsProduced());
        assertEquals(16, buffer.padding(0));
        assertEquals(0, buffer.padding(1), "padding of the entered sub-buffer is cleared");
    }

    @Test
    void tooBigIsCountedNeverThrown() throws IOException
    {
        final RelayBuffer buffer = open(2, RelayCallbacks.discard());
        final byte[] big = new byte[65];
        assertFalse(buffer.write(big, 0, 65));
        assertFalse(channel.write(big, 0, 65));
        assertEquals(2, buffer.stats().tooBig());
        assertEquals(0, buffer.subbufsProduced(), "a too-big event does not switch");
        assertTrue(buffer.write(big, 0, 64), "the largest event that fits is accepted");
        assertEquals(RelayBuffer.REFUSED, buffer.reserve(Integer.MAX_VALUE), "no overflow past the end");
        assertEquals(3, buffer.stats().tooBig());
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> buffer.reserve(0));
        assertEquals("length=0 must be > 0", zero.getMessage());
    }

    @Test
    void stalledBufferAsksAgainAndProducesNothingTwice() throws IOException
    {
        final List<int[]> asks = new ArrayList<>();
        final RelayCallbacks recording = new RelayCallbacks()
        {
            @Override
            public boolean subbufStart(final RelayBuffer buf, final int subbuf, final int prevSubbuf, final int prevPadding)
            {
                asks.add(new int[] {subbuf, prevSubbuf, prevPadding});
                return !buf.isFull();
            }
        };
        final RelayBuffer buffer = open(2, recording);
        assertArrayEquals(new int[] {0, -1, 0}, asks.get(0), "open asks for the first sub-buffer");
        final byte[] event = new byte[48];
        assertTrue(buffer.write(event, 0, 48)); // sub-buffer 0
        assertTrue(buffer.write(event, 0, 48)); // switch -> 1
        assertFalse(buffer.isFull());
        assertFalse(buffer.write(event, 0, 48)); // switch: produced 2, full, stall
        assertTrue(buffer.isFull());
        assertTrue(buffer.isStalled());
        assertFalse(buffer.write(event, 0, 48)); // asks again, same arguments, produces nothing
        assertFalse(buffer.write(event, 0, 8));
        assertEquals(2, buffer.subbufsProduced());
        assertEquals(3, buffer.stats().dropped());
        final int[] stalledAsk = {0, 1, 16};
        assertArrayEquals(stalledAsk, asks.get(asks.size() - 1));
        assertArrayEquals(stalledAsk, asks.get(asks.size() - 2));
        assertArrayEquals(stalledAsk, asks.get(asks.size() - 3));

        channel.subbufsConsumed(buffer.id(), 1); // the reader frees sub-buffer 0
        assertTrue(buffer.write(event, 0, 48), "resumes once space is free");
        assertFalse(buffer.isStalled());
        assertEquals(2, buffer.subbufsProduced());
    }

    @Test
    void consumedAddsAndClamps() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        final byte[] event = new byte[64];
        for (int i = 0; i < 4; i++)
        {
            buffer.write(event, 0, 64);
        }
        assertEquals(3, buffer.subbufsProduced());
        buffer.subbufsConsumed(1);
        buffer.subbufsConsumed(1);
        assertEquals(2, buffer.subbufsConsumed(), "adds");
        buffer.subbufsConsumed(100);
        assertEquals(3, buffer.subbufsConsumed(), "clamped at produced");
        assertTrue(buffer.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> buffer.subbufsConsumed(-1));
    }

    @Test
    void flushSwitchesEvenAnEmptySubbuffer() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        channel.flush();
        assertEquals(1, buffer.subbufsProduced());
        assertEquals(64, buffer.padding(0), "an empty sub-buffer is all padding");
        channel.flush();
        assertEquals(2, buffer.subbufsProduced());
    }

    @Test
    void resetReturnsToInitialStateAndAsksForTheFirstSubbuffer() throws IOException
    {
        final int[] firstAsks = {0};
        final RelayCallbacks counting = new RelayCallbacks()
        {
            @Override
            public boolean subbufStart(final RelayBuffer buf, final int subbuf, final int prevSubbuf, final int prevPadding)
            {
                if (prevSubbuf == -1 && buf.carrierId() != -1) // not the global buffer
                {
                    firstAsks[0]++;
                }
                return true;
            }
        };
        final RelayBuffer buffer = open(2, counting);
        final byte[] event = new byte[40];
        for (int i = 0; i < 5; i++)
        {
            buffer.write(event, 0, 40);
        }
        assertFalse(buffer.write(new byte[100], 0, 100));
        channel.reset();
        assertEquals(0, buffer.subbufsProduced());
        assertEquals(0, buffer.subbufsConsumed());
        assertEquals(0, buffer.padding(0));
        assertEquals(0, buffer.padding(1));
        assertEquals(HEADER_LENGTH, buffer.offset());
        assertEquals(0, buffer.stats().tooBig());
        assertEquals(0, buffer.stats().events());
        assertEquals(2, firstAsks[0], "open and reset each asked for the first sub-buffer");
    }

    @Test
    void readerSkipsPaddingConsumesAndReturnsCommittedPartialData() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        final RelayReader reader = new RelayReader(buffer);
        final byte[] event = new byte[24];
        for (int i = 0; i < 5; i++)
        {
            event[0] = (byte)i;
            buffer.write(event, 0, 24); // 2 per sub-buffer, 16 bytes of padding each
        }
        final ByteBuffer dst = ByteBuffer.allocate(1024);
        assertEquals(5 * 24, reader.read(dst), "two finished sub-buffers and the partial third, padding skipped");
        for (int i = 0; i < 5; i++)
        {
            assertEquals(i, dst.get(i * 24));
        }
        assertEquals(2, buffer.subbufsConsumed());
        assertEquals(0, reader.read(dst.clear()), "nothing new");
        event[0] = 5;
        buffer.write(event, 0, 24);
        assertEquals(24, reader.read(dst.clear()), "only what was not read before");
        assertEquals(5, dst.get(0));
    }

    @Test
    void reservedSlotIsInvisibleUntilCommitted() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        final RelayReader reader = new RelayReader(buffer);
        final int at = buffer.reserve(16);
        buffer.memory().putLong(at, 42);
        assertEquals(0, reader.read(ByteBuffer.allocate(64)));
        buffer.commit();
        assertEquals(16, reader.read(ByteBuffer.allocate(64)));
    }

    @Test
    void abandonedReservationIsDiscardedByTheNextNonNestedOne() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        final RelayReader reader = new RelayReader(buffer);
        assertTrue(Events.write(buffer, 1, 1));
        // A writer thrown out mid-fill (a StackOverflowError): half a slot, never committed.
        final int abandoned = buffer.reserve(16);
        buffer.memory().putLong(abandoned, 99);

        final int at = buffer.reserveNonNested(16);
        assertEquals(abandoned, at, "the abandoned slot is reused");
        buffer.memory().putLong(at, 2);
        buffer.memory().putLong(at + 8, 2);
        buffer.commit();
        assertTrue(Events.write(buffer, 3, 3));
        assertTrue(Events.write(buffer, 4, 4)); // the first sub-buffer is full
        // Abandoned right after the reservation switched to the next sub-buffer.
        final int abandonedAfterSwitch = buffer.reserve(16);
        buffer.memory().putLong(abandonedAfterSwitch, 98);
        for (int i = 5; i <= 6; i++)
        {
            final int slot = buffer.reserveNonNested(16);
            assertEquals(abandonedAfterSwitch + (i - 5) * 16, slot);
            buffer.memory().putLong(slot, i);
            buffer.memory().putLong(slot + 8, i);
            buffer.commit();
        }

        final ByteBuffer dst = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(6 * 16, reader.read(dst), "every committed event, nothing of the abandoned slots");
        for (int i = 0; i < 6; i++)
        {
            assertEquals(i + 1, Events.writer(dst, i * 16));
        }
        assertEquals(6, buffer.stats().events(), "abandoned reservations are not counted as events");
    }

    @Test
    void nestedWriteDoesNotExposeTheEnclosingSlot() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        final RelayReader reader = new RelayReader(buffer);
        final int outer = buffer.reserve(16);
        assertTrue(Events.write(buffer, 2, 2)); // a nested event, e.g. from a <clinit>
        assertEquals(0, reader.read(ByteBuffer.allocate(64)), "nested commit must not publish the outer slot");
        buffer.memory().putLong(outer, 1);
        buffer.memory().putLong(outer + 8, 1);
        buffer.commit();
        final ByteBuffer dst = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(32, reader.read(dst));
        assertEquals(1, Events.writer(dst, 0));
        assertEquals(2, Events.writer(dst, 16));
    }

    @Test
    void overwriteReaderJumpsToOldestIntactAndCountsLost() throws IOException
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.overwrite());
        for (int i = 0; i < 40; i++)
        {
            assertTrue(Events.write(buffer, 1, i)); // 10 sub-buffers' worth
        }
        assertEquals(9, buffer.subbufsProduced());
        final RelayReader reader = new RelayReader(buffer);
        final ByteBuffer dst = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        final int read = reader.read(dst);
        // Entered sub-buffer 9; the oldest intact is 9 - 4 + 1 = 6: sub-buffers 6, 7, 8 and the current 9.
        assertEquals(16 * 16, read);
        assertEquals(24, Events.seq(dst, 0));
        assertEquals(39, Events.seq(dst, read - 16));
        assertEquals(6, buffer.stats().lostSubbufs());
    }

    @Test
    void pollSeesDataTimeoutAndFinalized() throws Exception
    {
        final RelayBuffer buffer = open(4, RelayCallbacks.discard());
        final RelayReader reader = new RelayReader(buffer);
        assertEquals(RelayReader.Poll.TIMEOUT, reader.poll(5, java.util.concurrent.TimeUnit.MILLISECONDS));
        for (int i = 0; i < 5; i++)
        {
            Events.write(buffer, 1, i);
        }
        assertEquals(RelayReader.Poll.DATA, reader.poll(5, java.util.concurrent.TimeUnit.MILLISECONDS));
        reader.read(ByteBuffer.allocate(1024));
        channel.close();
        assertEquals(RelayReader.Poll.FINALIZED, reader.poll(5, java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(-1, reader.read(ByteBuffer.allocate(1024)));
        assertFalse(Events.write(buffer, 1, 99), "writes after close are refused");
        assertEquals(1, buffer.stats().dropped(), "and counted");
    }

    @Test
    void geometryIsChecked()
    {
        assertThrows(IllegalArgumentException.class, () -> RelayChannel.builder().geometry(HEADER_LENGTH, 4));
        assertThrows(IllegalArgumentException.class, () -> RelayChannel.builder().geometry(1 << 20, 0));
        assertThrows(IllegalArgumentException.class, () -> RelayChannel.builder().geometry(HEADER_LENGTH + 12, 4),
            "sub-buffers stay 8-byte aligned");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> RelayChannel.builder().geometry(1 << 30, 4));
        assertTrue(ex.getMessage().startsWith("subbufSize=1073741824 nSubbufs=4"), ex.getMessage());
    }
}

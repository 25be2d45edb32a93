package io.relaytrace.relay;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/** The kernel's read helpers (subbuf_avail, read_start_pos, read_end_pos), the global buffer, and the mmap callbacks. */
class RelayReaderPositionsTest
{
    private static final int SUBBUF = HEADER_LENGTH + 64;
    private RelayChannel channel;

    @AfterEach
    void close()
    {
        if (channel != null)
        {
            channel.close();
        }
    }

    @Test
    void startPositionSkipsHeadersAndPadding() throws IOException
    {
        channel = RelayChannel.builder().geometry(SUBBUF, 4).cpus(1).open();
        final RelayBuffer buffer = channel.buffer();
        final RelayReader reader = new RelayReader(buffer);
        assertEquals(HEADER_LENGTH, reader.readStartPos(), "content of sub-buffer 0");
        assertEquals(0, reader.subbufAvail());

        final byte[] event = new byte[24];
        buffer.write(event, 0, 24);
        buffer.write(event, 0, 24);
        assertEquals(48, reader.subbufAvail(), "committed partial data");
        buffer.write(event, 0, 24); // switches: sub-buffer 0 has 16 bytes of padding
        assertEquals(48, reader.subbufAvail(), "the finished sub-buffer, padding excluded");

        final ByteBuffer dst = ByteBuffer.allocate(48);
        assertEquals(48, reader.read(dst));
        assertEquals(SUBBUF + HEADER_LENGTH, reader.readStartPos(), "past the padding, at sub-buffer 1's content");
        assertEquals(24, reader.subbufAvail());
        final int start = reader.readStartPos();
        assertEquals(start + 24, reader.readEndPos(start, 24));
        assertEquals(0, reader.readEndPos(4 * SUBBUF - 8, 8), "wraps at the end of the buffer");
    }

    @Test
    void globalWritersSerialise() throws Exception
    {
        channel = RelayChannel.builder().geometry(64 * 1024, 4).cpus(1).open();
        final int threads = 8;
        final int each = 1000;
        final List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final byte[] event = new byte[16];
            final byte mark = (byte)t;
            java.util.Arrays.fill(event, mark);
            writers.add(Thread.ofVirtual().start(() ->
            {
                for (int i = 0; i < each; i++)
                {
                    assertTrue(channel.writeGlobal(event, 0, 16));
                }
            }));
        }
        for (final Thread writer : writers)
        {
            writer.join();
        }
        // Staged records reach the global buffer at the flusher's next poll; flush moves them now.
        channel.flush();
        final RelayReader reader = new RelayReader(channel.globalBuffer());
        final ByteBuffer dst = ByteBuffer.allocate(threads * each * 16);
        while (reader.read(dst) > 0)
        {
            // read all
        }
        assertEquals(threads * each * 16, dst.position());
        for (int at = 0; at < dst.position(); at += 16)
        {
            for (int i = 1; i < 16; i++)
            {
                assertEquals(dst.get(at), dst.get(at + i), "event at " + at + " torn");
            }
        }
    }

    @Test
    void mappedBuffersReportMappingAndUnmapping(@TempDir final Path dir) throws Exception
    {
        final List<String> calls = new ArrayList<>();
        final RelayCallbacks recording = new RelayCallbacks()
        {
            @Override
            public void bufMapped(final RelayBuffer buf, final Path file)
            {
                calls.add("mapped " + buf.id() + " " + file.getFileName());
            }

            @Override
            public void bufUnmapped(final RelayBuffer buf, final Path file)
            {
                calls.add("unmapped " + buf.id() + " " + file.getFileName());
            }

            @Override
            public void removeBufFile(final Path file)
            {
                calls.add("remove " + file.getFileName());
            }
        };
        channel = RelayChannel.builder().files("t.", dir).geometry(SUBBUF, 2).cpus(1).mapped(true).callbacks(recording).open();
        assertTrue(Files.exists(dir.resolve("t.buffer0.mmap")));
        Events.write(channel.buffer(), 1, 1);
        assertTrue(Files.exists(dir.resolve("t.buffer1.mmap")));
        channel.close();
        channel = null;
        assertEquals(List.of("mapped 0 t.buffer0.mmap", "mapped 1 t.buffer1.mmap", "remove t.0", "remove t.global",
            "unmapped 0 t.buffer0.mmap", "unmapped 1 t.buffer1.mmap"), calls);
        assertFalse(Files.exists(dir.resolve("t.buffer1.mmap")), "a clean close leaves no mapped file behind");
    }
}

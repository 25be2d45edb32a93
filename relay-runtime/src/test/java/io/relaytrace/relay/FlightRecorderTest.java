package io.relaytrace.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/** Flight recorder: nothing written until a dump or close; then the newest sub-buffers of every buffer. */
class FlightRecorderTest
{
    @Test
    void writesNothingUntilDumpThenTheLastSubbuffers(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files("t.", dir).geometry(HEADER_LENGTH + 64, 4)
            .mode(RelayMode.FLIGHT_RECORDER).cpus(1).flushInterval(1, TimeUnit.MILLISECONDS).open();
        final RelayBuffer buffer = channel.buffer();
        for (int i = 0; i < 100; i++)
        {
            assertTrue(Events.write(buffer, 1, i), "a flight recorder never drops");
        }
        channel.flush();
        Thread.sleep(20);
        assertEquals(0, Files.size(dir.resolve("t.0")), "nothing written before a dump");

        channel.dump();
        final List<TraceFiles.Block> blocks = TraceFiles.blocks(dir.resolve("t.0"));
        // 100 events of 4 per sub-buffer, plus flush's switch: produced 25, entered 25 (empty);
        // the oldest intact is 25 - 4 + 1 = 22: sub-buffers 22, 23, 24 hold events 88..99.
        long expected = 88;
        for (final TraceFiles.Block block : blocks)
        {
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                assertEquals(expected++, Events.seq(block.content(), at));
            }
        }
        assertEquals(100, expected);
        assertEquals(22, buffer.stats().lostSubbufs(), "the older sub-buffers were overwritten, and counted");

        for (int i = 100; i < 104; i++)
        {
            Events.write(buffer, 1, i);
        }
        channel.close();
        long last = -1;
        for (final TraceFiles.Block block : TraceFiles.blocks(dir.resolve("t.0")))
        {
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                last = Events.seq(block.content(), at);
            }
        }
        assertEquals(103, last, "close writes what came after the dump");
        assertTrue(Files.exists(dir.resolve("t.closed")));
    }
}

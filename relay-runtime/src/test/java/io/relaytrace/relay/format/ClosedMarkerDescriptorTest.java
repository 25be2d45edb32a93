package io.relaytrace.relay.format;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The close marker's versions: version 2 (written) holds Events Failed, version 1 (72 bytes, as
 * traces before it were written) is still decoded with 0 failed, any other version is refused with
 * one message naming both it and the versions known; damage to the new field is found.
 */
class ClosedMarkerDescriptorTest
{
    private static final ClosedMarker MARKER = new ClosedMarker(123_456_789L, 1_000L, 20L, 3L, 4L, 5L, 6L, 7, 8L);

    @Test
    void version2RoundTripsEveryField() throws Exception
    {
        final ByteBuffer bytes = ClosedMarkerDescriptor.encode(MARKER);
        assertEquals(84, bytes.capacity());
        assertEquals(ClosedMarkerDescriptor.LENGTH, bytes.remaining());
        final ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, le.getShort(ClosedMarkerDescriptor.VERSION_OFFSET));
        assertEquals(8L, le.getLong(ClosedMarkerDescriptor.FAILED_OFFSET));
        assertEquals(0, le.getInt(ClosedMarkerDescriptor.RESERVED_OFFSET));
        assertEquals(MARKER, ClosedMarkerDescriptor.decode(bytes));
    }

    @Test
    void version1IsStillDecodedWithNoEventsFailed() throws Exception
    {
        final ClosedMarker v1 = new ClosedMarker(123_456_789L, 1_000L, 20L, 3L, 4L, 5L, 6L, 7, 0L);
        final ByteBuffer bytes = ClosedMarkerDescriptor.encodeVersion1(v1);
        assertEquals(72, bytes.capacity());
        // The bytes version 1 wrote, field by field: a reader must not depend on this encoder.
        final ByteBuffer expected = ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN);
        expected.putInt(0x4C435452).putShort((short)1).putShort((short)0).putLong(123_456_789L).putLong(1_000L)
            .putLong(20L).putLong(3L).putLong(4L).putLong(5L).putLong(6L).putInt(7);
        expected.putInt(68, Checksums.crc32c(expected, 0, 72, 68));
        assertArrayEquals(expected.array(), bytes.array());
        assertEquals(v1, ClosedMarkerDescriptor.decode(bytes));
        assertEquals(0, ClosedMarkerDescriptor.decode(bytes).failed());
    }

    @Test
    void version1CannotHoldEventsFailed()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ClosedMarkerDescriptor.encodeVersion1(MARKER));
        assertEquals("failed=8 cannot be written in a version 1 close marker", ex.getMessage());
    }

    @Test
    void unknownVersionsAreRefusedNamingTheKnownOnes()
    {
        for (final short version : new short[] {0, 3, -1, Short.MAX_VALUE})
        {
            final ByteBuffer bytes = ClosedMarkerDescriptor.encode(MARKER);
            bytes.order(ByteOrder.LITTLE_ENDIAN).putShort(ClosedMarkerDescriptor.VERSION_OFFSET, version);
            final FormatException ex = assertThrows(FormatException.class, () -> ClosedMarkerDescriptor.decode(bytes));
            assertEquals("close marker version=" + version + " is not supported (this reader knows versions 1 and 2)",
                ex.getMessage());
            assertEquals(ClosedMarkerDescriptor.VERSION_OFFSET, ex.offset());
        }
    }

    @Test
    void everyFlippedByteOfEventsFailedIsAChecksumMismatch()
    {
        for (int at = ClosedMarkerDescriptor.FAILED_OFFSET; at < ClosedMarkerDescriptor.FAILED_OFFSET + 8; at++)
        {
            final ByteBuffer bytes = ClosedMarkerDescriptor.encode(MARKER);
            bytes.put(at, (byte)(bytes.get(at) ^ 0x01));
            final FormatException ex = assertThrows(FormatException.class, () -> ClosedMarkerDescriptor.decode(bytes));
            assertEquals("close marker checksum mismatch", ex.getMessage());
            assertEquals(ClosedMarkerDescriptor.CRC_OFFSET, ex.offset());
        }
    }

    @Test
    void negativeEventsFailedWithAValidChecksumIsRefused()
    {
        final ByteBuffer bytes = ClosedMarkerDescriptor.encode(MARKER).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(ClosedMarkerDescriptor.FAILED_OFFSET, -8L);
        bytes.putInt(ClosedMarkerDescriptor.CRC_OFFSET,
            Checksums.crc32c(bytes, 0, ClosedMarkerDescriptor.LENGTH, ClosedMarkerDescriptor.CRC_OFFSET));
        final FormatException ex = assertThrows(FormatException.class, () -> ClosedMarkerDescriptor.decode(bytes));
        assertEquals("close marker Events Failed=-8 is negative", ex.getMessage());
        assertEquals(ClosedMarkerDescriptor.FAILED_OFFSET, ex.offset());
    }

    @Test
    void aVersion2MarkerCutToVersion1sLengthIsTruncatedNotMisread()
    {
        final ByteBuffer bytes = ClosedMarkerDescriptor.encode(MARKER);
        final ByteBuffer cut = ByteBuffer.wrap(bytes.array(), 0, ClosedMarkerDescriptor.V1_LENGTH).slice();
        final FormatException ex = assertThrows(FormatException.class, () -> ClosedMarkerDescriptor.decode(cut));
        assertEquals("close marker version=2 truncated: length=72 < 84", ex.getMessage());
        assertEquals(72, ex.offset());
    }
}

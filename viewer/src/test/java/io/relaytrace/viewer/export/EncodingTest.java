package io.relaytrace.viewer.export;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** The number and string encodings the exports rely on. */
class EncodingTest
{
    private static String micros(final long nanos)
    {
        return ChromeTraceExport.micros(new StringBuilder(), nanos).toString();
    }

    @Test
    void chromeTimestampsAreMicrosecondsExactToTheNanosecond()
    {
        assertEquals("0.000", micros(0));
        assertEquals("0.007", micros(7));
        assertEquals("0.070", micros(70));
        assertEquals("1234.567", micros(1_234_567));
        assertEquals("1.000", micros(1_000));
        assertEquals("-0.005", micros(-5));
        assertEquals("-12.340", micros(-12_340));
        assertEquals("9223372036854775.807", micros(Long.MAX_VALUE));
    }

    @Test
    void ctfStringsAreUtf8EndingInOneNul()
    {
        assertArrayEquals(new byte[] {'a', '<', 0}, CtfStream.cString("a<"));
        assertArrayEquals(new byte[] {0}, CtfStream.cString(""));
        final byte[] accented = CtfStream.cString("é");
        assertArrayEquals(new byte[] {(byte)0xC3, (byte)0xA9, 0}, accented);
        assertEquals("x\uFFFDy\0", new String(CtfStream.cString("x\0y"), StandardCharsets.UTF_8), "a NUL inside cannot cut the name");
    }
}

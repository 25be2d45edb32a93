package io.relaytrace.bench.overhead;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads numbers out of {@code key=value} text and {@code "key":value} JSON, the children's outputs. */
final class KeyValues
{
    private KeyValues()
    {
    }

    /** @return the first {@code key=<digits>} in {@code text}, or -1 when absent. */
    static long longValue(final String text, final String key)
    {
        final Matcher matcher = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(-?\\d+)").matcher(text);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** @return the first {@code "key":<digits>} in {@code json}, or -1 when absent. */
    static long jsonLong(final String json, final String key)
    {
        final Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?\\d+)").matcher(json);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    /** @return the sum of every {@code "key":<digits>} in {@code json}. */
    static long jsonSum(final String json, final String key)
    {
        final Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":(\\d+)").matcher(json);
        long sum = 0;
        while (matcher.find())
        {
            sum += Long.parseLong(matcher.group(1));
        }
        return sum;
    }
}

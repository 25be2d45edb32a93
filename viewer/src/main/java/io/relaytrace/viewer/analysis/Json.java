package io.relaytrace.viewer.analysis;

/**
 * Just enough JSON writing for the viewer's output: string escaping per RFC 8259.
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * Appends {@code value} as a JSON string, quotes included: {@code "} and {@code \} escaped,
     * control characters as {@code \n}, {@code \t}... or {@code \}{@code u00XX}.
     */
    public static StringBuilder string(final StringBuilder out, final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }
}

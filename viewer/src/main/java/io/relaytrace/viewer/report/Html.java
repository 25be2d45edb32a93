package io.relaytrace.viewer.report;

/**
 * HTML escaping for text and attribute values (double- or single-quoted) in HTML and inline SVG.
 * Names in a trace are user data: a thread may be named {@code <script>...}.
 */
public final class Html
{
    private Html()
    {
    }

    /** Appends {@code value} with {@code & < > " '} as character references. */
    public static StringBuilder escape(final StringBuilder out, final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out;
    }

    /** @return {@code value} escaped. */
    public static String escape(final String value)
    {
        return escape(new StringBuilder(value.length() + 16), value).toString();
    }
}

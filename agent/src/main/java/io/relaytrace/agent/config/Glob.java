package io.relaytrace.agent.config;

import java.util.regex.Pattern;

/**
 * A glob over dotted names: {@code *} matches within one segment (no dot), {@code **} matches any
 * number of segments, {@code ?} one character that is not a dot. {@code com.acme.**} matches every
 * class in and under {@code com.acme}; {@code com.**.Cart} matches {@code com.Cart} and
 * {@code com.acme.shop.Cart}; {@code com.acme.*} matches {@code com.acme.Cart} and its nested
 * class {@code com.acme.Cart$Item} but not {@code com.acme.shop.Cart}.
 */
final class Glob
{
    private final String text;
    private final Pattern pattern;

    private Glob(final String text, final Pattern pattern)
    {
        this.text = text;
        this.pattern = pattern;
    }

    /**
     * @param text the glob, not empty.
     * @return the compiled glob.
     */
    static Glob compile(final String text)
    {
        final StringBuilder regex = new StringBuilder(text.length() * 2);
        int i = 0;
        while (i < text.length())
        {
            final char c = text.charAt(i);
            if (c == '*' && i + 1 < text.length() && text.charAt(i + 1) == '*')
            {
                if (i + 2 < text.length() && text.charAt(i + 2) == '.')
                {
                    regex.append("(?:.*\\.)?"); // "**." may stand for no segment at all
                    i += 3;
                }
                else
                {
                    regex.append(".*");
                    i += 2;
                }
            }
            else if (c == '*')
            {
                regex.append("[^.]*");
                i++;
            }
            else if (c == '?')
            {
                regex.append("[^.]");
                i++;
            }
            else
            {
                regex.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return new Glob(text, Pattern.compile(regex.toString()));
    }

    boolean matches(final String name)
    {
        return pattern.matcher(name).matches();
    }

    @Override
    public String toString()
    {
        return text;
    }
}

package io.relaytrace.viewer.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class HtmlTest
{
    @Test
    void escapesEveryCharacterThatCouldEndTextOrAnAttribute()
    {
        assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;", Html.escape("<script>alert(1)</script>&\"'"));
        assertEquals("com.acme.Cart.&lt;init&gt;()", Html.escape("com.acme.Cart.<init>()"));
        assertEquals("plain text, unchanged: é \u2014", Html.escape("plain text, unchanged: é \u2014"));
        assertEquals("&amp;amp;", Html.escape("&amp;"), "escaped once more, never taken as a reference");
    }
}

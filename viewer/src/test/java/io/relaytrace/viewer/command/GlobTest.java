package io.relaytrace.viewer.command;

import io.relaytrace.viewer.analysis.Glob;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobTest
{
    @Test
    void starAndQuestionMarkMatchWholeNamesEverythingElseIsLiteral()
    {
        assertTrue(new Glob("com.acme.Cart.*").matches("com.acme.Cart.add(java.lang.String,int)"));
        assertFalse(new Glob("com.acme.Cart.*").matches("com.acmeXCart.add()"));
        assertFalse(new Glob("Cart").matches("com.acme.Cart.add()"));
        assertTrue(new Glob("*Cart*").matches("com.acme.Cart.add()"));
        assertTrue(new Glob("a.B.m(int[])").matches("a.B.m(int[])"));
        assertTrue(new Glob("a.B.?()").matches("a.B.m()"));
        assertFalse(new Glob("a.B.?()").matches("a.B.mm()"));
        assertTrue(new Glob("a.B$C.*").matches("a.B$C.x()"));
    }
}

package io.relaytrace.agent.instrument;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MethodNamesTest
{
    @Test
    void lambdaBodiesReadAsTheirEnclosingMethod()
    {
        assertEquals("main$lambda#0", MethodNames.readable("lambda$main$0", true));
        assertEquals("run$lambda#12", MethodNames.readable("lambda$run$12", true));
        assertEquals("<init>$lambda#1", MethodNames.readable("lambda$new$1", true));
        assertEquals("<clinit>$lambda#0", MethodNames.readable("lambda$static$0", true));
        assertEquals("a$b$lambda#3", MethodNames.readable("lambda$a$b$3", true));
    }

    @Test
    void everythingElseKeepsItsName()
    {
        assertEquals("lambda$main$0", MethodNames.readable("lambda$main$0", false), "not synthetic: a real method");
        assertEquals("access$000", MethodNames.readable("access$000", true));
        assertEquals("$values", MethodNames.readable("$values", true));
        assertEquals("lambda$", MethodNames.readable("lambda$", true));
        assertEquals("<init>", MethodNames.readable("<init>", false));
    }
}

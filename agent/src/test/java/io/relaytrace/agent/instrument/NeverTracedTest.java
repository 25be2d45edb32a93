package io.relaytrace.agent.instrument;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeverTracedTest
{
    @Test
    void neverTracedCoversTheAgentTheRuntimeAndTheJdk()
    {
        assertTrue(NeverTraced.isNeverTraced("io.relaytrace.agent.bootstrap.Tracer"));
        assertTrue(NeverTraced.isNeverTraced("io.relaytrace.agent.shaded.asm.ClassReader"));
        assertTrue(NeverTraced.isNeverTraced("io.relaytrace.relay.RelayChannel"));
        assertTrue(NeverTraced.isNeverTraced("io.relaytrace.event.EventDescriptor"));
        assertTrue(NeverTraced.isNeverTraced("java.lang.VirtualThread"));
        assertTrue(NeverTraced.isNeverTraced("jdk.internal.misc.Unsafe"));
        assertTrue(NeverTraced.isNeverTraced("sun.nio.ch.FileChannelImpl"));
        assertTrue(NeverTraced.isNeverTraced("com.sun.tools.attach.VirtualMachine"));
        assertTrue(NeverTraced.isNeverTraced("com.acme.Cart$$Lambda/0x000001"));
        assertFalse(NeverTraced.isNeverTraced("com.acme.Cart"));
        assertFalse(NeverTraced.isNeverTraced("io.relaytrace.viewer.Main"));
        assertFalse(NeverTraced.isNeverTraced("javalike.Cart"));
        assertFalse(NeverTraced.isNeverTraced("javax.servlet.http.HttpServlet"), "applications ship javax packages");
    }
}

package io.relaytrace.viewer.read;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MethodNamesTest
{
    @Test
    void formatsParametersAsJavaWritesThem()
    {
        assertEquals("com.acme.Cart.add(java.lang.String,int)", MethodNames.format("com.acme.Cart", "add", "(Ljava/lang/String;I)V"));
        assertEquals("com.acme.Cart.<init>()", MethodNames.format("com.acme.Cart", "<init>", "()V"));
        assertEquals("a.B$C.m(boolean,byte,char,short,int,long,float,double)",
            MethodNames.format("a.B$C", "m", "(ZBCSIJFD)Ljava/lang/Object;"));
        assertEquals("a.B.m(int[],java.lang.String[][],long[][][])",
            MethodNames.format("a.B", "m", "([I[[Ljava/lang/String;[[[J)V"));
        assertEquals("a.B.m(java.util.Map$Entry)", MethodNames.format("a/B", "m", "(Ljava/util/Map$Entry;)V"));
    }

    @Test
    void aDescriptorThatDoesNotParseIsShownAsItIs()
    {
        assertEquals("a.B.m(Ljava/lang/String", MethodNames.format("a.B", "m", "(Ljava/lang/String"));
        assertEquals("a.B.m(Q)V", MethodNames.format("a.B", "m", "(Q)V"));
        assertEquals("a.B.m", MethodNames.format("a.B", "m", ""));
        assertEquals("a.B.m([", MethodNames.format("a.B", "m", "(["));
    }
}

package io.relaytrace.agent.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AttachOptionsTest
{
    private static final Path CWD = Path.of("/home/me/work");

    @Test
    void relativeOutputAndConfigBecomeAbsolute()
    {
        assertEquals("include=com.acme.**,output=/home/me/work/t1,mode=overwrite",
            AttachOptions.withAbsolutePaths("include=com.acme.**,output=t1,mode=overwrite", CWD));
        assertEquals("config=/home/me/conf/trace.conf,include=a.**",
            AttachOptions.withAbsolutePaths("config=../conf/trace.conf,include=a.**", CWD));
    }

    @Test
    void everythingElsePassesUnchanged()
    {
        assertEquals("include=com.acme.**,output=/tmp/t1", AttachOptions.withAbsolutePaths("include=com.acme.**,output=/tmp/t1", CWD));
        assertEquals("include=a.**,output=,colour=red", AttachOptions.withAbsolutePaths("include=a.**,output=,colour=red", CWD));
        assertEquals("include=a.**,,x", AttachOptions.withAbsolutePaths("include=a.**,,x", CWD));
    }
}

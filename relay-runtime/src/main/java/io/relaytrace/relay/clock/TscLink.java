package io.relaytrace.relay.clock;

import jdk.internal.misc.Unsafe;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Links a call to the x86-64 {@code rdtsc} instruction: four instructions in a page of their own,
 * called through a critical downcall handle of the foreign function API. Loaded only on JDK 22+
 * (where that API is final), and only by {@link TraceClock}.
 * <p>
 * Assumptions, each checked, with the reason given when one fails:
 * <ul>
 *   <li>Linux on x86-64, with an invariant counter ({@code constant_tsc} and {@code nonstop_tsc}
 *       in /proc/cpuinfo) that the kernel itself uses as its clock source (so it judged the counters
 *       of all CPUs synchronised, the property that lets events of different carriers be merged).</li>
 *   <li>{@code java.lang.invoke} is open to this module and {@code jdk.internal.misc} exported to it
 *       (the agent does both at start-up): the handles are made with a lookup in {@code java.base},
 *       which has native access, so the JVM prints no restricted-method warning on the
 *       application's stderr and the application's own native access is left as it was.</li>
 *   <li>The kernel lets a private anonymous page become executable ({@code mprotect}); the page is
 *       never writable and executable at once.</li>
 * </ul>
 */
final class TscLink
{
    /** rdtsc; shl rdx, 32; or rax, rdx; ret: the 64-bit counter in rax, clobbering only rdx. */
    private static final byte[] READ_TSC = {
        0x0f, 0x31,
        0x48, (byte)0xc1, (byte)0xe2, 0x20,
        0x48, 0x09, (byte)0xd0,
        (byte)0xc3 };

    private static final int PAGE = 4096;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;

    private TscLink()
    {
    }

    /**
     * @return a handle of type {@code ()long} that reads the time-stamp counter.
     * @throws UnsupportedOperationException naming the assumption that does not hold.
     */
    static MethodHandle link()
    {
        try
        {
            return linkReadTsc(javaBaseLookup());
        }
        catch (final UnsupportedOperationException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new UnsupportedOperationException("linking rdtsc failed: " + t, t);
        }
    }

    /**
     * The cheap checks, done before anything is linked.
     *
     * @throws UnsupportedOperationException naming the assumption that does not hold.
     */
    static void checkPlatform()
    {
        final String os = System.getProperty("os.name", "");
        final String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64")))
        {
            throw new UnsupportedOperationException("os=" + os + " arch=" + arch + " (needs Linux on x86-64)");
        }
        final String flags = read(Path.of("/proc/cpuinfo"));
        if (!hasFlag(flags, "constant_tsc") || !hasFlag(flags, "nonstop_tsc"))
        {
            throw new UnsupportedOperationException("the time-stamp counter is not invariant (constant_tsc, nonstop_tsc)");
        }
        final String source = read(Path.of("/sys/devices/system/clocksource/clocksource0/current_clocksource")).trim();
        if (!source.equals("tsc"))
        {
            throw new UnsupportedOperationException("the kernel's clocksource=" + source + " (needs tsc)");
        }
    }

    private static boolean hasFlag(final String cpuinfo, final String flag)
    {
        for (final String line : cpuinfo.split("\n"))
        {
            if (line.toLowerCase(Locale.ROOT).startsWith("flags") && (" " + line + " ").contains(" " + flag + " "))
            {
                return true;
            }
        }
        return false;
    }

    private static String read(final Path path)
    {
        try
        {
            return new String(Files.readAllBytes(path), StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            throw new UnsupportedOperationException("cannot read " + path + ": " + ex.getMessage());
        }
    }

    /** A full-privilege lookup in {@code java.base}: restricted methods called through it are java.base's calls. */
    private static MethodHandles.Lookup javaBaseLookup() throws ReflectiveOperationException
    {
        if (!Object.class.getModule().isOpen("java.lang.invoke", TscLink.class.getModule()))
        {
            throw new UnsupportedOperationException("java.lang.invoke is not open to " + TscLink.class.getModule());
        }
        final Field implLookup = MethodHandles.Lookup.class.getDeclaredField("IMPL_LOOKUP");
        implLookup.setAccessible(true);
        return ((MethodHandles.Lookup)implLookup.get(null)).in(Object.class);
    }

    private static MethodHandle linkReadTsc(final MethodHandles.Lookup javaBase) throws Throwable
    {
        final MethodHandle downcall = javaBase.findVirtual(Linker.class, "downcallHandle", MethodType.methodType(
            MethodHandle.class, MemorySegment.class, FunctionDescriptor.class, Linker.Option[].class));
        final Linker linker = Linker.nativeLinker();
        final SymbolLookup libc = linker.defaultLookup();
        final MethodHandle mmap = (MethodHandle)downcall.invokeExact(linker, symbol(libc, "mmap"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            new Linker.Option[0]);
        final MethodHandle mprotect = (MethodHandle)downcall.invokeExact(linker, symbol(libc, "mprotect"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            new Linker.Option[0]);

        final long page = (long)mmap.invokeExact(0L, (long)PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        if (page == -1L || page == 0L)
        {
            throw new UnsupportedOperationException("mmap of one page failed");
        }
        final Unsafe unsafe = Unsafe.getUnsafe();
        for (int i = 0; i < READ_TSC.length; i++)
        {
            unsafe.putByte(page + i, READ_TSC[i]);
        }
        if ((int)mprotect.invokeExact(page, (long)PAGE, PROT_READ | PROT_EXEC) != 0)
        {
            throw new UnsupportedOperationException("mprotect(PROT_EXEC) refused (a hardened kernel, say)");
        }
        return (MethodHandle)downcall.invokeExact(linker, MemorySegment.ofAddress(page),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG), new Linker.Option[] { Linker.Option.critical(false) });
    }

    private static MemorySegment symbol(final SymbolLookup lookup, final String name)
    {
        return lookup.find(name).orElseThrow(() -> new UnsupportedOperationException("no symbol " + name + " in libc"));
    }
}

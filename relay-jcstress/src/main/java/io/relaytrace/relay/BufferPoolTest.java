package io.relaytrace.relay;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A carrier coming online takes from a {@link BufferPool} that holds one buffer, while another
 * thread gives a second buffer back and takes one: both compare-and-set the pool's top at once.
 * Every buffer goes to exactly one taker, none is lost, none handed out twice.
 * <p>
 * r1: the buffer the carrier got; r2: the buffer the other thread got (1 or 2, 0 for none);
 * r3: what the arbiter finds left in the pool (10 per buffer 1, 20 per buffer 2). The pool is
 * never empty when either takes (the other thread gives before it takes), so both get one.
 */
@JCStressTest
@State
@Description("BufferPool.take racing BufferPool.give and take on another thread")
@Outcome(id = {"1, 2, 0", "2, 1, 0"}, expect = ACCEPTABLE, desc = "Each got a different buffer; the pool is empty.")
@Outcome(id = {"1, 1, .*", "2, 2, .*"}, expect = FORBIDDEN, desc = "One buffer handed to both.")
@Outcome(id = {"0, .*", ".*, 0, .*"}, expect = FORBIDDEN, desc = "A taker found the pool empty while it held a buffer.")
@Outcome(expect = FORBIDDEN, desc = "A buffer lost or duplicated.")
public class BufferPoolTest
{
    private final BufferMemory one = new BufferMemory.Direct(16);
    private final BufferMemory two = new BufferMemory.Direct(16);
    private final BufferPool pool = new BufferPool(4, 0);

    public BufferPoolTest()
    {
        pool.give(one);
    }

    @Actor
    public void carrier(final III_Result r)
    {
        r.r1 = number(pool.take());
    }

    @Actor
    public void giverAndTaker(final III_Result r)
    {
        pool.give(two);
        r.r2 = number(pool.take());
    }

    @Arbiter
    public void arbiter(final III_Result r)
    {
        int left = 0;
        BufferMemory memory;
        while ((memory = pool.take()) != null)
        {
            left += 10 * number(memory);
        }
        r.r3 = left;
    }

    private int number(final BufferMemory memory)
    {
        return memory == one ? 1 : memory == two ? 2 : 0;
    }
}

package io.relaytrace.viewer.analysis;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.viewer.read.LongObjectMap;
import io.relaytrace.viewer.read.TraceEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which carriers each thread ran on, over time: per thread and carrier, the events, the number of
 * times the thread was mounted there, and the first and last timestamps there. Memory grows with threads x carriers.
 */
public final class ThreadActivity
{
    private final LongObjectMap<ThreadUse> threads = new LongObjectMap<>();
    private final List<ThreadUse> order = new ArrayList<>();

    /** One thread's use of carriers. */
    public static final class ThreadUse
    {
        private final long threadId;
        private final LongObjectMap<CarrierUse> carriers = new LongObjectMap<>();
        private final List<CarrierUse> carrierOrder = new ArrayList<>();
        private long lastCarrier = Long.MIN_VALUE;
        private long events;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        ThreadUse(final long threadId)
        {
            this.threadId = threadId;
        }

        public long threadId()
        {
            return threadId;
        }

        CarrierUse carrier(final long carrierId)
        {
            CarrierUse carrier = carriers.get(carrierId);
            if (carrier == null)
            {
                carrier = new CarrierUse(carrierId);
                carriers.put(carrierId, carrier);
                carrierOrder.add(carrier);
            }
            return carrier;
        }

        /** @return ENTER, EXIT and THROW events. */
        public long events()
        {
            return events;
        }

        public long first()
        {
            return first;
        }

        public long last()
        {
            return last;
        }

        /** @return the carriers in order of first use. */
        public List<CarrierUse> carriers()
        {
            return carrierOrder;
        }
    }

    /** A thread's time on one carrier. */
    public static final class CarrierUse
    {
        private final long carrierId;
        private long events;
        private long mounts;
        private long first = Long.MAX_VALUE;
        private long last = Long.MIN_VALUE;

        CarrierUse(final long carrierId)
        {
            this.carrierId = carrierId;
        }

        public long carrierId()
        {
            return carrierId;
        }

        public long events()
        {
            return events;
        }

        public long mounts()
        {
            return mounts;
        }

        public long first()
        {
            return first;
        }

        public long last()
        {
            return last;
        }
    }

    /**
     * Takes the next event in timestamp order. A THREAD record is a mount on its carrier; so is an
     * event on another carrier than the thread's previous one with no THREAD record before it (the
     * block's Writer Context attributed it). THREAD records are not counted as events; LOSS events
     * are ignored.
     */
    public void accept(final TraceEvent event)
    {
        if (event.type() == TraceEvent.LOSS)
        {
            return;
        }
        final ThreadUse thread = thread(event.threadId());
        final CarrierUse carrier = thread.carrier(event.carrierId());
        final boolean mountRecord = event.type() == EventDescriptor.THREAD;
        if (mountRecord || thread.lastCarrier != event.carrierId())
        {
            carrier.mounts++;
            thread.lastCarrier = event.carrierId();
        }
        if (mountRecord)
        {
            return;
        }
        final long timestamp = event.timestamp();
        thread.events++;
        thread.first = Math.min(thread.first, timestamp);
        thread.last = Math.max(thread.last, timestamp);
        carrier.events++;
        carrier.first = Math.min(carrier.first, timestamp);
        carrier.last = Math.max(carrier.last, timestamp);
    }

    private ThreadUse thread(final long threadId)
    {
        ThreadUse thread = threads.get(threadId);
        if (thread == null)
        {
            thread = new ThreadUse(threadId);
            threads.put(threadId, thread);
            order.add(thread);
        }
        return thread;
    }

    /** @return threads by id. */
    public List<ThreadUse> threads()
    {
        final List<ThreadUse> list = new ArrayList<>(order);
        list.sort(Comparator.comparingLong(ThreadUse::threadId));
        return list;
    }
}

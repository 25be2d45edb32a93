package com.acme.workload;

/** Thrown through several traced frames. */
final class WorkloadException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    WorkloadException(final String message)
    {
        super(message);
    }
}

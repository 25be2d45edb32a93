/**
 * Relay channels: per-carrier-thread buffers split into sub-buffers, with the relay lifecycle
 * of Linux's relayfs (open, late file setup, reserve/commit, sub-buffer switch with padding,
 * overwrite and no-overwrite modes, consumed accounting, flush, reset, close, carrier hotplug,
 * deferred reader wake-up, read/poll, mmap).
 */
package io.relaytrace.relay;

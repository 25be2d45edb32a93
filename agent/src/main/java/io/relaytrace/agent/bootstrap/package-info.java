/**
 * The event API that inlined advice calls. These classes travel in the boot jar with the relay
 * runtime and are loaded by the bootstrap class loader, so that advice inlined into any class, in
 * any class loader, can reach them. They depend only on {@code java.base} and the runtime.
 */
package io.relaytrace.agent.bootstrap;

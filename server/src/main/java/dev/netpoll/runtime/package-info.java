/**
 * Layer 3: the task runtime. Starts tasks (virtual threads, Go's goroutines), counts them,
 * accepts connections into tasks, and captures {@link dev.netpoll.runtime.RuntimeStats}.
 */
package dev.netpoll.runtime;

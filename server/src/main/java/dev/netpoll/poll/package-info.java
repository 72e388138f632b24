/**
 * Layer 2: the poller and non-blocking descriptors. {@link dev.netpoll.poll.Conn} and
 * {@link dev.netpoll.poll.Listener} give tasks blocking-style I/O; the epoll transport
 * ({@code NetFd}, {@code PollDesc}, {@code Poller}) parks a task on EAGAIN and wakes exactly that
 * task on readiness; the nio transport is the portable fallback.
 */
package dev.netpoll.poll;

/** Micrometer meters of the Netpoll runtime. */
package dev.netpoll.autoconfigure.metrics;

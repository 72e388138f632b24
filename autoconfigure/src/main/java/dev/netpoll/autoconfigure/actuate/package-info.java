/** The {@code /actuator/netpoll} runtime view. */
package dev.netpoll.autoconfigure.actuate;

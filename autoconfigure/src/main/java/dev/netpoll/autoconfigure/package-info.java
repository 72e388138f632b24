/**
 * Spring Boot integration: the {@code ServletWebServerFactory}, the {@code WebServer}, the
 * {@code server.netpoll.*} properties and their auto-configuration.
 */
package dev.netpoll.autoconfigure;

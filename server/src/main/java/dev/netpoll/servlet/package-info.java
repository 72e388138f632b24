/**
 * Layer 5: the Jakarta Servlet 6.1 container Spring MVC runs on. {@link
 * dev.netpoll.servlet.NetpollServletContext} holds the registrations, {@link
 * dev.netpoll.servlet.ServletHandler} serves each HTTP request through filters, servlet and error
 * pages on the connection's task.
 */
package dev.netpoll.servlet;

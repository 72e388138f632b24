/**
 * Layer 1: libc through JNA direct mapping. Raw calls, errno, and native struct layouts; no
 * policy. Nothing here parks or knows about tasks.
 */
package dev.netpoll.sys;

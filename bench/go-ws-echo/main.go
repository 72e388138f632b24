// The WebSocket benchmark's echo client: CONNS sessions, each a goroutine that sends a masked
// 32-byte text frame and reads its 34-byte echo, again and again for SECONDS; prints
// "roundtrips/s N". Go's netpoller costs the client a few microseconds per round-trip, so a
// server pinned to its own core, not the client, is what limits the rate (the JDK client this
// replaces spent about as much CPU per round-trip as the servers it measured).
//
//	go-ws-echo PORT CONNS SECONDS
package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: go-ws-echo PORT CONNS SECONDS")
		os.Exit(2)
	}
	port := os.Args[1]
	conns, _ := strconv.Atoi(os.Args[2])
	seconds, _ := strconv.Atoi(os.Args[3])
	sockets := make([]net.Conn, 0, conns)
	for i := 0; i < conns; i++ {
		c, err := open(port)
		if err != nil {
			fmt.Fprintln(os.Stderr, "session failed to open:", err)
			os.Exit(1)
		}
		sockets = append(sockets, c)
	}
	var roundTrips atomic.Int64
	var failed atomic.Int64
	end := time.Now().Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	for _, c := range sockets {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			defer c.Close()
			frame := maskedText("0123456789abcdef0123456789abcdef")
			echo := make([]byte, 34) // 0x81, 32, payload
			for time.Now().Before(end) {
				if _, err := c.Write(frame); err != nil {
					failed.Add(1)
					return
				}
				if _, err := io.ReadFull(c, echo); err != nil {
					failed.Add(1)
					return
				}
				roundTrips.Add(1)
			}
		}(c)
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "%d sessions failed\n", n)
	}
	fmt.Printf("roundtrips/s %.0f\n", float64(roundTrips.Load())/float64(seconds))
}

func open(port string) (net.Conn, error) {
	c, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		return nil, err
	}
	key := "AAAAAAAAAAAAAAAAAAAAAA=="
	if _, err := fmt.Fprintf(c, "GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"+
		"Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", key); err != nil {
		return nil, err
	}
	// Byte by byte, so that nothing after the handshake's blank line is read ahead and lost.
	var head strings.Builder
	one := make([]byte, 1)
	for !strings.HasSuffix(head.String(), "\r\n\r\n") {
		if _, err := io.ReadFull(c, one); err != nil {
			return nil, fmt.Errorf("closed during the handshake: %q", head.String())
		}
		head.WriteByte(one[0])
	}
	if !strings.HasPrefix(head.String(), "HTTP/1.1 101") {
		return nil, fmt.Errorf("handshake refused: %s", strings.SplitN(head.String(), "\r\n", 2)[0])
	}
	return c, nil
}

func maskedText(text string) []byte {
	payload := []byte(text)
	frame := make([]byte, 6+len(payload))
	frame[0] = 0x81
	frame[1] = byte(0x80 | len(payload))
	rand.Read(frame[2:6])
	for i, b := range payload {
		frame[6+i] = b ^ frame[2+i%4]
	}
	return frame
}

// The Go peer of bench/h2-load.sh: net/http's TLS server, which speaks HTTP/2 by ALPN from the
// standard library alone (golang.org/x/net/http2/h2c, for cleartext, is not available here).
// GET / answers "Request #N" as the Spring benchmark application does.
// Usage: PORT=8443 CERT=cert.pem KEY=key.pem ./go-h2
package main

import (
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
)

var counter int64

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Request #%d\n", atomic.AddInt64(&counter, 1))
	})
	server := &http.Server{Addr: ":" + os.Getenv("PORT")}
	if err := server.ListenAndServeTLS(os.Getenv("CERT"), os.Getenv("KEY")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

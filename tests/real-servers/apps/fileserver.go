// Go's net/http FileServer for condspec's real-server tests, with its
// defaults: `fileserver PORT DOCROOT`, on 127.0.0.1 only. http.ServeContent
// evaluates the preconditions and Range itself.
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: fileserver PORT DOCROOT")
	}
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Args[1], http.FileServer(http.Dir(os.Args[2]))))
}

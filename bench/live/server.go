package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"chancery/api"
	"chancery/bench/internal/harness"
	"chancery/diffing"
	"chancery/policy"
	"chancery/service"
	"chancery/storage"
)

// serverStats is what the child says of its memory.
type serverStats struct {
	HeapInuse  uint64 `json:"heap_inuse"`
	StackInuse uint64 `json:"stack_inuse"`
	Goroutines int    `json:"goroutines"`
	RSSKB      int64  `json:"rss_kb"`
	Streams    int    `json:"streams"`
}

// serve is the child: the API over a local directory, the live options
// of the flags; it prints its address, then answers "stats" on stdin
// with its memory, after a collection, until stdin closes.
func serve(dir string, interval time.Duration) {
	store, err := storage.OpenLocal(dir)
	harness.Check(err)
	enforcer, err := policy.New()
	harness.Check(err)
	svc := service.New(store, diffing.New(), enforcer)
	svc.Live.Interval = interval
	svc.Live.MaxStreams = 10000
	_, err = svc.Bootstrap(context.Background(), bootstrap)
	harness.Check(err)
	srv := api.NewServer(svc, enforcer, nil, nil)
	srv.StreamMaxAge = 0
	harness.Check(srv.Open("127.0.0.1:0"))
	fmt.Println("ADDR " + srv.Addr())
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() != "stats" {
			continue
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		streams, _ := svc.LiveStreams()
		st := serverStats{HeapInuse: m.HeapInuse, StackInuse: m.StackInuse, Goroutines: runtime.NumGoroutine(), RSSKB: rssKB(), Streams: streams}
		b, _ := json.Marshal(st)
		fmt.Println(string(b))
	}
	srv.Close(context.Background())
	store.Close()
}

// rssKB reads the resident set of this process from /proc (0 elsewhere).
func rssKB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

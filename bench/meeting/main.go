// Command meeting plays a session of a meeting against one Chancery server
// process and measures what the room sees: 150 signed-in readers (web
// sessions and API tokens, delegates of member delegations and observers)
// who, at the moment a merge lands, each load the document page, the
// compilation page and the tracked diff of the new version, while 28
// delegates submit the proposals of the next round and the chair merges
// them. Each backend gets a server of its own: the local directory, and
// MinIO behind a TCP proxy adding latency each way.
//
// It prints, per page and kind of reader, p50 and p99 latency and errors;
// in the same run a bare Echo handler (a child process of its own)
// serves the same bytes to the same 150 readers at once, so that the
// ratio of the two p99s means something on a shared machine. Then the
// storage operations per page view (from the server's metric
// chancery_storage_operation_duration_seconds, in rounds where nothing
// else runs), the chair's merges, and the server's peak resident set.
//
//	go run ./bench/meeting                         # local and MinIO +5 ms, this checkout's server
//	go run ./bench/meeting -src /path/to/checkout  # the server of another checkout (before/after)
//
// The benchmark speaks only HTTP to the server it builds (cmd/chancery-server),
// so it measures older versions of the code too. See RESULTS.md.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chancery/bench/internal/harness"
)

var (
	backends   = flag.String("backend", "local,minio", "comma-separated backends: local, minio")
	latency    = flag.Duration("latency", 5*time.Millisecond, "latency added each way between the server and MinIO")
	src        = flag.String("src", ".", "checkout whose server (./cmd/chancery-server) is built and measured")
	binary     = flag.String("bin", "", "a chancery-server binary to measure instead of building -src's")
	readers    = flag.Int("readers", 150, "readers released at once after each merge")
	delegates  = flag.Int("delegates", 28, "delegates, each submitting one proposal per round; the chair merges them")
	rounds     = flag.Int("rounds", 4, "measured rounds (merge, then every reader loads the three pages)")
	openProps  = flag.Int("open", 200, "open proposals on the document before the first round")
	provisions = flag.Int("provisions", 150, "provisions of the document")
	inflate    = flag.Bool("inflate", false, "readers decompress the pages they load, as the benchmark did before 2026-12-07 21:00: on the server's own cores (by default they read them as sent, as a browser on another machine costs the server nothing)")
	bigComp    = flag.Int("big-compilation", 1000, "also time the compilation page of a document with this many open proposals (0: not)")
	bareDir    = flag.String("bare-dir", "", "internal: serve the files of this directory as a bare Echo handler")
	bareAddr   = flag.String("bare-addr", "", "internal: the bare handler's address")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	if *bareDir != "" {
		serveBare(*bareDir, *bareAddr)
		return
	}
	tmp, err := os.MkdirTemp("", "chancery-meeting-")
	harness.Check(err)
	defer os.RemoveAll(tmp)
	bin := *binary
	if bin == "" {
		bin = filepath.Join(tmp, "chancery")
		harness.Check(harness.BuildServer(*src, bin))
	}
	fmt.Printf("meeting: %d readers, %d delegates, %d rounds, %d open proposals, %d provisions; server %s\n",
		*readers, *delegates, *rounds, *openProps, *provisions, describeSource(*src))
	for _, b := range strings.Split(*backends, ",") {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		dir := filepath.Join(tmp, b)
		harness.Check(os.MkdirAll(dir, 0o755))
		res, err := runBackend(b, bin, dir)
		harness.Check(err)
		res.print(os.Stdout)
	}
}

// runBackend starts a server on backend, sets the meeting up, plays it
// and returns what was measured.
func runBackend(backend, bin, dir string) (*results, error) {
	srv, err := startServer(backend, bin, dir)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	m := &meeting{srv: srv, res: newResults(backend)}
	start := time.Now()
	if err := m.setup(); err != nil {
		return nil, fmt.Errorf("%s: setup: %w", backend, err)
	}
	log.Printf("%s: setup %s", backend, time.Since(start).Round(time.Millisecond))
	err = m.startBare(dir)
	if m.bare != nil {
		defer m.bare.stop()
	}
	if err != nil {
		return nil, err
	}
	if err := m.play(); err != nil {
		return nil, fmt.Errorf("%s: %w", backend, err)
	}
	if *bigComp > 0 {
		if err := m.bigCompilation(*bigComp); err != nil {
			return nil, fmt.Errorf("%s: big compilation: %w", backend, err)
		}
	}
	m.res.PeakRSSKB = srv.peakRSSKB()
	return m.res, nil
}

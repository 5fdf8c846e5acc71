// Command storage measures what Chancery's requests cost in object-storage
// round trips and latency, counted from the server's own metric
// chancery_storage_operation_duration_seconds. It runs a real API server in
// process over the local directory or over MinIO reached through a TCP
// proxy that adds latency each way (a nearby S3 region), and prints one row
// per request kind: storage operations per request and median latency.
//
//	go run ./bench/storage -backend local
//	go run ./bench/storage -backend minio -latency 5ms   # needs CHANCERY_MINIO_BIN or minio on PATH
//
// It speaks only HTTP to the server (and calls the service's silence sweep
// like serve's loop does), so the same program measures older versions of
// the code too. See run.sh.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"chancery/api"
	"chancery/bench/internal/harness"
	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
)

const bootstrap = "chy_bootstrap_0123456789abcdefghijklmnop"

var (
	backend    = flag.String("backend", "local", "local or minio")
	latency    = flag.Duration("latency", 5*time.Millisecond, "latency added each way between server and MinIO")
	reps       = flag.Int("reps", 9, "requests per row (median latency, mean operations)")
	proposals  = flag.Int("proposals", 200, "open proposals on the big document")
	docs       = flag.Int("documents", 51, "documents in the store for the idle replica row")
	only       = flag.String("only", "", "comma-separated rows to run, each by the start of its name: \"list\" for every list, \"list 50\" for the documents page (default all)")
	wrk        = flag.Duration("wrk", 0, "instead of the rows: run wrk this long against an authenticated GET of a version and a bare Echo handler serving the same bytes")
	conns      = flag.Int("connections", 64, "wrk connections")
	cpuprofile = flag.String("cpuprofile", "", "write a CPU profile of the wrk run to this file")
	accessLog  = flag.Bool("log", false, "with -wrk: write the server's JSON log at info level, one line per request, to stderr, as chancery serve does by default (redirect it)")
	settle     = flag.Duration("settle", 0, "wait this long after the setup before measuring (lets MinIO finish its background work after a bulk load)")
	rounds     = flag.Int("rounds", 1, "with -wrk: alternate the two wrk runs this many times, each -wrk long, and print the median ratio (the machine's load moves between runs)")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()
	store, cleanup := openStore(ctx)
	defer cleanup()

	metrics := api.NewMetrics()
	enforcer, err := policy.New()
	check(err)
	instrumented := metrics.InstrumentStore(store)
	svc := service.New(instrumented, diffing.New(), enforcer)
	svc.Renderer = render.New(render.WithDeterministic(true))
	_, err = svc.Bootstrap(ctx, bootstrap)
	check(err)
	var logger *slog.Logger
	if *accessLog {
		logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	srv := api.NewServer(svc, enforcer, render.New(render.WithDeterministic(true)), logger)
	srv.Metrics = metrics
	check(srv.Open("127.0.0.1:0"))
	defer srv.Close(ctx)
	b := &bench{base: "http://" + srv.Addr(), metrics: metrics, svc: svc, tokens: map[string]string{"sec": bootstrap}}
	// replica starts another server on the same store, with nothing
	// cached: what a request costs on a replica that has not seen the
	// objects yet.
	b.replica = func() (string, func()) {
		rsvc := service.New(instrumented, diffing.New(), enforcer)
		rsvc.Renderer = render.New(render.WithDeterministic(true))
		rs := api.NewServer(rsvc, enforcer, rsvc.Renderer, nil)
		rs.Metrics = metrics
		check(rs.Open("127.0.0.1:0"))
		return "http://" + rs.Addr(), func() { rs.Close(ctx) }
	}

	if *wrk > 0 {
		if *cpuprofile != "" {
			f, err := os.Create(*cpuprofile)
			check(err)
			check(pprof.StartCPUProfile(f))
			defer pprof.StopCPUProfile()
		}
		b.throughput()
		return
	}
	b.setup()
	rows := []struct {
		name string
		run  func() (ops float64, ms float64)
	}{
		{"GET version", b.getVersion},
		{"GET document", b.getDocument},
		{"POST proposal", b.postProposal},
		{fmt.Sprintf("list 100 of %d proposals", *proposals), b.listProposals},
		{fmt.Sprintf("list 100 of %d proposals, new replica", *proposals), b.listProposalsNewReplica},
		{fmt.Sprintf("list 50 of %d documents", *docs+3), b.listDocuments},
		{fmt.Sprintf("compilation, %d open proposals", *proposals), b.compilation},
		{fmt.Sprintf("compilation, %d open proposals, new replica", *proposals), b.compilationNewReplica},
		{"merge of 28 proposals", b.merge},
		{fmt.Sprintf("idle replica, %d documents (ops/s)", *docs), b.idle},
	}
	fmt.Printf("backend %s", *backend)
	if *backend == "minio" {
		fmt.Printf(" (+%s each way)", *latency)
	}
	fmt.Printf(", median of %d\n", *reps)
	fmt.Printf("%-42s %10s %12s\n", "request", "storage ops", "latency ms")
	for _, r := range rows {
		// -only items select the rows whose names they start.
		if !harness.Selected(*only, r.name, strings.HasPrefix) {
			continue
		}
		ops, ms := r.run()
		fmt.Printf("%-42s %10.1f %12.1f\n", r.name, ops, ms)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

type bench struct {
	base    string
	replica func() (base string, stop func())
	metrics *api.Metrics
	svc     drafts.Service
	tokens  map[string]string
	client  http.Client

	small, big, mergeDoc string
	smallProv, bigProv   []string
	mergeProps           []string
	n                    int
}

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
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/api"
	"chancery/diffing"
	"chancery/drafts"
	"chancery/policy"
	"chancery/render"
	"chancery/service"
	"chancery/storage"
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
		if !selected(r.name) {
			continue
		}
		ops, ms := r.run()
		fmt.Printf("%-42s %10.1f %12.1f\n", r.name, ops, ms)
	}
}

// throughput runs wrk against GET version (authenticated, through the
// whole server) and against a bare Echo handler serving the same bytes.
func (b *bench) throughput() {
	*proposals, *docs = 0, 0
	b.setup()
	path := "/v1/documents/" + b.small + "/versions/1"
	req, err := http.NewRequest("GET", b.base+path, nil)
	check(err)
	req.Header.Set("Authorization", "Bearer "+b.tokens["KZ"])
	resp, err := b.client.Do(req)
	check(err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ctype := resp.Header.Get("Content-Type")
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/bare", func(c echo.Context) error { return c.Blob(http.StatusOK, ctype, body) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go http.Serve(ln, e)
	run := func(name, url string, headers ...string) float64 {
		args := []string{"-t2", fmt.Sprintf("-c%d", *conns), "-d" + wrk.String(), "--latency"}
		for _, h := range headers {
			args = append(args, "-H", h)
		}
		out, err := exec.Command("wrk", append(args, url)...).CombinedOutput()
		check(err)
		rps, p99 := "", ""
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == "Requests/sec:" {
				rps = f[1]
			}
			if len(f) >= 2 && f[0] == "99%" {
				p99 = f[1]
			}
		}
		fmt.Printf("%-40s %12s req/s   p99 %s\n", name, rps, p99)
		f, _ := strconv.ParseFloat(rps, 64)
		return f
	}
	fmt.Printf("wrk %s, %d connections, %d-byte body\n", *wrk, *conns, len(body))
	var ratios []float64
	for r := 0; r < *rounds; r++ {
		bare := run("bare Echo handler, same bytes", "http://"+ln.Addr().String()+"/bare")
		auth := run("GET version (authenticated, "+*backend+")", b.base+path, "Authorization: Bearer "+b.tokens["KZ"])
		ratios = append(ratios, auth/bare)
	}
	if *rounds > 1 {
		sort.Float64s(ratios)
		fmt.Printf("ratio authenticated/bare by round %.2f, median %.2f\n", ratios, ratios[len(ratios)/2])
	}
}

// selected reports whether -only selects the row name: one of its
// comma-separated items starts the name ("list" selects every list row,
// "list 50" the documents page alone).
func selected(name string) bool {
	if *only == "" {
		return true
	}
	for _, o := range strings.Split(*only, ",") {
		if o != "" && strings.HasPrefix(name, o) {
			return true
		}
	}
	return false
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// openStore opens the local directory, or starts MinIO behind a latency
// proxy.
func openStore(ctx context.Context) (drafts.ObjectStore, func()) {
	dir, err := os.MkdirTemp("", "chancery-bench-")
	check(err)
	if *backend == "local" {
		l, err := storage.OpenLocal(dir)
		check(err)
		return l, func() { l.Close(); os.RemoveAll(dir) }
	}
	bin := os.Getenv("CHANCERY_MINIO_BIN")
	if bin == "" {
		bin = filepath.Join(os.Getenv("HOME"), ".cache/chancery/bin/minio")
	}
	addr, console := freeAddr(), freeAddr()
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, "--console-address", console, filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER=bench", "MINIO_ROOT_PASSWORD=benchsecret", "MINIO_BROWSER=off", "MINIO_UPDATE=off")
	check(cmd.Start())
	proxy := startProxy(addr, *latency)
	s3, err := storage.OpenS3(ctx, storage.Config{Type: "s3", S3Endpoint: proxy, S3Bucket: "bench", S3AccessKey: "bench", S3SecretKey: "benchsecret",
		S3CreateBucket: true, S3StartupWait: 30 * time.Second})
	check(err)
	return s3, func() { s3.Close(); cmd.Process.Kill(); cmd.Wait(); os.RemoveAll(dir) }
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	return ln.Addr().String()
}

// startProxy forwards TCP connections to target, delaying every chunk by
// delay in each direction (order kept), and returns its address.
func startProxy(target string, delay time.Duration) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				t, err := net.Dial("tcp", target)
				if err != nil {
					c.Close()
					return
				}
				go delayed(c, t, delay)
				go delayed(t, c, delay)
			}()
		}
	}()
	return ln.Addr().String()
}

func delayed(src, dst net.Conn, delay time.Duration) {
	type chunk struct {
		b  []byte
		at time.Time
	}
	ch := make(chan chunk, 4096)
	go func() {
		for c := range ch {
			time.Sleep(time.Until(c.at))
			if _, err := dst.Write(c.b); err != nil {
				break
			}
		}
		dst.Close()
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			ch <- chunk{append([]byte(nil), buf[:n]...), time.Now().Add(delay)}
		}
		if err != nil {
			close(ch)
			return
		}
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

// ops returns the storage operations counted so far by the server's metric.
func (b *bench) ops() float64 {
	fams, err := b.metrics.Registry.Gather()
	check(err)
	total := 0.0
	for _, f := range fams {
		if f.GetName() != "chancery_storage_operation_duration_seconds" {
			continue
		}
		for _, m := range f.GetMetric() {
			total += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return total
}

func (b *bench) do(method, path, who string, body any, want int, out any) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		check(err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.base+path, rd)
	check(err)
	req.Header.Set("Authorization", "Bearer "+b.tokens[who])
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := b.client.Do(req)
	check(err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		log.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		check(json.Unmarshal(data, out))
	}
}

// measure runs f reps times and returns the mean storage operations and
// the median latency in ms.
func (b *bench) measure(reps int, f func(i int)) (float64, float64) {
	var times []float64
	before := b.ops()
	for i := 0; i < reps; i++ {
		start := time.Now()
		f(i)
		times = append(times, float64(time.Since(start).Microseconds())/1000)
	}
	ops := (b.ops() - before) / float64(reps)
	sort.Float64s(times)
	return ops, times[len(times)/2]
}

// text makes a text of n provisions.
func text(n int) string {
	var sb strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "%d. The Member States, recalling provision %d, agree to strengthen cooperation on the matters listed in the annex and to report on progress at each session.\n\n", i, i)
	}
	return sb.String()
}

type version struct {
	Provisions []struct {
		ID string `json:"id"`
	} `json:"provisions"`
}

func (b *bench) document(title string, provisions int) (string, []string) {
	var resp struct {
		ID      string  `json:"id"`
		Version version `json:"version"`
	}
	b.do("POST", "/v1/documents", "chair", map[string]any{"symbol": "B/" + title, "title": title, "kind": "other", "body": "SWG",
		"language": "en", "visibility": "members", "text": text(provisions)}, 201, &resp)
	var ids []string
	for _, p := range resp.Version.Provisions {
		ids = append(ids, p.ID)
	}
	return resp.ID, ids
}

func (b *bench) propose(doc, prov, who string) string {
	b.n++
	var p struct {
		ID string `json:"id"`
	}
	b.do("POST", "/v1/documents/"+doc+"/proposals", who, map[string]any{"base": 1, "justification": "Clarity.",
		"operations": []map[string]string{{"op": "replace", "provision": prov, "text": fmt.Sprintf("The Member States agree, in wording %d, to cooperate.", b.n)}}}, 201, &p)
	return p.ID
}

func (b *bench) setup() {
	start := time.Now()
	for _, d := range [][2]string{{"KZ", "member"}, {"IN", "member"}, {"JP", "observer"}} {
		b.do("POST", "/v1/delegations", "sec", map[string]string{"id": d[0], "name": d[0], "status": d[1]}, 201, nil)
	}
	for _, u := range []map[string]string{
		{"name": "chair", "role": "chair", "body": "SWG"},
		{"name": "KZ", "role": "delegate", "delegation": "KZ"},
		{"name": "IN", "role": "delegate", "delegation": "IN"},
	} {
		var r struct {
			Token string `json:"token"`
		}
		b.do("POST", "/v1/users", "sec", u, 201, &r)
		b.tokens[u["name"]] = r.Token
	}
	b.small, b.smallProv = b.document("small", 30)
	b.big, b.bigProv = b.document("big", 60)
	if *proposals == 0 {
		return
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	var mu sync.Mutex
	for i := 0; i < *proposals; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			mu.Lock()
			b.n++
			n := b.n
			mu.Unlock()
			var p struct{}
			b.do("POST", "/v1/documents/"+b.big+"/proposals", []string{"KZ", "IN"}[i%2], map[string]any{"base": 1, "justification": "Clarity.",
				"operations": []map[string]string{{"op": "replace", "provision": b.bigProv[i%len(b.bigProv)], "text": fmt.Sprintf("The Member States agree, in wording %d, to cooperate.", n)}}}, 201, &p)
		}(i)
	}
	wg.Wait()
	b.mergeDoc, _ = b.document("merge", 40)
	for i := 3; i < *docs; i++ {
		b.document(fmt.Sprintf("filler%d", i), 3)
	}
	log.Printf("setup: %s", time.Since(start).Round(time.Millisecond))
	if *settle > 0 {
		// A store does not get thousands of objects in the last minute in
		// use: let MinIO finish what a bulk load leaves it to do (its
		// scanner, its listing caches) before measuring.
		log.Printf("settling for %s", *settle)
		time.Sleep(*settle)
	}
}

func (b *bench) getVersion() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents/"+b.small+"/versions/1", "KZ", nil, 200, nil) })
}

func (b *bench) getDocument() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents/"+b.small, "KZ", nil, 200, nil) })
}

func (b *bench) postProposal() (float64, float64) {
	return b.measure(*reps, func(i int) { b.propose(b.small, b.smallProv[i%len(b.smallProv)], "KZ") })
}

func (b *bench) listProposals() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents/"+b.big+"/proposals?limit=100", "KZ", nil, 200, nil) })
}

// listProposalsNewReplica is listProposals, each time the first request
// of a replica just started.
func (b *bench) listProposalsNewReplica() (float64, float64) {
	main := b.base
	defer func() { b.base = main }()
	bases := make([]string, *reps)
	for i := range bases {
		var stop func()
		bases[i], stop = b.replica()
		defer stop()
	}
	return b.measure(*reps, func(i int) {
		b.base = bases[i]
		b.do("GET", "/v1/documents/"+b.big+"/proposals?limit=100", "KZ", nil, 200, nil)
	})
}

func (b *bench) listDocuments() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents?limit=50", "KZ", nil, 200, nil) })
}

func (b *bench) compilation() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents/"+b.big+"/compilation", "KZ", nil, 200, nil) })
}

// merge merges 28 proposals on distinct provisions of a fresh document
// each time (the head moves, so each repetition needs its own).
func (b *bench) merge() (float64, float64) {
	reps := 3
	var docs []string
	var props [][]string
	for r := 0; r < reps; r++ {
		doc, prov := b.document(fmt.Sprintf("merge%d", r), 40)
		var ps []string
		for i := 0; i < 28; i++ {
			ps = append(ps, b.propose(doc, prov[i], []string{"KZ", "IN"}[i%2]))
		}
		docs, props = append(docs, doc), append(props, ps)
	}
	return b.measure(reps, func(i int) {
		b.do("POST", "/v1/documents/"+docs[i]+"/merges", "chair", map[string]any{"base": 1, "proposals": props[i]}, 201, nil)
	})
}

// idle counts what one pass of the silence sweep costs: serve runs it once
// a second on every replica, so this is the idle replica's ops per second.
func (b *bench) idle() (float64, float64) {
	ctx := context.Background()
	check(b.svc.SettleDue(ctx)) // a process's first sweep may do more
	return b.measure(5, func(int) { check(b.svc.SettleDue(ctx)) })
}

package main

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// sample is one merge: its time and its storage operations.
type sample struct {
	took time.Duration
	ops  float64
}

// row is what one page, as one kind of reader loads it, measured.
type row struct {
	times, bare []time.Duration
	errors      int
	firstError  string
	// byRound are the times of each measured round (1, 2 …), and of the
	// quiet rounds after them (0).
	byRound map[int][]time.Duration
}

// results is what one backend's run measured.
type results struct {
	backend    string
	rows       map[string]*row
	sizes      map[string]int
	opsPerView map[string]float64
	// cpuPerView is the server's processor time (user and system) per
	// view, in ms, in the same quiet rounds: what a view costs whatever
	// else shares the machine.
	cpuPerView map[string]float64
	merges     []sample
	// roundOps is the storage operations of a measured round (the views
	// and the next round's proposals, not the merge) by kind, averaged.
	roundOps map[string]float64
	// roundCPU is the processor time of a measured round (the same
	// views and proposals) in ms, averaged: the server's, and MinIO's.
	// Summed over whole rounds it moves less with the machine's load
	// than the latencies do, and tells two servers apart.
	roundCPU, roundMinIOCPU float64
	bigComp                 map[string]bigTimes
	bigN                    int
	PeakRSSKB               int64
	// round is the measured round under way (1, 2 …), 0 after them.
	round int
}

func newResults(backend string) *results {
	return &results{backend: backend, rows: map[string]*row{}, sizes: map[string]int{}, opsPerView: map[string]float64{}, cpuPerView: map[string]float64{}, roundOps: map[string]float64{}, bigComp: map[string]bigTimes{}}
}

// add records one page load; a failed one counts as an error and its
// time is kept (a client waited that long).
func (r *results) add(name string, bare bool, took time.Duration, ok bool, why string) {
	rw := r.rows[name]
	if rw == nil {
		rw = &row{}
		r.rows[name] = rw
	}
	if bare {
		rw.bare = append(rw.bare, took)
	} else {
		rw.times = append(rw.times, took)
		if rw.byRound == nil {
			rw.byRound = map[int][]time.Duration{}
		}
		rw.byRound[r.round] = append(rw.byRound[r.round], took)
	}
	if !ok {
		rw.errors++
		if rw.firstError == "" {
			rw.firstError = why
		}
	}
}

// quantile returns the q quantile of ts (nearest rank).
func quantile(ts []time.Duration, q float64) time.Duration {
	if len(ts) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ts...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (r *results) print(w io.Writer) {
	fmt.Fprintf(w, "\nbackend %s", r.backend)
	if r.backend == "minio" {
		fmt.Fprintf(w, " (+%s each way)", *latency)
	}
	fmt.Fprintf(w, ": %d readers at once after each merge, %d rounds\n", *readers, *rounds)
	fmt.Fprintf(w, "%-16s %7s %6s %8s %8s %8s %6s %9s %9s %6s %9s %7s\n", "page", "bytes", "views", "p50 ms", "p99 ms", "max ms", "errors", "bare p50", "bare p99", "p99 ×", "ops/view", "cpu ms")
	r.eachRow(func(name string, rw *row) {
		p99, b99 := quantile(rw.times, 0.99), quantile(rw.bare, 0.99)
		ratio := 0.0
		if b99 > 0 {
			ratio = float64(p99) / float64(b99)
		}
		fmt.Fprintf(w, "%-16s %7d %6d %8.1f %8.1f %8.1f %6d %9.1f %9.1f %6.1f %9.1f %7.2f\n", name, r.sizes[name], len(rw.times),
			ms(quantile(rw.times, 0.5)), ms(p99), ms(quantile(rw.times, 1)), rw.errors,
			ms(quantile(rw.bare, 0.5)), ms(b99), ratio, r.opsPerView[name], r.cpuPerView[name])
		if rw.firstError != "" {
			fmt.Fprintf(w, "  first error: %s\n", rw.firstError)
		}
	})
	r.printRounds(w)
	if len(r.roundOps) > 0 {
		var kinds []string
		for op := range r.roundOps {
			kinds = append(kinds, op)
		}
		sort.Strings(kinds)
		fmt.Fprintf(w, "storage operations in a round (views and proposals):")
		for _, op := range kinds {
			fmt.Fprintf(w, " %s %.0f", op, r.roundOps[op])
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "processor time in a round (views and proposals): server %.0f ms", r.roundCPU)
		if r.roundMinIOCPU > 0 {
			fmt.Fprintf(w, ", MinIO %.0f ms", r.roundMinIOCPU)
		}
		fmt.Fprintln(w)
	}
	var took []time.Duration
	var ops []float64
	for _, s := range r.merges {
		took = append(took, s.took)
		ops = append(ops, s.ops)
	}
	sort.Float64s(ops)
	if len(ops) > 0 {
		fmt.Fprintf(w, "merges of %d proposals: %d, median %.1f ms, max %.1f ms, median %.0f storage ops\n", *delegates, len(took),
			ms(quantile(took, 0.5)), ms(quantile(took, 1)), ops[len(ops)/2])
	}
	if r.bigN > 0 {
		for _, name := range []string{"web compilation", "API compilation"} {
			t := r.bigComp[name]
			fmt.Fprintf(w, "%s page with %d open proposals, one reader: first %.1f ms, then median of 9 %.1f ms, after one more proposal %.1f ms\n",
				name, r.bigN, ms(t.first), ms(t.warm), ms(t.oneMore))
		}
	}
	fmt.Fprintf(w, "server peak resident set: %.0f MB\n", float64(r.PeakRSSKB)/1024)
}

// printRounds prints each page's p99 in each measured round, and in the
// quiet rounds after them: the first round after the server starts is
// the one where each reader's own records (its last visit) are read.
func (r *results) printRounds(w io.Writer) {
	fmt.Fprintf(w, "p99 ms by round (1 … %d; quiet: one kind of page and reader at a time):\n", *rounds)
	r.eachRow(func(name string, rw *row) {
		fmt.Fprintf(w, "  %-16s", name)
		for i := 1; i <= *rounds; i++ {
			fmt.Fprintf(w, " %7.1f", ms(quantile(rw.byRound[i], 0.99)))
		}
		fmt.Fprintf(w, "   quiet %7.1f\n", ms(quantile(rw.byRound[0], 0.99)))
	})
}

// eachRow calls f with each page's row that has been measured, web pages
// first, in the order the readers load them.
func (r *results) eachRow(f func(name string, rw *row)) {
	for _, web := range []string{"web", "API"} {
		for _, kind := range pageKinds {
			name := web + " " + kind
			if rw := r.rows[name]; rw != nil {
				f(name, rw)
			}
		}
	}
}

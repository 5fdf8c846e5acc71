// Package harness holds what the benchmark commands under bench/ share:
// running each kind of work in a child process of its own, so that its
// peak resident set is its own; timing repeated runs of the work; the
// fixture pieces of the road map benchmarks; and the small helpers of the
// commands that drive a server.
package harness

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync/atomic"
	"syscall"
	"time"
)

// Result is what a child reports for one kind of work. Fields a command
// does not measure stay zero.
type Result struct {
	Kind       string  `json:"kind"`
	Pages      int     `json:"pages,omitempty"`
	Bytes      int     `json:"bytes"`
	MedianNS   int64   `json:"median_ns"`
	MinNS      int64   `json:"min_ns"`
	AllocBytes uint64  `json:"alloc_bytes"` // per run
	Allocs     uint64  `json:"allocs"`      // per run
	PeakHeap   uint64  `json:"peak_heap"`
	MaxRSSKB   int64   `json:"max_rss_kb"`
	PagesPerS  float64 `json:"pages_per_s,omitempty"`
}

// Children runs this program again once per kind, with the arguments
// args(kind), each in a child process of its own, reads the Result each
// child prints as JSON, and adds the child's peak resident set.
func Children(kinds []string, args func(kind string) []string) ([]Result, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var results []Result
	for _, k := range kinds {
		cmd := exec.Command(self, args(k)...)
		cmd.Stderr = os.Stderr
		data, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		var res Result
		if err := json.Unmarshal(data, &res); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.MaxRSSKB = ru.Maxrss
		}
		results = append(results, res)
	}
	return results, nil
}

// PeakHeap says how Measure finds the peak heap of the runs.
type PeakHeap int

const (
	// SampleLiveHeap reads the live heap every 100µs while the runs go
	// on, so that the peak is the peak during the work, not after it.
	SampleLiveHeap PeakHeap = iota
	// HeapInUseAfterRuns reads the heap in use after each run.
	HeapInUseAfterRuns
)

// Measure runs once for a warm-up, then n times, and returns the median
// and fastest times, the bytes and allocations per run, and the peak heap
// found as peak says. Kind names the work in the Result.
func Measure(kind string, n int, once func() error, peak PeakHeap) (Result, error) {
	if err := once(); err != nil {
		return Result{}, err
	}
	runtime.GC()
	var sampler *heapSampler
	if peak == SampleLiveHeap {
		sampler = sampleHeap()
	}
	var before, after, ms runtime.MemStats
	runtime.ReadMemStats(&before)
	var inUse uint64
	times := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := once(); err != nil {
			if sampler != nil {
				sampler.stop()
			}
			return Result{}, err
		}
		times = append(times, time.Since(start))
		if peak == HeapInUseAfterRuns {
			runtime.ReadMemStats(&ms)
			inUse = max(inUse, ms.HeapInuse)
		}
	}
	runtime.ReadMemStats(&after)
	if sampler != nil {
		inUse = sampler.stop()
	}
	slices.Sort(times)
	return Result{
		Kind: kind, MedianNS: int64(times[len(times)/2]), MinNS: int64(times[0]),
		AllocBytes: (after.TotalAlloc - before.TotalAlloc) / uint64(n),
		Allocs:     (after.Mallocs - before.Mallocs) / uint64(n),
		PeakHeap:   inUse,
	}, nil
}

// heapSampler reads the live heap every 100µs until stopped.
type heapSampler struct {
	peak atomic.Uint64
	halt chan struct{}
	done chan struct{}
}

func sampleHeap() *heapSampler {
	h := &heapSampler{halt: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > h.peak.Load() {
				h.peak.Store(v)
			}
			select {
			case <-h.halt:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	return h
}

// stop ends the sampling and returns the peak live heap seen.
func (h *heapSampler) stop() uint64 {
	close(h.halt)
	<-h.done
	return h.peak.Load()
}

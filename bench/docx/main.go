// Command docx benchmarks package docx on a 300-provision text made from
// the corpus road map (repeated under numbered parts): export of the clean
// text, export of the tracked changes between two versions of it, import of
// the clean .docx, and import of the tracked .docx with the derivation of
// the proposal's operations.
//
// Each kind runs in a child process of its own, so that its peak resident
// set is its own; inside, a sampler reads the live heap every 100µs, so
// that the peak heap is the peak during the work, not after it:
//
//	go run ./bench/docx -provisions 300
//
// prints per kind the file size, the median and fastest time, bytes and
// allocations per run, the peak live heap and the peak resident set.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"chancery/diffing"
	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/corpus"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "docx bench:", err)
		os.Exit(1)
	}
}

type result struct {
	Kind       string `json:"kind"`
	Bytes      int    `json:"bytes"`
	MedianNS   int64  `json:"median_ns"`
	MinNS      int64  `json:"min_ns"`
	AllocBytes uint64 `json:"alloc_bytes"`
	Allocs     uint64 `json:"allocs"`
	PeakHeap   uint64 `json:"peak_heap"`
	MaxRSSKB   int64  `json:"max_rss_kb"`
}

var kinds = []string{"export-text", "export-changes", "import-text", "import-changes"}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("docx-bench", flag.ContinueOnError)
	provisions := fs.Int("provisions", 300, "provisions of the text")
	n := fs.Int("n", 30, "runs per kind")
	kind := fs.String("kind", "", "run one kind in this process and print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *kind != "" {
		res, err := measure(*kind, *provisions, *n)
		if err != nil {
			return err
		}
		return json.NewEncoder(out).Encode(res)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var results []result
	for _, k := range kinds {
		cmd := exec.Command(self, "-provisions", strconv.Itoa(*provisions), "-n", strconv.Itoa(*n), "-kind", k)
		cmd.Stderr = os.Stderr
		data, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		var res result
		if err := json.Unmarshal(data, &res); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.MaxRSSKB = ru.Maxrss
		}
		results = append(results, res)
	}
	fmt.Fprintf(out, "%d provisions, %d runs per kind, GOMAXPROCS=%d, %s\n", *provisions, *n, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Fprintf(out, "%-15s %8s %10s %10s %9s %9s %10s %10s\n", "kind", ".docx KiB", "median", "fastest", "MiB/run", "allocs", "peak heap", "peak RSS")
	for _, r := range results {
		fmt.Fprintf(out, "%-15s %8d %10s %10s %9.2f %9d %8.1fMi %8.1fMi\n", r.Kind, r.Bytes/1024,
			time.Duration(r.MedianNS).Round(time.Microsecond*10), time.Duration(r.MinNS).Round(time.Microsecond*10),
			float64(r.AllocBytes)/(1<<20), r.Allocs, float64(r.PeakHeap)/(1<<20), float64(r.MaxRSSKB)/1024)
	}
	return nil
}

func measure(kind string, provisions, n int) (result, error) {
	doc, v1, v2, diff, err := fixture(provisions)
	if err != nil {
		return result{}, err
	}
	w := docx.New()
	var clean, tracked bytes.Buffer
	if err := w.TextWord(&clean, doc, v1, nil); err != nil {
		return result{}, err
	}
	if err := w.ChangesWord(&tracked, doc, v1, v2, diff); err != nil {
		return result{}, err
	}
	var buf bytes.Buffer
	size := 0
	once := func() error {
		buf.Reset()
		switch kind {
		case "export-text":
			err := w.TextWord(&buf, doc, v1, nil)
			size = buf.Len()
			return err
		case "export-changes":
			err := w.ChangesWord(&buf, doc, v1, v2, diff)
			size = buf.Len()
			return err
		case "import-text":
			size = clean.Len()
			f, err := w.ReadWord(clean.Bytes())
			if err == nil && len(f.Edited) != len(v1.Provisions) {
				err = fmt.Errorf("read %d provisions, want %d", len(f.Edited), len(v1.Provisions))
			}
			return err
		case "import-changes":
			size = tracked.Len()
			f, err := w.ReadWord(tracked.Bytes())
			if err != nil {
				return err
			}
			ops, err := f.Operations(v1.Provisions, drafts.Limits{})
			if err == nil && len(ops) == 0 {
				err = fmt.Errorf("no operations")
			}
			return err
		}
		return fmt.Errorf("unknown kind %q", kind)
	}
	if err := once(); err != nil {
		return result{}, err
	}
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the live heap
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	times := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := once(); err != nil {
			return result{}, err
		}
		times = append(times, time.Since(start))
	}
	runtime.ReadMemStats(&after)
	close(stop)
	<-done
	slices.Sort(times)
	return result{
		Kind: kind, Bytes: size, MedianNS: int64(times[len(times)/2]), MinNS: int64(times[0]),
		AllocBytes: (after.TotalAlloc - before.TotalAlloc) / uint64(n),
		Allocs:     (after.Mallocs - before.Mallocs) / uint64(n),
		PeakHeap:   peak.Load(),
	}, nil
}

// fixture builds the text from the corpus road map and a second version:
// every seventh paragraph amended, a paragraph inserted before every 29th,
// every 31st deleted; the diff is the server's (package diffing).
func fixture(provisions int) (*drafts.Document, *drafts.Version, *drafts.Version, *drafts.Diff, error) {
	src, err := corpus.Text("sample-draft-road-map.txt")
	if err != nil {
		return nil, nil, nil, nil, err
	}
	base, err := drafts.ParseText(src, drafts.Limits{})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var ps []drafts.Provision
	for part := 1; len(ps) < provisions; part++ {
		for _, p := range base.Provisions {
			if len(ps) == provisions {
				break
			}
			if p.Kind == drafts.KindHeading {
				p.Text = "Part " + strconv.Itoa(part) + ". " + p.Text
			}
			p.Gap = "\n\n"
			ps = append(ps, p)
		}
	}
	for i := range ps {
		ps[i].ID = "p" + strconv.Itoa(i+1)
	}
	renumber(ps)
	var ps2 []drafts.Provision
	for i, p := range ps {
		if p.Kind == drafts.KindParagraph && i%31 == 0 {
			continue
		}
		if p.Kind == drafts.KindParagraph && i%29 == 0 {
			ps2 = append(ps2, drafts.Provision{ID: "n" + strconv.Itoa(i), Kind: drafts.KindParagraph, Number: "1.", Text: "The Member States shall exchange information on the implementation of this paragraph annually.", Gap: "\n\n"})
		}
		if at := strings.Index(p.Text, " shall "); p.Kind == drafts.KindParagraph && i%7 == 0 && at >= 0 {
			p.Text = p.Text[:at] + " should, as a rule, " + p.Text[at+7:] + " This applies mutatis mutandis."
		}
		ps2 = append(ps2, p)
	}
	renumber(ps2)
	created := time.Date(2024, 3, 11, 9, 0, 0, 0, time.UTC)
	v1 := &drafts.Version{Document: "d1", Number: 1, CreatedAt: created, Provisions: ps}
	v2 := &drafts.Version{Document: "d1", Number: 2, Parent: 1, CreatedAt: created.Add(48 * time.Hour), Provisions: ps2}
	diff := diffing.New().Provisions(v1.Provisions, v2.Provisions)
	delegations := []string{"KZ", "RU", "CN", "IN", "TR", "MN"}
	for i := range diff.Changes {
		if diff.Changes[i].Kind != drafts.ChangeUnchanged {
			diff.Changes[i].Delegations = []string{delegations[i%len(delegations)]}
		}
	}
	doc := &drafts.Document{ID: "d1", Symbol: "CICA/SWG/2024/R.1", Title: "Draft Road Map for the Transformation of the Conference",
		Kind: "road-map", Body: "SWG", Language: "en", Visibility: drafts.VisibilityMembers}
	return doc, v1, v2, diff, nil
}

func renumber(ps []drafts.Provision) {
	n := 0
	for i := range ps {
		if ps[i].Kind == drafts.KindParagraph && ps[i].Number != "" {
			n++
			ps[i].Number = strconv.Itoa(n) + "."
		}
	}
}

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
	"runtime"
	"strconv"
	"time"

	"chancery/bench/internal/harness"
	"chancery/diffing"
	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/corpus"
)

func main() { harness.Main("docx bench", run) }

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
	results, err := harness.Children(kinds, func(k string) []string {
		return []string{"-provisions", strconv.Itoa(*provisions), "-n", strconv.Itoa(*n), "-kind", k}
	})
	if err != nil {
		return err
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

// measure runs one kind n times on the fixture and reports its times, its
// allocations and the peak live heap, and the size of the .docx.
func measure(kind string, provisions, n int) (harness.Result, error) {
	doc, v1, v2, diff, err := fixture(provisions)
	if err != nil {
		return harness.Result{}, err
	}
	w := docx.New()
	var clean, tracked bytes.Buffer
	if err := w.TextWord(&clean, doc, v1, nil); err != nil {
		return harness.Result{}, err
	}
	if err := w.ChangesWord(&tracked, doc, v1, v2, diff); err != nil {
		return harness.Result{}, err
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
			return importText(w, clean.Bytes(), v1)
		case "import-changes":
			size = tracked.Len()
			return importChanges(w, tracked.Bytes(), v1)
		}
		return fmt.Errorf("unknown kind %q", kind)
	}
	res, err := harness.Measure(kind, n, once, harness.SampleLiveHeap)
	res.Bytes = size
	return res, err
}

// importText reads the clean .docx of v back.
func importText(w *docx.Word, data []byte, v *drafts.Version) error {
	f, err := w.ReadWord(data)
	if err == nil && len(f.Edited) != len(v.Provisions) {
		err = fmt.Errorf("read %d provisions, want %d", len(f.Edited), len(v.Provisions))
	}
	return err
}

// importChanges reads the tracked .docx and derives the operations that
// make its text from v.
func importChanges(w *docx.Word, data []byte, v *drafts.Version) error {
	f, err := w.ReadWord(data)
	if err != nil {
		return err
	}
	ops, err := f.Operations(v.Provisions, drafts.Limits{})
	if err == nil && len(ops) == 0 {
		err = fmt.Errorf("no operations")
	}
	return err
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
	harness.Renumber(ps)
	var ps2 []drafts.Provision
	for i, p := range ps {
		if p.Kind == drafts.KindParagraph && i%31 == 0 {
			continue
		}
		if p.Kind == drafts.KindParagraph && i%29 == 0 {
			ps2 = append(ps2, harness.Inserted(i))
		}
		if at := harness.AmendedAt(p, i); at >= 0 {
			p.Text = harness.Amended(p.Text, at)
		}
		ps2 = append(ps2, p)
	}
	harness.Renumber(ps2)
	created := time.Date(2024, 3, 11, 9, 0, 0, 0, time.UTC)
	v1 := &drafts.Version{Document: "d1", Number: 1, CreatedAt: created, Provisions: ps}
	v2 := &drafts.Version{Document: "d1", Number: 2, Parent: 1, CreatedAt: created.Add(48 * time.Hour), Provisions: ps2}
	diff := diffing.New().Provisions(v1.Provisions, v2.Provisions)
	for i := range diff.Changes {
		if diff.Changes[i].Kind != drafts.ChangeUnchanged {
			diff.Changes[i].Delegations = []string{harness.Delegations[i%len(harness.Delegations)]}
		}
	}
	return harness.RoadMap(), v1, v2, diff, nil
}

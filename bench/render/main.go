// Command render benchmarks package render on a long text made from the
// corpus road map (repeated under numbered parts, about -pages A4 pages):
// the agreed text, the tracked changes between two versions of it, and the
// floor they are measured against, gofpdf writing the same text with one
// font in one MultiCell and no layout of ours.
//
// Each kind runs in a child process of its own, so that the peak memory
// (the child's maximum resident set) is that kind's alone:
//
//	go run ./bench/render -corpus internal/corpus/sample-draft-road-map.txt
//
// prints, per kind, the pages, the median and fastest time per document,
// pages per second, bytes and allocations per document, the peak heap and
// the peak resident set, and the agreed text's time over the floor's.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/goregular"

	"chancery/bench/internal/harness"
	"chancery/drafts"
	"chancery/render"
)

func main() { harness.Main("render bench", run) }

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("render-bench", flag.ContinueOnError)
	corpus := fs.String("corpus", "internal/corpus/sample-draft-road-map.txt", "the road map in Chancery's markup")
	pages := fs.Int("pages", 100, "about how many pages the text has")
	n := fs.Int("n", 15, "documents per kind")
	kind := fs.String("kind", "", "run one kind (floor, agreed, changes) in this process and print JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	text, err := os.ReadFile(*corpus)
	if err != nil {
		return err
	}
	if *kind != "" {
		res, err := measure(*kind, string(text), *pages, *n)
		if err != nil {
			return err
		}
		return json.NewEncoder(out).Encode(res)
	}

	results, err := harness.Children([]string{"floor", "agreed", "changes"}, func(k string) []string {
		return []string{"-corpus", *corpus, "-pages", strconv.Itoa(*pages), "-n", strconv.Itoa(*n), "-kind", k}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d documents per kind, GOMAXPROCS=%d, %s\n", *n, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Fprintf(out, "%-8s %6s %9s %10s %10s %9s %10s %9s %10s %10s\n", "kind", "pages", "KiB", "median", "fastest", "pages/s", "MiB/doc", "allocs", "peak heap", "peak RSS")
	for _, r := range results {
		fmt.Fprintf(out, "%-8s %6d %9d %10s %10s %9.0f %10.1f %9d %8.1fMi %8.1fMi\n", r.Kind, r.Pages, r.Bytes/1024,
			time.Duration(r.MedianNS).Round(time.Millisecond/10), time.Duration(r.MinNS).Round(time.Millisecond/10), r.PagesPerS,
			float64(r.AllocBytes)/(1<<20), r.Allocs, float64(r.PeakHeap)/(1<<20), float64(r.MaxRSSKB)/1024)
	}
	floor, agreed := results[0], results[1]
	fmt.Fprintf(out, "agreed / floor: %.2f× by median time, %.2f× per page\n",
		float64(agreed.MedianNS)/float64(floor.MedianNS),
		(float64(agreed.MedianNS)/float64(agreed.Pages))/(float64(floor.MedianNS)/float64(floor.Pages)))
	return nil
}

// measure renders one kind n times and reports the median and fastest
// times, the allocations per document and the peak heap.
func measure(kind, corpus string, pages, n int) (harness.Result, error) {
	doc, v1, v2, diff, err := fixture(corpus, pages)
	if err != nil {
		return harness.Result{}, err
	}
	r := render.New(render.WithDeterministic(true))
	var buf bytes.Buffer
	render1 := func() error {
		buf.Reset()
		switch kind {
		case "agreed":
			return r.AgreedPDF(&buf, doc, v1, nil)
		case "changes":
			return r.ChangesPDF(&buf, doc, v1, v2, diff)
		case "floor":
			return floor(&buf, v1.Text())
		}
		return fmt.Errorf("unknown kind %q", kind)
	}
	res, err := harness.Measure(kind, n, render1, harness.HeapInUseAfterRuns)
	if err != nil {
		return res, err
	}
	res.Pages = bytes.Count(buf.Bytes(), []byte("/Type /Page\n"))
	res.Bytes = buf.Len()
	res.PagesPerS = float64(res.Pages) / time.Duration(res.MedianNS).Seconds()
	return res, nil
}

// floor writes text with gofpdf alone: one font, one MultiCell.
func floor(w io.Writer, text string) error {
	pdf := gofpdf.New("P", "pt", "A4", "")
	pdf.SetCompression(true)
	pdf.AddUTF8FontFromBytes("go", "", goregular.TTF)
	pdf.SetMargins(72, 70, 64)
	pdf.SetAutoPageBreak(true, 66)
	pdf.AddPage()
	pdf.SetFont("go", "", 11)
	pdf.MultiCell(0, 15, text, "", "L", false)
	return pdf.Output(w)
}

// fixture builds the long text in two versions and their diff: in version
// 2 every seventh paragraph is amended, a paragraph is inserted before
// every 29th and every 31st is deleted, so that numbers change too.
func fixture(corpus string, pages int) (*drafts.Document, *drafts.Version, *drafts.Version, *drafts.Diff, error) {
	base, err := drafts.ParseText(corpus, drafts.Limits{})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ps := longText(base.Provisions, pages)
	created := time.Date(2024, 3, 11, 9, 0, 0, 0, time.UTC)
	v1 := &drafts.Version{Document: "d1", Number: 1, CreatedAt: created, Provisions: ps}
	v1.Hash = drafts.HashText(v1.Text())
	ps2, changes := edit(ps)
	harness.Renumber(ps2)
	renumbered(ps2, changes)
	v2 := &drafts.Version{Document: "d1", Number: 2, Parent: 1, CreatedAt: created.Add(48 * time.Hour), Provisions: ps2}
	v2.Hash = drafts.HashText(v2.Text())
	doc := harness.RoadMap()
	doc.State, doc.Head = drafts.StateNegotiation, 2
	return doc, v1, v2, &drafts.Diff{Changes: changes}, nil
}

// longText repeats the provisions under numbered parts to about pages
// pages (20 provisions a page), with ids and numbers throughout.
func longText(base []drafts.Provision, pages int) []drafts.Provision {
	var ps []drafts.Provision
	for part := 1; len(ps) < pages*20; part++ {
		for _, p := range base {
			if p.Kind == drafts.KindHeading && len(ps)%len(base) == 0 {
				p.Text = "Part " + strconv.Itoa(part)
			}
			p.Gap = "\n\n"
			ps = append(ps, p)
		}
	}
	for i := range ps {
		ps[i].ID = "p" + strconv.Itoa(i+1)
	}
	harness.Renumber(ps)
	return ps
}

// edit makes the second version's provisions (not yet renumbered) and the
// changes from ps to them, each by a delegation in turn: every 31st
// paragraph deleted, a paragraph inserted before every 29th, every
// seventh amended.
func edit(ps []drafts.Provision) ([]drafts.Provision, []drafts.Change) {
	var ps2 []drafts.Provision
	var changes []drafts.Change
	for i, p := range ps {
		who := []string{harness.Delegations[i%len(harness.Delegations)]}
		if p.Kind == drafts.KindParagraph && i%31 == 0 {
			changes = append(changes, drafts.Change{Kind: drafts.ChangeDeleted, Provision: p.ID, ProvisionKind: p.Kind, OldNumber: p.Number, OldText: p.Text, Delegations: who})
			continue
		}
		if p.Kind == drafts.KindParagraph && i%29 == 0 {
			n := harness.Inserted(i)
			ps2 = append(ps2, n)
			c := drafts.Change{Kind: drafts.ChangeInserted, Provision: n.ID, ProvisionKind: n.Kind, Text: n.Text, Delegations: who}
			if len(ps2) > 1 {
				c.After = ps2[len(ps2)-2].ID
			}
			changes = append(changes, c)
		}
		c := drafts.Change{Kind: drafts.ChangeUnchanged, Provision: p.ID, ProvisionKind: p.Kind, OldNumber: p.Number, Text: p.Text}
		if at := harness.AmendedAt(p, i); at >= 0 {
			c.Kind, c.Modified, c.OldText, c.Delegations = drafts.ChangeModified, true, p.Text, who
			c.Segments = []drafts.Segment{
				{Op: drafts.SegEqual, Text: p.Text[:at+1]},
				{Op: drafts.SegDelete, Text: "shall", Delegation: who[0]},
				{Op: drafts.SegInsert, Text: "should, as a rule,", Delegation: who[0]},
				{Op: drafts.SegEqual, Text: p.Text[at+6:]},
				{Op: drafts.SegInsert, Text: harness.AmendedTail, Delegation: who[0]},
			}
			p.Text = harness.Amended(p.Text, at)
			c.Text = p.Text
		}
		ps2 = append(ps2, p)
		changes = append(changes, c)
	}
	return ps2, changes
}

// renumbered gives the changes the new numbers of ps2, marking those whose
// number changed renumbered.
func renumbered(ps2 []drafts.Provision, changes []drafts.Change) {
	numbers := map[string]string{}
	for _, p := range ps2 {
		numbers[p.ID] = p.Number
	}
	for i := range changes {
		c := &changes[i]
		if c.Kind == drafts.ChangeDeleted {
			continue
		}
		c.Number = numbers[c.Provision]
		if c.Kind != drafts.ChangeInserted && c.OldNumber != c.Number {
			c.Renumbered = true
			if c.Kind == drafts.ChangeUnchanged {
				c.Kind = drafts.ChangeRenumbered
			}
		}
	}
}

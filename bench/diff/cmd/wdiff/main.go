// Command wdiff diffs two text files as `chancery diff OLD NEW` will: it
// parses both, gives the old one's provisions ids, aligns the new one to it
// (it has no ids), and diffs the provisions word by word. It exists to time
// Chancery's diff against git's in bench/diff/run.sh.
//
//	wdiff [-format text|json] [-stats] OLD NEW
//
// The text format prints each changed provision with [-deleted-] and
// {+inserted+} words; -stats prints the time taken and the bytes allocated
// to standard error.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"chancery/diffing"
	"chancery/drafts"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "wdiff:", err)
		os.Exit(2)
	}
}

// limits admit the benchmarks' largest texts.
var limits = drafts.Limits{MaxBytes: 256 << 20, MaxProvisions: 1 << 20}

func run(args []string, stdout, stderr io.Writer) error {
	start := time.Now()
	fs := flag.NewFlagSet("wdiff", flag.ContinueOnError)
	format := fs.String("format", "text", "output format: text or json")
	stats := fs.Bool("stats", false, "print time and allocation to standard error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return fmt.Errorf("usage: wdiff [-format text|json] [-stats] OLD NEW")
	}
	// The two files are read and parsed at once.
	var new []drafts.Provision
	var newErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		new, newErr = parse(fs.Arg(1))
	}()
	old, err := parse(fs.Arg(0))
	<-done
	if err != nil {
		return err
	}
	if newErr != nil {
		return newErr
	}
	parsed := time.Now()
	for i := range old {
		old[i].ID = fmt.Sprintf("p%d", i+1)
	}
	d := diffing.New()
	match := d.Align(old, new)
	aligned := time.Now()
	for i, j := range match {
		if j >= 0 {
			new[i].ID = old[j].ID
		} else {
			new[i].ID = fmt.Sprintf("n%d", i+1)
		}
	}
	diff := d.Provisions(old, new)
	diffed := time.Now()

	w := bufio.NewWriterSize(stdout, 64<<10)
	switch *format {
	case "json":
		if err := json.NewEncoder(w).Encode(diff); err != nil {
			return err
		}
	case "text":
		writeText(w, diff)
	default:
		return fmt.Errorf("unknown format %q (text or json)", *format)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if *stats {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		ms := func(from, to time.Time) float64 { return float64(to.Sub(from).Microseconds()) / 1000 }
		end := time.Now()
		fmt.Fprintf(stderr, "elapsed_ms=%.1f parse_ms=%.1f align_ms=%.1f diff_ms=%.1f output_ms=%.1f alloc_mb=%.1f changes=%d coarse=%v\n",
			ms(start, end), ms(start, parsed), ms(parsed, aligned), ms(aligned, diffed), ms(diffed, end),
			float64(m.TotalAlloc)/(1<<20), len(diff.Changes), diff.Coarse)
	}
	return nil
}

func parse(path string) ([]drafts.Provision, error) {
	text, err := readFile(path)
	if err != nil {
		return nil, err
	}
	t, err := drafts.ParseText(text, limits)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t.Provisions, nil
}

// readFile reads a file into a string without the copy of
// string(os.ReadFile(path)).
func readFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 && fi.Size() <= int64(limits.MaxBytes) {
		b.Grow(int(fi.Size()) + 1)
	}
	if _, err := io.Copy(&b, f); err != nil {
		return "", err
	}
	return b.String(), nil
}

// writeText prints the changed provisions, one block each.
func writeText(w *bufio.Writer, diff *drafts.Diff) {
	for _, c := range diff.Changes {
		if c.Kind == drafts.ChangeUnchanged {
			continue
		}
		fmt.Fprintf(w, "@@ %s %s", c.Kind, c.Provision)
		if c.OldNumber != "" && c.Number != "" {
			fmt.Fprintf(w, " %s → %s", c.OldNumber, c.Number)
		}
		w.WriteString("\n")
		switch {
		case c.Kind == drafts.ChangeDeleted:
			w.WriteString("[-" + c.OldText + "-]\n")
		case c.Kind == drafts.ChangeInserted:
			w.WriteString("{+" + c.Text + "+}\n")
		case len(c.Segments) > 0:
			for _, s := range c.Segments {
				switch s.Op {
				case drafts.SegDelete:
					w.WriteString("[-" + s.Text + "-]")
				case drafts.SegInsert:
					w.WriteString("{+" + s.Text + "+}")
				default:
					w.WriteString(s.Text)
				}
			}
			w.WriteString("\n")
		}
	}
}

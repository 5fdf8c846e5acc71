package render_test

import (
	"bytes"
	"chancery/internal/corpus"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
	"chancery/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// fixedTime is the clock of the tests.
var fixedTime = time.Date(2024, 3, 14, 10, 30, 0, 0, time.UTC)

// MustRenderer returns a deterministic Renderer with a fixed clock.
func MustRenderer(tb testing.TB, opts ...render.Option) *render.Renderer {
	tb.Helper()
	opts = append([]render.Option{render.WithDeterministic(true), render.WithClock(func() time.Time { return fixedTime })}, opts...)
	r := render.New(opts...)
	if err := r.Err(); err != nil {
		tb.Fatalf("render.New: %v", err)
	}
	return r
}

// MustCorpus reads a text of the test corpus.
func MustCorpus(tb testing.TB, name string) string {
	tb.Helper()
	return corpus.Must(tb, name)
}

// MustTestdata reads a file of testdata.
func MustTestdata(tb testing.TB, name string) string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// MustVersion parses a text into version n, with provision ids p1, p2...
func MustVersion(tb testing.TB, text string, n int) *drafts.Version {
	tb.Helper()
	t, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		tb.Fatalf("ParseText: %v", err)
	}
	for i := range t.Provisions {
		t.Provisions[i].ID = fmt.Sprintf("p%d", i+1)
	}
	v := &drafts.Version{
		Document:   "d1",
		Number:     n,
		Author:     "secretariat",
		CreatedAt:  time.Date(2024, 3, 10+n, 9, 0, 0, 0, time.UTC),
		Provisions: t.Provisions,
		Lead:       t.Lead,
	}
	v.Hash = drafts.HashText(v.Text())
	return v
}

// FixtureDoc is the document of the fixtures.
func FixtureDoc(lang string) *drafts.Document {
	title := "Draft Road Map for the Transformation of the Conference"
	if lang == "ru" {
		title = "Проект дорожной карты трансформации Совещания"
	}
	return &drafts.Document{
		ID: "d1", Symbol: "CICA/SWG/2024/R.1", Title: title, Kind: "road-map",
		Body: "SWG", Language: lang, Visibility: drafts.VisibilityMembers,
		State: drafts.StateNegotiation, Head: 2,
	}
}

// Golden compares got with testdata/name, or rewrites it with -update.
func Golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the output (run go test -update after checking):\n%s", path, firstDifference(string(want), string(got)))
	}
}

// firstDifference shows the first line that differs.
func firstDifference(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, w, g)
		}
	}
	return "(lengths differ)"
}

// NeedTool returns the path of a command-line tool: the test fails without
// it on CI (CI=true) and is skipped elsewhere.
func NeedTool(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not installed (apt-get install -y poppler-utils qpdf)", name)
		}
		tb.Skipf("%s is not installed (apt-get install -y poppler-utils qpdf)", name)
	}
	return path
}

// WritePDF writes a PDF into the test's temporary directory, and into
// $RENDER_OUT when set (to look at it).
func WritePDF(tb testing.TB, name string, pdf []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	if dir := os.Getenv("RENDER_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), pdf, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return path
}

// run runs a tool and returns its standard output.
func run(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	cmd := exec.Command(NeedTool(tb, name), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// CheckPDF runs qpdf --check and pdffonts on a PDF file: the file must be
// sound and every font embedded.
func CheckPDF(tb testing.TB, path string) {
	tb.Helper()
	if out := run(tb, "qpdf", "--check", path); !strings.Contains(out, "No syntax or stream encoding errors") {
		tb.Errorf("qpdf --check %s:\n%s", path, out)
	}
	fonts := run(tb, "pdffonts", path)
	lines := strings.Split(strings.TrimSpace(fonts), "\n")
	if len(lines) < 3 {
		tb.Fatalf("pdffonts lists no font:\n%s", fonts)
	}
	// The emb column follows the name, type and encoding columns.
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		if len(f) < 7 || f[len(f)-5] != "yes" {
			tb.Errorf("font not embedded: %q", l)
		}
	}
}

// PDFText returns pdftotext's text of a PDF file (pages first to last, 0
// for all).
func PDFText(tb testing.TB, path string, first, last int) string {
	tb.Helper()
	args := []string{"-enc", "UTF-8"}
	if first > 0 {
		args = append(args, "-f", fmt.Sprint(first), "-l", fmt.Sprint(last))
	}
	return run(tb, "pdftotext", append(args, path, "-")...)
}

// PDFPages returns the page count of a PDF file.
func PDFPages(tb testing.TB, path string) int {
	tb.Helper()
	out := run(tb, "pdfinfo", path)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(out)
	if m == nil {
		tb.Fatalf("pdfinfo: no page count:\n%s", out)
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

// Words splits a text into words.
func Words(s string) []string { return strings.Fields(s) }

// MissingWords returns the first words of want that do not appear, in
// order, in got (other words may come between: headers, footers).
func MissingWords(want, got []string) []string {
	j := 0
	for i, w := range want {
		// A word too long for a line comes back cut in two.
		for j < len(got) && got[j] != w && (j+1 == len(got) || got[j]+got[j+1] != w) {
			j++
		}
		if j == len(got) {
			end := min(i+5, len(want))
			return want[i:end]
		}
		if got[j] != w {
			j++
		}
		j++
	}
	return nil
}

// tokenRE splits a text into words and the spaces between them.
var tokenRE = regexp.MustCompile(`\s+|[^\s]+`)

// WordSegments is a small word diff (longest common subsequence) for
// fixtures: the segments turning old into new, attributed to delegation.
func WordSegments(old, new, delegation string) []drafts.Segment {
	a, b := tokenRE.FindAllString(old, -1), tokenRE.FindAllString(new, -1)
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var segs []drafts.Segment
	add := func(op, text string) {
		if n := len(segs); n > 0 && segs[n-1].Op == op {
			segs[n-1].Text += text
			return
		}
		s := drafts.Segment{Op: op, Text: text}
		if op != drafts.SegEqual {
			s.Delegation = delegation
		}
		segs = append(segs, s)
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			add(drafts.SegEqual, a[i])
			i, j = i+1, j+1
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			add(drafts.SegDelete, a[i])
			i++
		default:
			add(drafts.SegInsert, b[j])
			j++
		}
	}
	return segs
}

// Edit describes how a fixture's second version differs from the first.
type Edit struct {
	// By names the delegation behind each changed provision id.
	By map[string]string
	// Moved lists the ids of moved provisions.
	Moved map[string]bool
}

// MustDiff builds the diff of two versions whose provisions share ids, as
// the diffing package would: the new text's provisions in order, deleted
// ones where they stood.
func MustDiff(tb testing.TB, from, to *drafts.Version, e Edit) *drafts.Diff {
	tb.Helper()
	old := map[string]drafts.Provision{}
	oldIndex := map[string]int{}
	for i, p := range from.Provisions {
		old[p.ID] = p
		oldIndex[p.ID] = i
	}
	inNew := map[string]bool{}
	for _, p := range to.Provisions {
		inNew[p.ID] = true
	}
	d := &drafts.Diff{}
	deletedBefore := func(limit int) {
		// deleted provisions of the old text standing before old index limit
		for i := 0; i < limit && i < len(from.Provisions); i++ {
			p := from.Provisions[i]
			if inNew[p.ID] || p.ID == "" {
				continue
			}
			c := drafts.Change{Kind: drafts.ChangeDeleted, Provision: p.ID, ProvisionKind: p.Kind, OldNumber: p.Number, OldText: p.Text}
			if by := e.By[p.ID]; by != "" {
				c.Delegations = []string{by}
			}
			d.Changes = append(d.Changes, c)
			from.Provisions[i].ID = "" // emitted (on a copy made below)
		}
	}
	// Work on a copy so that marking emitted deletions leaves from intact.
	saved := append([]drafts.Provision(nil), from.Provisions...)
	defer func() { from.Provisions = saved }()
	from.Provisions = append([]drafts.Provision(nil), saved...)
	prev := ""
	for _, p := range to.Provisions {
		o, ok := old[p.ID]
		if ok && !e.Moved[p.ID] {
			deletedBefore(oldIndex[p.ID])
		}
		c := drafts.Change{Provision: p.ID, ProvisionKind: p.Kind, Number: p.Number, Text: p.Text}
		by := e.By[p.ID]
		if by != "" {
			c.Delegations = []string{by}
		}
		switch {
		case !ok:
			c.Kind = drafts.ChangeInserted
			c.After = prev
		default:
			c.OldNumber, c.OldText = o.Number, o.Text
			c.Modified = o.Text != p.Text
			c.Renumbered = o.Number != p.Number
			c.Moved = e.Moved[p.ID]
			if c.Moved {
				c.After = prev
			}
			switch {
			case c.Moved:
				c.Kind = drafts.ChangeMoved
			case c.Modified:
				c.Kind = drafts.ChangeModified
			case c.Renumbered:
				c.Kind = drafts.ChangeRenumbered
			default:
				c.Kind = drafts.ChangeUnchanged
				c.Delegations = nil
			}
			if c.Modified {
				c.Segments = WordSegments(o.Text, p.Text, by)
			}
			if c.Kind != drafts.ChangeModified && !c.Modified {
				c.OldText = ""
			}
		}
		d.Changes = append(d.Changes, c)
		prev = p.ID
	}
	deletedBefore(len(from.Provisions))
	return d
}

// wordBox is a word of a PDF page and its box, from pdftotext -bbox.
type wordBox struct {
	page                   int
	width                  float64 // of the page
	xMin, yMin, xMax, yMax float64
	text                   string
}

// bboxWords returns the words of a PDF with their pages and boxes.
func bboxWords(tb testing.TB, path string) []wordBox {
	tb.Helper()
	out := run(tb, "pdftotext", "-bbox", path, "-")
	var words []wordBox
	page, width := 0, 0.0
	for _, line := range strings.Split(out, "\n") {
		if m := pageRE.FindStringSubmatch(line); m != nil {
			page++
			fmt.Sscan(m[1], &width)
			continue
		}
		m := wordRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		w := wordBox{page: page, width: width, text: m[5]}
		fmt.Sscan(m[1], &w.xMin)
		fmt.Sscan(m[2], &w.yMin)
		fmt.Sscan(m[3], &w.xMax)
		fmt.Sscan(m[4], &w.yMax)
		words = append(words, w)
	}
	return words
}

var (
	pageRE = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordRE = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// CheckLayout looks at a PDF as a reader would, through the boxes of its
// words: every word lies within the page's margins (72 pt left, 64 pt
// right) and no two words overlap.
func CheckLayout(tb testing.TB, path string) {
	tb.Helper()
	words := bboxWords(tb, path)
	for _, w := range words {
		if w.xMin < 72-0.5 || w.xMax > w.width-64+0.5 {
			tb.Errorf("page %d: %q lies outside the margins (x %.1f to %.1f)", w.page, w.text, w.xMin, w.xMax)
		}
	}
	if len(words) == 0 {
		tb.Fatalf("pdftotext -bbox found no words in %s", path)
	}
	const tol = 0.5
	for i := range words {
		for j := i + 1; j < len(words) && words[j].page == words[i].page; j++ {
			a, b := words[i], words[j]
			if a.xMin+tol < b.xMax && b.xMin+tol < a.xMax && a.yMin+tol < b.yMax && b.yMin+tol < a.yMax {
				tb.Errorf("page %d: %q and %q overlap", a.page, a.text, b.text)
			}
		}
	}
}

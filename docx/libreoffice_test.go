package docx_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/corpus"
)

// soffice returns LibreOffice's command, skipping the test without it
// (failing it under CI=true, where test.sh installs it).
func soffice(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("LibreOffice (soffice) not found; test.sh installs libreoffice-writer-nogui")
	}
	t.Skip("LibreOffice (soffice) not found; install libreoffice-writer-nogui")
	return ""
}

// convert runs LibreOffice headless on files, converting them to format
// ("txt:Text (encoded):UTF8", "fodt", "docx:MS Word 2007 XML") in dir, with
// a profile of its own so that parallel runs never share one.
func convert(t *testing.T, format, dir string, files ...string) {
	t.Helper()
	bin := soffice(t)
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore", "--convert-to", format, "--outdir", dir}, files...)
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice %s: %v\n%s", format, err, out)
	}
}

// TestLibreOfficeReadsText: LibreOffice, an independent reader, finds in
// every exported corpus text exactly our text: the symbol, title and note
// lines, then each provision as a paragraph ("#" headings without their #).
func TestLibreOfficeReadsText(t *testing.T) {
	soffice(t)
	dir := t.TempDir()
	w := docx.New()
	want := map[string]string{}
	var files []string
	for name, text := range corpus.All() {
		lang := "en"
		if strings.Contains(name, ".ru.") {
			lang = "ru"
		}
		d := testDocument(lang)
		v := version(t, 1, text)
		base := strings.TrimSuffix(name, ".txt")
		path := filepath.Join(dir, base+".docx")
		if err := os.WriteFile(path, exportText(t, w, d, v), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
		lines := []string{d.Symbol, d.Title}
		for _, p := range v.Provisions {
			if p.Kind == drafts.KindHeading && strings.HasPrefix(p.Number, "#") {
				lines = append(lines, p.Text)
			} else {
				lines = append(lines, p.Markup())
			}
		}
		want[base] = strings.Join(lines, "\n")
	}
	convert(t, "txt:Text (encoded):UTF8", dir, files...)
	for base, wantText := range want {
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, base+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimRight(strings.TrimPrefix(string(data), "\ufeff"), "\n"), "\n")
			// The two note lines (version, adoption) are ours but not the text's.
			if len(lines) < 4 {
				t.Fatalf("LibreOffice read %q", data)
			}
			got := strings.Join(append(lines[:2:2], lines[4:]...), "\n")
			if got != wantText {
				i := 0
				for i < len(got) && i < len(wantText) && got[i] == wantText[i] {
					i++
				}
				t.Errorf("LibreOffice reads a different text at byte %d:\n got %q\nwant %q", i, clip(got[i:]), clip(wantText[i:]))
			}
		})
	}
}

// revisionTexts returns, by "insertion/author" and "deletion/author", the
// text of the tracked changes of our document.xml, without white space.
func ourRevisions(t *testing.T, documentXML string) map[string]string {
	t.Helper()
	out := map[string]string{}
	dec := xml.NewDecoder(strings.NewReader(documentXML))
	var open []string // "insertion/KZ" per open revision element, "" for others
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			key := ""
			switch e.Name.Local {
			case "ins", "moveTo":
				key = "insertion/" + attrOf(e, "author")
			case "del", "moveFrom":
				key = "deletion/" + attrOf(e, "author")
			}
			if key != "" && len(open) > 0 && open[len(open)-1] == "pPr" {
				key = "" // a paragraph mark's revision holds no text
			}
			if e.Name.Local == "pPr" {
				key = "pPr"
			}
			open = append(open, key)
		case xml.EndElement:
			open = open[:len(open)-1]
		case xml.CharData:
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == "pPr" {
					break
				}
				if open[i] != "" {
					out[open[i]] += squeeze(string(e))
					break
				}
			}
		}
	}
	return out
}

// libreOfficeRevisions returns the same from a .fodt LibreOffice wrote:
// the text between each change's start and end, by kind and creator.
func libreOfficeRevisions(t *testing.T, fodt []byte) map[string]string {
	t.Helper()
	var doc struct {
		Regions []struct {
			ID        string `xml:"id,attr"`
			Insertion *struct {
				Creator string `xml:"change-info>creator"`
			} `xml:"insertion"`
			Deletion *struct {
				Creator string `xml:"change-info>creator"`
			} `xml:"deletion"`
		} `xml:"body>text>tracked-changes>changed-region"`
	}
	if err := xml.Unmarshal(fodt, &doc); err != nil {
		t.Fatal(err)
	}
	kind := map[string]string{}
	for _, r := range doc.Regions {
		switch {
		case r.Insertion != nil:
			kind[r.ID] = "insertion/" + r.Insertion.Creator
		case r.Deletion != nil:
			kind[r.ID] = "deletion/" + r.Deletion.Creator
		}
	}
	if len(kind) == 0 {
		t.Fatal("LibreOffice found no tracked changes")
	}
	out := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(fodt))
	openIDs := map[string]bool{}
	inChanges := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tracked-changes":
				inChanges++
			case "change-start":
				openIDs[attrOf(e, "change-id")] = true
			case "change-end":
				delete(openIDs, attrOf(e, "change-id"))
			}
		case xml.EndElement:
			if e.Name.Local == "tracked-changes" {
				inChanges--
			}
		case xml.CharData:
			if inChanges > 0 {
				continue
			}
			for id := range openIDs {
				if kind[id] != "" { // a paragraph's format change holds no text of its own
					out[kind[id]] += squeeze(string(e))
				}
			}
		}
	}
	return out
}

func attrOf(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// TestLibreOfficeReadsChanges: LibreOffice opens our tracked changes and
// saves them as .fodt with the same insertions and deletions, each by the
// delegation we named.
func TestLibreOfficeReadsChanges(t *testing.T) {
	soffice(t)
	from, to, diff := changesFixture(t)
	var buf bytes.Buffer
	if err := docx.New().ChangesWord(&buf, testDocument("en"), from, to, diff); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "changes.docx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	convert(t, "fodt", dir, path)
	fodt, err := os.ReadFile(filepath.Join(dir, "changes.fodt"))
	if err != nil {
		t.Fatal(err)
	}
	ours := ourRevisions(t, part(t, buf.Bytes(), "word/document.xml"))
	theirs := libreOfficeRevisions(t, fodt)
	if len(ours) < 4 {
		t.Fatalf("the fixture has too few kinds of revision: %v", ours)
	}
	keys := func(m map[string]string) string {
		var k []string
		for x := range m {
			k = append(k, x)
		}
		sort.Strings(k)
		return strings.Join(k, ", ")
	}
	if keys(ours) != keys(theirs) {
		t.Errorf("revisions by kind and author: LibreOffice %s, ours %s", keys(theirs), keys(ours))
	}
	for k, v := range ours {
		if theirs[k] != v {
			t.Errorf("%s: LibreOffice %q, ours %q", k, theirs[k], v)
		}
	}
}

// TestLibreOfficeWritesProposal: a text with tracked changes written by
// LibreOffice (from testdata/tracked.fodt, our own fixture) as .docx
// imports as exactly the proposal it holds. The .docx LibreOffice made is
// kept as testdata/tracked-libreoffice.docx, read again without LibreOffice
// by TestLibreOfficeFileProposal.
func TestLibreOfficeWritesProposal(t *testing.T) {
	soffice(t)
	dir := t.TempDir()
	convert(t, "docx:MS Word 2007 XML", dir, filepath.Join("testdata", "tracked.fodt"))
	data, err := os.ReadFile(filepath.Join(dir, "tracked.docx"))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", "tracked-libreoffice.docx"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	checkTrackedProposal(t, data)
}

// TestLibreOfficeFileProposal: the same on the kept file.
func TestLibreOfficeFileProposal(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "tracked-libreoffice.docx"))
	if err != nil {
		t.Fatal(err)
	}
	checkTrackedProposal(t, data)
}

// trackedBase is the text of testdata/tracked.fodt with every change
// rejected; trackedEdited with every change accepted.
const trackedBase = `# Cluster I. Institutional framework

1. The Member States agree on this road map.

2. All decisions shall be taken by full consensus.

3. The Secretariat supports the transformation.

4. Final provisions apply.
`

const trackedEdited = `# Cluster I. Institutional framework

1. The Member States agree on this road map and its annex.

2. All decisions shall be taken by consensus of the Member States.

3. The Secretariat supports the transformation.

3 bis. Every Member State reports once a year.

4. Final provisions apply.
`

func checkTrackedProposal(t *testing.T, data []byte) {
	t.Helper()
	f, err := docx.New().ReadWord(data)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Tracked {
		t.Fatal("no tracked changes found")
	}
	if got, want := f.OriginalText(), trackedBase; got != want {
		t.Errorf("changes rejected:\n%s\nwant:\n%s", got, want)
	}
	if got, want := f.Text(), trackedEdited; got != want {
		t.Errorf("changes accepted:\n%s\nwant:\n%s", got, want)
	}
	base := version(t, 1, trackedBase)
	ops, err := f.Operations(base.Provisions, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range ops {
		got = append(got, fmt.Sprintf("%s %s after=%s %q", o.Op, o.Provision, o.After, o.Text))
	}
	want := []string{
		`replace p2 after= "The Member States agree on this road map and its annex."`,
		`replace p3 after= "All decisions shall be taken by consensus of the Member States."`,
		`insert  after=p4 "3 bis. Every Member State reports once a year."`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("operations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got, want := f.CommentNotes(), "Paragraph 2: Consensus of whom?"; got != want {
		t.Errorf("comments %q, want %q", got, want)
	}
}

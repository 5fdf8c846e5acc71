package docx_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"chancery/diffing"
	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/corpus"
)

// trackedPair makes versions 1 and 2 of two texts, the second's
// provisions aligned to the first's as the service aligns them, and the
// diff between them, every change by delegation.
func trackedPair(tb testing.TB, old, new, delegation string) (*drafts.Version, *drafts.Version, *drafts.Diff) {
	tb.Helper()
	from, to := version(tb, 1, old), version(tb, 2, new)
	to.CreatedAt = time.Date(2024, 3, 14, 15, 9, 26, 0, time.UTC)
	d := diffing.New()
	match := d.Align(from.Provisions, to.Provisions)
	for i := range to.Provisions {
		if match[i] >= 0 {
			to.Provisions[i].ID = from.Provisions[match[i]].ID
		} else {
			to.Provisions[i].ID = fmt.Sprintf("n%d", i+1)
		}
	}
	diff := d.Provisions(from.Provisions, to.Provisions)
	for i := range diff.Changes {
		if diff.Changes[i].Kind != drafts.ChangeUnchanged {
			diff.Changes[i].Delegations = []string{delegation}
		}
	}
	return from, to, diff
}

// shownLines is a text as LibreOffice's text export shows it: one line
// a provision, "#" headings without their "#", each note's number where
// its reference stands (its text left out).
func shownLines(tb testing.TB, text string) string {
	tb.Helper()
	t, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		tb.Fatal(err)
	}
	var lines []string
	n := 0
	for _, p := range t.Provisions {
		nt := drafts.SplitNotes(p.Text)
		var b strings.Builder
		at := 0
		for _, note := range nt.Notes {
			n++
			b.WriteString(nt.Body[at:note.At] + fmt.Sprint(n))
			at = note.At
		}
		p.Text = b.String() + nt.Body[at:]
		if p.Kind == drafts.KindHeading && strings.HasPrefix(p.Number, "#") {
			lines = append(lines, p.Text)
		} else {
			lines = append(lines, p.Markup())
		}
	}
	return strings.Join(lines, "\n")
}

// afterHeader is LibreOffice's text without the symbol, title and note
// lines of a tracked-changes export.
func afterHeader(text string) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "Changes from ") || strings.HasPrefix(l, "Изменения: ") {
			return strings.Join(lines[i+1:], "\n")
		}
	}
	return text
}

// acceptRejectCases are old and new texts whose tracked changes must
// accept and reject paragraph for paragraph.
var acceptRejectCases = []struct{ name, old, new string }{
	{"changed 6 then inserted 6 bis",
		"5. Five.\n\n6. All decisions shall be taken by full consensus\n\n7. The Secretariat keeps the records.\n",
		"5. Five.\n\n6. All decisions shall be taken by consensus of the Member States.\n\n6 bis. Consensus is the absence of any formal objection.\n\n7. The Secretariat keeps the records.\n"},
	{"changed 6 then two inserted",
		"6. All decisions shall be taken by full consensus.\n\n7. The Secretariat keeps the records.\n",
		"6. All decisions shall be taken by consensus.\n\n6 bis. Consensus is the absence of any formal objection.\n\n# Records\n\n7. The Secretariat keeps the records.\n"},
	{"deleted at the end of 6 and 6 bis deleted",
		"6. All decisions shall be taken by consensus of all\n\n6 bis. Consensus is the absence of objection.\n\n7. Records.\n",
		"6. All decisions shall be taken by consensus\n\n7. Records.\n"},
	{"6 deleted and 6 bis inserted in its place",
		"5. Five.\n\n6. Old six.\n\n7. Seven.\n",
		"5. Five.\n\n6 bis. New six.\n\n7. Seven.\n"},
	{"inserted at the start and at the end",
		"1. One ends here\n\n2. Two ends here\n",
		"# Preamble\n\n1. One ends here now\n\n2. Two ends here now\n\n3. Three.\n"},
	{"heading changed then paragraph inserted",
		"# Cluster I\n\n1. One.\n",
		"# Cluster I. Institutional framework\n\nA chapeau without number.\n\n1. One.\n"},
	{"moved and changed",
		"1. One.\n\n2. Two stays\n\n3. Three moves.\n",
		"1. One.\n\n3. Three moves now.\n\n2. Two stays put\n\n2 bis. Inserted.\n"},
	{"notes changed, added and removed",
		notesOld, notesNew},
	{"6 deleted and 6 bis with a note inserted in its place",
		"5. Five.\n\n6. Old six.\n\n7. Seven.\n",
		"5. Five.\n\n6 bis. New six.[^1]\n[^1]: A note.\n\n7. Seven.\n"},
	{"inserted paragraphs with notes",
		"1. One.\n\n2. Two.\n",
		"# Heading[^1]\n[^1]: On the heading.\n\n1. One.\n\n1 bis. New one.[^1] More.[^2]\n[^1]: Its first note.\n[^2]: Its second note.\n\n2. Two.\n"},
	{"corpus fixture", changesOld, changesNew},
}

// TestLibreOfficeAcceptReject: a tracked-changes export opened in
// LibreOffice gives, by LibreOffice's Accept All, the new text and, by
// its Reject All, the old one, paragraph for paragraph; the files
// LibreOffice then saves read back as the same texts, notes and all.
func TestLibreOfficeAcceptReject(t *testing.T) {
	soffice(t)
	for _, tt := range acceptRejectCases {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkAcceptReject(t, "en", tt.old, tt.new)
		})
	}
}

// TestLibreOfficeAcceptRejectCorpus: the corpus road map, in English and
// in Russian, with paragraph 6 changed and a 6 bis inserted after it, as
// the issue that found LibreOffice joining them described it.
func TestLibreOfficeAcceptRejectCorpus(t *testing.T) {
	soffice(t)
	for _, tt := range []struct{ lang, name, six, changed string }{
		{"en", "sample-draft-road-map.txt", "6. All decisions shall continue to be taken by consensus.\n",
			"6. All decisions shall continue to be taken by consensus of the Member States.\n\n6 bis. Consensus is the absence of any formal objection.\n"},
		{"ru", "sample-draft-road-map.ru.txt", "6. Все решения по-прежнему принимаются на основе консенсуса.\n",
			"6. Все решения по-прежнему принимаются на основе консенсуса государств-членов.\n\n6-бис. Консенсус означает отсутствие официальных возражений.\n"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			old := corpus.Must(t, tt.name)
			if strings.Count(old, tt.six) != 1 {
				t.Fatalf("%s has no paragraph %q", tt.name, tt.six)
			}
			checkAcceptReject(t, tt.lang, old, strings.Replace(old, tt.six, tt.changed, 1))
		})
	}
}

// checkAcceptReject exports the tracked changes from old to new and
// checks what LibreOffice's Accept All and Reject All make of them, as
// text and as the .docx it saves.
func checkAcceptReject(t *testing.T, lang, old, new string) {
	t.Helper()
	from, to, diff := trackedPair(t, old, new, "Kazakhstan")
	var buf bytes.Buffer
	if err := docx.New().ChangesWord(&buf, testDocument(lang), from, to, diff); err != nil {
		t.Fatal(err)
	}
	acc, rej, accDocx, rejDocx := libreOfficeAll(t, buf.Bytes())
	if got, want := afterHeader(acc), shownLines(t, new); got != want {
		t.Errorf("LibreOffice's Accept All gives:\n%s\nwant:\n%s", got, want)
	}
	if got, want := afterHeader(rej), shownLines(t, old); got != want {
		t.Errorf("LibreOffice's Reject All gives:\n%s\nwant:\n%s", got, want)
	}
	for _, c := range []struct {
		what string
		data []byte
		want string
	}{{"accepted", accDocx, new}, {"rejected", rejDocx, old}} {
		f, err := docx.New().ReadWord(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if got, want := f.Text(), canonical(t, c.want); got != want {
			t.Errorf("the .docx LibreOffice saves %s reads:\n%s\nwant:\n%s", c.what, got, want)
		}
		if f.Tracked {
			t.Errorf("the .docx LibreOffice saves %s has tracked changes left", c.what)
		}
	}
}

// TestRevisionIdentity: every revision of a tracked-changes export
// carries the new version's time and an id of its own (no revision,
// move range or bookmark shares one), in the text as in the footnotes.
func TestRevisionIdentity(t *testing.T) {
	for _, tt := range acceptRejectCases {
		from, to, diff := trackedPair(t, tt.old, tt.new, "Kazakhstan")
		var buf bytes.Buffer
		if err := docx.New().ChangesWord(&buf, testDocument("en"), from, to, diff); err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		revisions := 0
		for _, name := range []string{"word/document.xml", "word/footnotes.xml"} {
			if name == "word/footnotes.xml" && !strings.Contains(tt.new+tt.old, "[^") {
				continue
			}
			dec := xml.NewDecoder(strings.NewReader(part(t, buf.Bytes(), name)))
			for {
				tok, err := dec.Token()
				if err != nil {
					break
				}
				e, ok := tok.(xml.StartElement)
				if !ok {
					continue
				}
				switch e.Name.Local {
				case "ins", "del", "moveFrom", "moveTo", "moveFromRangeStart", "moveToRangeStart", "pPrChange":
					revisions++
					if got := attrOf(e, "date"); got != "2024-03-14T15:09:26Z" {
						t.Errorf("%s: a %s of %s is dated %q, not the new version's time", tt.name, e.Name.Local, name, got)
					}
				case "bookmarkStart":
				default:
					continue
				}
				id := attrOf(e, "id")
				if prev, ok := ids[id]; ok {
					t.Errorf("%s: id %s is both a %s and a %s", tt.name, id, prev, e.Name.Local)
				}
				ids[id] = e.Name.Local
			}
		}
		if revisions == 0 {
			t.Errorf("%s: no revisions", tt.name)
		}
	}
}

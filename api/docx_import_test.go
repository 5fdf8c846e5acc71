package api_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chancery/docx"
	"chancery/drafts"
)

// wordPackage builds a .docx as Word writes one: its body, footnotes when
// given, and the template it was made from (a Windows or a Mac address)
// as an external relationship of its settings.
func wordPackage(t *testing.T, body, footnotes, template string) []byte {
	t.Helper()
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	rel := func(id, typ, target, mode string) string {
		if mode != "" {
			mode = ` TargetMode="` + mode + `"`
		}
		return `<Relationship Id="` + id + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/` + typ + `" Target="` + target + `"` + mode + `/>`
	}
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
			`<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>`,
		"_rels/.rels":                  `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rel("rId1", "officeDocument", "word/document.xml", "") + `</Relationships>`,
		"word/document.xml":            `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + ns + `><w:body>` + body + `<w:sectPr/></w:body></w:document>`,
		"word/settings.xml":            `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings ` + ns + `><w:attachedTemplate r:id="rId1"/><w:defaultTabStop w:val="720"/></w:settings>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rel("rId3", "settings", "settings.xml", ""),
	}
	if footnotes != "" {
		files["word/footnotes.xml"] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes ` + ns + `>` +
			`<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>` +
			footnotes + `</w:footnotes>`
		files["word/_rels/document.xml.rels"] += rel("rId4", "footnotes", "footnotes.xml", "")
	}
	files["word/_rels/document.xml.rels"] += `</Relationships>`
	if template != "" {
		files["word/_rels/settings.xml.rels"] = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			rel("rId1", "attachedTemplate", template, "External") + `</Relationships>`
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, s := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(s))
	}
	zw.Close()
	return buf.Bytes()
}

// wp is a paragraph of runs; the mark's revision, if any, is rev.
func wp(markRev string, runs ...string) string {
	ppr := ""
	if markRev != "" {
		ppr = `<w:pPr><w:rPr>` + markRev + `</w:rPr></w:pPr>`
	}
	return `<w:p>` + ppr + strings.Join(runs, "") + `</w:p>`
}

func wr(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

// by returns an insertion and a deletion of text by an author, and the
// mark of an inserted paragraph, as Word writes them.
func by(author string, id int) (ins, del func(string) string, mark string) {
	attrs := func(n int) string {
		return fmt.Sprintf(` w:id="%d" w:author="%s" w:date="2026-04-02T09:%02d:00Z"`, id+n, author, n)
	}
	n := 0
	ins = func(s string) string { n++; return `<w:ins` + attrs(n) + `>` + wr(s) + `</w:ins>` }
	del = func(s string) string {
		n++
		return `<w:del` + attrs(n) + `><w:r><w:delText xml:space="preserve">` + s + `</w:delText></w:r></w:del>`
	}
	return ins, del, `<w:ins` + attrs(50) + `/>`
}

// markedUp is a text that Kazakhstan, India and a third author marked
// up with Track Changes in Word, with a footnote and Cyrillic, made from
// a template on a Windows computer.
func markedUp(t *testing.T, third string) []byte {
	t.Helper()
	kzIns, kzDel, _ := by("Kazakhstan", 100)
	inIns, inDel, inMark := by("India", 200)
	xIns, _, _ := by(third, 300)
	body := wp("", wr("# Раздел I. Общие положения")) +
		wp("", wr("1. The Member States agree on this road map."), `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>`) +
		wp("", wr("2. All decisions shall be taken by "), kzDel("full "), wr("consensus"), kzIns(" of the Member States"), wr(".")) +
		wp(inMark, wr("3. The Secretariat supports "), inDel("the"), inIns("its"), wr(" transformation.")) +
		wp("", inIns("3 bis. Every Member State reports once a year.")) +
		wp("", wr("4. Государства-члены сотрудничают"), xIns(" на равной основе"), wr("."))
	footnotes := `<w:footnote w:id="1"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>` + wr(" As adopted in Astana.") + `</w:p></w:footnote>`
	return wordPackage(t, body, footnotes, `file:///C:\Users\aida\AppData\Roaming\Microsoft\Templates\CICA%20Draft.dotm`)
}

const markedUpOriginal = "# Раздел I. Общие положения\n\n1. The Member States agree on this road map.[^1]\n[^1]: As adopted in Astana.\n\n" +
	"2. All decisions shall be taken by full consensus.\n\n3. The Secretariat supports the transformation.\n\n4. Государства-члены сотрудничают.\n"

// TestWordMarkedUp: a text several delegations marked up in Word, sent as
// a new document, is version 1 with their changes rejected and a proposal
// of each delegation, credited to it; an author no delegation answers to
// is named in a 422 unless the request says what becomes of the changes.
func TestWordMarkedUp(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	fields := url.Values{"kind": {"road-map"}, "body": {"SWG"}, "language": {"en"}, "visibility": {"members"}, "title": {"Marked up"}}
	post := func(symbol string, extra url.Values, file []byte) *struct {
		ID        string             `json:"id"`
		State     string             `json:"state"`
		Version   version            `json:"version"`
		Proposals []*drafts.Proposal `json:"proposals"`
	} {
		t.Helper()
		q := url.Values{"symbol": {symbol}}
		for k, v := range fields {
			q[k] = v
		}
		for k, v := range extra {
			q[k] = v
		}
		var out struct {
			ID        string             `json:"id"`
			State     string             `json:"state"`
			Version   version            `json:"version"`
			Proposals []*drafts.Proposal `json:"proposals"`
		}
		e.mustJSON(http.StatusCreated, &out, "POST", "/v1/documents?"+q.Encode(), "secretariat", file, "Content-Type", wordType)
		return &out
	}

	// An author that is no delegation: 422 naming it, nothing stored.
	var problem struct {
		Detail string `json:"detail"`
	}
	before := e.do("GET", "/v1/documents", "secretariat", nil).Body
	e.do("POST", "/v1/documents?symbol=CICA/SWG/2026/M.1&"+fields.Encode(), "secretariat", markedUp(t, "Aida Bekova"), "Content-Type", wordType).
		MustStatus(http.StatusUnprocessableEntity).JSON(&problem)
	if !strings.Contains(problem.Detail, `"Aida Bekova"`) || !strings.Contains(problem.Detail, "unmatched=accept") {
		t.Errorf("problem %q does not name the author and what to do", problem.Detail)
	}
	if after := e.do("GET", "/v1/documents", "secretariat", nil).Body; !bytes.Equal(before, after) {
		t.Error("a refused file stored a document")
	}

	// Kazakhstan and India by name, the third mapped to Russia by the request.
	out := post("CICA/SWG/2026/M.1", url.Values{"authors": {`{"aida bekova": "RU"}`}}, markedUp(t, "Aida Bekova"))
	if out.Version.Text != markedUpOriginal {
		t.Errorf("version 1:\n%s\nwant:\n%s", out.Version.Text, markedUpOriginal)
	}
	if out.State != drafts.StateNegotiation {
		t.Errorf("state %q", out.State)
	}
	p2, p3, p4 := out.Version.Provisions[2].ID, out.Version.Provisions[3].ID, out.Version.Provisions[4].ID
	type op struct{ Op, Provision, After, Text string }
	want := map[string][]op{
		"KZ": {{"replace", p2, "", "All decisions shall be taken by consensus of the Member States."}},
		"IN": {{"replace", p3, "", "The Secretariat supports its transformation."}, {"insert", "", p3, "3 bis. Every Member State reports once a year."}},
		"RU": {{"replace", p4, "", "Государства-члены сотрудничают на равной основе."}},
	}
	var order []string
	for _, p := range out.Proposals {
		order = append(order, p.Delegation)
		var got []op
		for _, o := range p.Operations {
			got = append(got, op{o.Op, o.Provision, o.After, o.Text})
		}
		if fmt.Sprint(got) != fmt.Sprint(want[p.Delegation]) {
			t.Errorf("%s's operations %+v, want %+v", p.Delegation, got, want[p.Delegation])
		}
		if p.Status != drafts.ProposalOpen || p.Base != 1 || !strings.Contains(p.Justification, "Tracked changes by") {
			t.Errorf("%s's proposal: %+v", p.Delegation, p)
		}
	}
	if strings.Join(order, " ") != "KZ IN RU" {
		t.Errorf("proposals of %v, want KZ IN RU in the order of the file", order)
	}
	// Numbered as any proposal, in that order: proposal 2 is India's.
	for i, p := range out.Proposals {
		if p.Number != i+1 {
			t.Errorf("%s's proposal is number %d, want %d", p.Delegation, p.Number, i+1)
		}
	}
	var second drafts.Proposal
	e.mustJSON(http.StatusOK, &second, "GET", docPath(out.ID, "/proposals/2"), "CN", nil)
	if second.Delegation != "IN" {
		t.Errorf("proposal 2 is %s's", second.Delegation)
	}
	// They are the document's proposals, credited to their delegations:
	// Kazakhstan may withdraw its own.
	var list struct {
		Items []drafts.Proposal `json:"items"`
	}
	e.mustJSON(http.StatusOK, &list, "GET", docPath(out.ID, "/proposals"), "CN", nil)
	if len(list.Items) != 3 {
		t.Fatalf("%d proposals listed", len(list.Items))
	}
	e.mustJSON(http.StatusOK, nil, "POST", docPath(out.ID, "/proposals/", out.Proposals[0].ID, "/withdraw"), "KZ", nil)
	var diff struct {
		Changes []drafts.Change `json:"changes"`
	}
	e.mustJSON(http.StatusOK, &diff, "GET", docPath(out.ID, "/proposals/", out.Proposals[1].ID, "/diff"), "CN", nil)
	if len(diff.Changes) == 0 {
		t.Error("India's proposal has no diff")
	}

	// The third author's changes accepted into version 1, or rejected.
	out = post("CICA/SWG/2026/M.2", url.Values{"unmatched": {"accept"}}, markedUp(t, "Aida Bekova"))
	if want := strings.Replace(markedUpOriginal, "сотрудничают.", "сотрудничают на равной основе.", 1); out.Version.Text != want || len(out.Proposals) != 2 {
		t.Errorf("accepted: version 1\n%s\nwith %d proposals", out.Version.Text, len(out.Proposals))
	}
	out = post("CICA/SWG/2026/M.3", url.Values{"unmatched": {"reject"}}, markedUp(t, "Aida Bekova"))
	if out.Version.Text != markedUpOriginal || len(out.Proposals) != 2 {
		t.Errorf("rejected: version 1\n%s\nwith %d proposals", out.Version.Text, len(out.Proposals))
	}
	// Changes by Kazakhstan and India only: version 1 and their two proposals.
	out = post("CICA/SWG/2026/M.5", nil, markedUp(t, "India"))
	if out.Version.Text != markedUpOriginal || len(out.Proposals) != 2 || out.Proposals[0].Delegation != "KZ" || out.Proposals[1].Delegation != "IN" ||
		len(out.Proposals[1].Operations) != 3 {
		t.Errorf("Kazakhstan and India: version 1\n%s\nproposals %+v", out.Version.Text, out.Proposals)
	}
	// An author named by a delegation's code, as multipart.
	ct, body := form(t, markedUp(t, "TR"), map[string]string{"symbol": "CICA/SWG/2026/M.4", "title": "T", "kind": "road-map", "body": "SWG", "language": "en", "visibility": "members"})
	var multi struct {
		Proposals []*drafts.Proposal `json:"proposals"`
	}
	e.mustJSON(http.StatusCreated, &multi, "POST", "/v1/documents", "chair", body, "Content-Type", ct)
	if len(multi.Proposals) != 3 || multi.Proposals[2].Delegation != "TR" {
		t.Errorf("proposals %+v", multi.Proposals)
	}
	// Mapped to an observer, or to no delegation: 422.
	for _, m := range []string{`{"Aida Bekova": "JP"}`, `{"Aida Bekova": "XX"}`, `not json`} {
		e.do("POST", "/v1/documents?symbol=CICA/SWG/2026/M.9&"+fields.Encode()+"&authors="+url.QueryEscape(m), "secretariat", markedUp(t, "Aida Bekova"), "Content-Type", wordType).
			MustStatus(http.StatusUnprocessableEntity)
	}
	// A Russian document whose third author is a delegation's Russian name.
	e.mustJSON(http.StatusCreated, nil, "POST", "/v1/delegations", "secretariat", map[string]any{"id": "BY", "name": "Belarus", "name_ru": "Беларусь", "status": "member"})
	ru := url.Values{"language": {"ru"}, "title": {"Дорожная карта"}}
	out = post("CICA/SWG/2026/M.6", ru, markedUp(t, "Делегация Беларусь"))
	if len(out.Proposals) != 3 || out.Proposals[2].Delegation != "BY" || out.Proposals[2].Number != 3 ||
		out.Proposals[2].Justification != "Правка «Делегация Беларусь» в файле Word, из которого создан документ." {
		t.Errorf("the Russian document's proposals %+v", out.Proposals)
	}
	// A delegate may not create documents, marked up or not.
	e.do("POST", "/v1/documents?symbol=CICA/SWG/2026/M.9&"+fields.Encode()+"&unmatched=reject", "KZ", markedUp(t, "X"), "Content-Type", wordType).MustStatus(http.StatusForbidden)
}

// TestWordUploads: a Word file made from a template (as Windows and a Mac
// record it) is read; a .docx comes as its type, as octet-stream with a
// .docx name or by its first bytes, or in a form; .doc, .odt, .rtf and
// PDF are 415s that name the format and say to save as .docx.
func TestWordUploads(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	n := 0
	path := func() string {
		n++
		return fmt.Sprintf("/v1/documents?symbol=CICA/SWG/2026/U.%d&title=T&kind=road-map&body=SWG&language=en&visibility=members", n)
	}
	plain := wp("", wr("1. The Member States agree.")) + wp("", wr("\u00a0")) + wp("", wr("2. Decisions by consensus.")) + wp("", wr("\u200b \u202f"))
	for _, tmpl := range []string{
		`file:///C:\Users\aida\AppData\Roaming\Microsoft\Templates\Normal.dotm`,
		`file:///Users/aida/Library/Group%20Containers/UBF8T346G9.Office/User%20Content.localized/Templates.localized/Normal.dotm`,
		`Macintosh HD:Users:aida:Library:Application Support:Microsoft:Office:User Templates:Normal.dotm`,
		`https://mfa.example/templates/CICA.dotx`,
	} {
		var out struct {
			Version version `json:"version"`
			Word    struct {
				Template string `json:"template"`
			} `json:"word"`
		}
		e.mustJSON(http.StatusCreated, &out, "POST", path(), "chair", wordPackage(t, plain, "", tmpl), "Content-Type", wordType)
		if !strings.HasPrefix(out.Word.Template, "Normal.dot") && !strings.HasPrefix(out.Word.Template, "CICA.dot") {
			t.Errorf("template %s recorded as %q", tmpl, out.Word.Template)
		}
		if want := "1. The Member States agree.\n\n2. Decisions by consensus.\n"; out.Version.Text != want {
			t.Errorf("template %s: text %q, want %q (no provision of white space)", tmpl, out.Version.Text, want)
		}
	}
	file := wordFile(t, wordText)
	e.mustJSON(http.StatusCreated, nil, "POST", path(), "chair", file, "Content-Type", "application/octet-stream", "Content-Disposition", `attachment; filename="draft.docx"`)
	e.mustJSON(http.StatusCreated, nil, "POST", path(), "chair", file, "Content-Type", "application/octet-stream")
	e.mustJSON(http.StatusCreated, nil, "POST", docPathOf(t, e, "/proposals?base=1"), "KZ",
		wordFile(t, strings.Replace(wordText, "supports", "assists", 1)), "Content-Type", "application/octet-stream", "Content-Disposition", `attachment; filename="kz.docx"`)

	odt := zipStored(t, [2]string{"mimetype", "application/vnd.oasis.opendocument.text"}, [2]string{"content.xml", "<office:document-content/>"})
	oldDoc := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	tests := []struct {
		name    string
		body    []byte
		headers []string
		want    string
	}{
		{"msword type", oldDoc, []string{"Content-Type", "application/msword"}, ".doc"},
		{"doc by its bytes", oldDoc, []string{"Content-Type", wordType}, ".doc"},
		{"doc by its name", oldDoc, []string{"Content-Type", "application/octet-stream", "Content-Disposition", `attachment; filename="draft.doc"`}, ".doc"},
		{"odt by its bytes", odt, []string{"Content-Type", wordType}, ".odt"},
		{"odt type", odt, []string{"Content-Type", "application/vnd.oasis.opendocument.text"}, ".odt"},
		{"odt without a name", odt, []string{"Content-Type", "application/octet-stream"}, ".odt"},
		{"rtf", []byte(`{\rtf1\ansi Hello}`), []string{"Content-Type", "application/rtf"}, ".rtf"},
		{"rtf by its bytes", []byte(`{\rtf1\ansi Hello}`), []string{"Content-Type", "application/octet-stream"}, ".rtf"},
		{"pdf", []byte("%PDF-1.7\n"), []string{"Content-Type", "application/pdf"}, "PDF"},
		{"pdf as docx", []byte("%PDF-1.7\n"), []string{"Content-Type", wordType}, "PDF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p struct {
				Detail string `json:"detail"`
			}
			e.do("POST", path(), "chair", tt.body, tt.headers...).MustStatus(http.StatusUnsupportedMediaType).JSON(&p)
			if !strings.Contains(p.Detail, tt.want) || !strings.Contains(p.Detail, "save it as a Word Document (.docx)") {
				t.Errorf("problem %q does not name %s and say to save as .docx", p.Detail, tt.want)
			}
		})
	}
	t.Run("odt in a form", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "draft.odt")
		fw.Write(odt)
		mw.Close()
		e.do("POST", path(), "chair", buf.Bytes(), "Content-Type", mw.FormDataContentType()).MustStatus(http.StatusUnsupportedMediaType)
	})
}

// docPathOf creates a document of wordText and returns its path with rest.
func docPathOf(t *testing.T, e *testEnv, rest string) string {
	t.Helper()
	doc, _ := e.document(wordText, "members")
	return docPath(doc, rest)
}

// zipStored makes a zip file of stored entries, in order.
func zipStored(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, en := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: en[0], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(en[1]))
	}
	zw.Close()
	return buf.Bytes()
}

// TestWordFootnotesRoundTrip: a Word file's footnotes are notes of version
// 1; the version exported as .docx has them as footnotes and reads back
// as the same text, and its PDF prints them.
func TestWordFootnotesRoundTrip(t *testing.T) {
	e := newEnv(t, backends()["local"](t))
	e.forum()
	var out struct {
		ID      string  `json:"id"`
		Version version `json:"version"`
	}
	e.mustJSON(http.StatusCreated, &out, "POST", "/v1/documents?symbol=CICA/SWG/2026/F.1&title=T&kind=road-map&body=SWG&language=en&visibility=members", "chair", markedUp(t, "KZ"), "Content-Type", wordType)
	if out.Version.Text != markedUpOriginal {
		t.Fatalf("version 1:\n%s", out.Version.Text)
	}
	r := e.do("GET", docPath(out.ID, "/versions/1"), "KZ", nil, "Accept", wordType).MustStatus(http.StatusOK)
	if fx := zipPart(t, r.Body, "word/footnotes.xml"); !strings.Contains(fx, "As adopted in Astana.") {
		t.Errorf("footnotes.xml: %s", fx)
	}
	back, err := docx.New().ReadWord(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if back.Text() != out.Version.Text {
		t.Errorf("exported and read back:\n%s\nwant:\n%s", back.Text(), out.Version.Text)
	}
	pdf := e.do("GET", docPath(out.ID, "/versions/1/pdf"), "KZ", nil).MustStatus(http.StatusOK)
	if !bytes.HasPrefix(pdf.Body, []byte("%PDF")) {
		t.Error("no PDF")
	}
}

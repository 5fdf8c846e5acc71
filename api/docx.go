package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Word files on the API: a .docx is accepted as the text of a new
// document, a new version or a proposal, and versions, tracked changes and
// compilations are offered as .docx. The word middleware turns a .docx
// request into the JSON request of the same route (so the handlers and the
// service see nothing new), and answers a request that prefers a .docx
// itself, through the same service methods as the JSON routes.

// wordFields are the fields each import route takes beside the file,
// with the JSON routes' names ("base" is a version number); the export
// routes have none.
var wordFields = map[string][]string{
	"/v1/documents":                       {"symbol", "title", "kind", "body", "language", "visibility", "authors", "unmatched"},
	"/v1/documents/:doc/versions":         {"base", "message"},
	"/v1/documents/:doc/proposals":        {"base", "justification", "amends", "on_behalf_of", "source"},
	"/v1/documents/:doc/proposals/:p":     {"base", "justification"},
	"/v1/documents/:doc/versions/:n":      nil,
	"/v1/documents/:doc/versions/:n/diff": nil,
	"/v1/documents/:doc/compilation":      nil,
	"/v1/documents/:doc/languages/:lang":  {},
}

// wordExports are the routes whose GET answers with a .docx when asked:
// a version, a diff, the compilation, and a proposal's text (to amend it
// with Track Changes: a sub-amendment).
var wordExports = map[string]bool{
	"/v1/documents/:doc/versions/:n": true, "/v1/documents/:doc/versions/:n/diff": true,
	"/v1/documents/:doc/compilation": true, "/v1/documents/:doc/proposals/:p": true,
}

// maxWordFields bounds the form fields of a multipart request, and
// maxWordField the bytes of one.
const (
	maxWordFields = 20
	maxWordField  = 64 << 10
)

// word is the route middleware for Word files.
func (s *Server) word(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		method, path := c.Request().Method, c.Path()
		if _, ok := wordFields[path]; !ok {
			return next(c)
		}
		upload := method == http.MethodPost || method == http.MethodPut && (path == "/v1/documents/:doc/proposals/:p" || path == "/v1/documents/:doc/languages/:lang")
		isWord := false
		if upload && wordFields[path] != nil {
			var err error
			if isWord, err = wordUpload(c); err != nil {
				return err
			}
		}
		switch {
		case isWord:
			if s.Word == nil {
				return drafts.Errorf(drafts.EMALFORMED, "this server does not read Word files; send application/json")
			}
			// Reading the file, then the request it makes (a whole text to
			// align), is heavy work: in the service's work limit, the file
			// read only once a slot is free.
			return s.inWorkSlot(c, func() error {
				if err := s.wordToJSON(c, path); err != nil {
					return err
				}
				return next(c)
			})
		case (method == http.MethodGet || method == http.MethodHead) && wordExports[path] && wantsWord(c, path):
			if s.Word == nil {
				return echo.NewHTTPError(http.StatusNotAcceptable, "this server does not write Word files")
			}
			return s.inWorkSlot(c, func() error { return s.exportWord(c, path) })
		}
		return next(c)
	}
}

// inWorkSlot runs f, the handling of c, in a slot of the service's work
// limit (see drafts.MaintenanceService.Work), with c's request carrying
// the slot: the service's heavy work for it takes no second one.
func (s *Server) inWorkSlot(c echo.Context, f func() error) error {
	r := c.Request()
	defer c.SetRequest(r)
	return s.Service.Work(r.Context(), func(ctx context.Context) error {
		c.SetRequest(r.WithContext(ctx))
		return f()
	})
}

// wantsWord reports whether the client prefers a .docx to the route's
// other formats (api/manners.go lists them).
func wantsWord(c echo.Context, path string) bool {
	return preferred(c, offersOf(path)...) == drafts.WordMediaType
}

// wordToJSON reads the .docx and its fields and replaces the request body
// with the JSON the route takes.
func (s *Server) wordToJSON(c echo.Context, path string) error {
	file, fields, err := readWordRequest(c, wordFields[path])
	if err != nil {
		return err
	}
	if what := sniffFormat(file); what != "" {
		return unsupportedFormat(what)
	}
	wf, err := s.Word.ReadWord(file)
	if err != nil {
		return err
	}
	c.Set(wordFileKey, wf)
	body := map[string]any{}
	for k, v := range fields {
		body[k] = v
	}
	delete(body, "authors")
	delete(body, "unmatched")
	base := 0
	if b, ok := fields["base"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(b))
		if err != nil {
			return &drafts.Error{Code: drafts.EMALFORMED, Message: "base: a version number",
				Fields: []drafts.FieldError{{Field: "base", Message: "a whole number"}}}
		}
		base = n
		body["base"] = n
	}
	switch path {
	case "/v1/documents":
		if err := s.newDocumentBody(c, body, file, wf, fields); err != nil {
			return err
		}
	case "/v1/documents/:doc/versions", "/v1/documents/:doc/languages/:lang":
		body["text"] = wf.Text()
	case "/v1/documents/:doc/proposals", "/v1/documents/:doc/proposals/:p":
		if err := s.proposalFromWord(c, wf, fields, base, body); err != nil {
			return err
		}
	}
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	r := c.Request()
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
	r.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	return nil
}

// newDocumentBody fills the JSON body of a new document from a Word file.
func (s *Server) newDocumentBody(c echo.Context, body map[string]any, file []byte, wf *drafts.WordFile, fields map[string]string) error {
	// A file Chancery exported carries its symbol and title.
	if _, ok := fields["title"]; !ok && wf.Title != "" {
		body["title"] = wf.Title
	}
	if _, ok := fields["symbol"]; !ok && wf.Symbol != "" {
		body["symbol"] = wf.Symbol
	}
	body["text"] = wf.Text()
	if !wf.Tracked {
		return nil
	}
	// Marked up by delegations: version 1 without their changes, a
	// proposal of each (createDocument takes it from here).
	imp, err := s.planImport(c, file, wf, fields)
	if err != nil {
		return err
	}
	c.Set(wordImportKey, imp)
	body["text"] = imp.File.OriginalText()
	return nil
}

// proposalFromWord sets the body of a proposal sent as a .docx: its
// justification with the file's comments, and the whole edited text, or
// the operations its tracked changes make on the base version (or, for a
// sub-amendment, on the text of the proposal it amends).
func (s *Server) proposalFromWord(c echo.Context, wf *drafts.WordFile, fields map[string]string, base int, body map[string]any) error {
	if notes := wf.CommentNotes(); notes != "" {
		j := strings.TrimSpace(fields["justification"])
		if j != "" {
			j += "\n\n"
		}
		body["justification"] = j + notes
	}
	if amends := strings.TrimSpace(fields["amends"]); amends != "" {
		// A sub-amendment: Track Changes on the proposal's text.
		ops, err := s.subAmendmentFromWord(c, wf, amends)
		if err != nil {
			return err
		}
		body["operations"] = ops
		return nil
	}
	if !wf.Tracked {
		body["text"] = wf.Text()
		return nil
	}
	// Tracked changes: exactly those operations, by provision id,
	// against the base version the file was made from.
	if base < 1 {
		return &drafts.Error{Code: drafts.EINVALID, Message: "base: the version the Word file was exported from is required",
			Fields: []drafts.FieldError{{Field: "base", Message: "required"}}}
	}
	v, err := s.Service.GetVersion(c.Request().Context(), c.Param("doc"), base)
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("base: no version %d", base),
				Fields: []drafts.FieldError{{Field: "base", Message: "no such version"}}}
		}
		return err
	}
	ops, err := wf.Operations(v.Provisions, drafts.Limits{})
	if err != nil {
		return err
	}
	body["operations"] = ops
	return nil
}

// readWordRequest returns the .docx and the fields of a request: a
// multipart form with the file in a part named "file" and the fields in
// the others, or the raw file with the fields as query parameters.
func readWordRequest(c echo.Context, allowed []string) ([]byte, map[string]string, error) {
	r := c.Request()
	fields := map[string]string{}
	check := func(name string) error {
		for _, a := range allowed {
			if a == name {
				return nil
			}
		}
		return &drafts.Error{Code: drafts.EMALFORMED, Message: fmt.Sprintf("unknown field %q (this route takes file, %s)", name, strings.Join(allowed, ", ")),
			Fields: []drafts.FieldError{{Field: name, Message: "unknown"}}}
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if mt == drafts.WordMediaType || mt == echo.MIMEOctetStream {
		for name, vals := range r.URL.Query() {
			if err := check(name); err != nil {
				return nil, nil, err
			}
			fields[name] = vals[0]
		}
		data, err := readAllBody(r.Body)
		return data, fields, err
	}
	if params["boundary"] == "" {
		return nil, nil, drafts.Errorf(drafts.EMALFORMED, "multipart/form-data without a boundary")
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	var file []byte
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if e := bodyError(err); e != nil {
				return nil, nil, e
			}
			return nil, nil, drafts.WrapError(drafts.EMALFORMED, err, "the multipart form is malformed")
		}
		if n >= maxWordFields {
			return nil, nil, drafts.Errorf(drafts.EMALFORMED, "the form has more than %d parts", maxWordFields)
		}
		name := part.FormName()
		if name == "file" {
			if file != nil {
				return nil, nil, drafts.Errorf(drafts.EMALFORMED, "the form holds more than one file")
			}
			if what := fileNameFormat(part.FileName()); what != "" {
				return nil, nil, unsupportedFormat(what)
			}
			if what := refusedTypes[partType(part.Header.Get(echo.HeaderContentType))]; what != "" {
				return nil, nil, unsupportedFormat(what)
			}
			if file, err = readAllBody(part); err != nil {
				return nil, nil, err
			}
			continue
		}
		if err := check(name); err != nil {
			return nil, nil, err
		}
		v, err := io.ReadAll(io.LimitReader(part, maxWordField+1))
		if err != nil {
			if e := bodyError(err); e != nil {
				return nil, nil, e
			}
			return nil, nil, drafts.WrapError(drafts.EMALFORMED, err, "the multipart form is malformed")
		}
		if len(v) > maxWordField {
			return nil, nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("%s: at most %d bytes", name, maxWordField),
				Fields: []drafts.FieldError{{Field: name, Message: "too long"}}}
		}
		fields[name] = string(v)
	}
	if file == nil {
		return nil, nil, &drafts.Error{Code: drafts.EMALFORMED, Message: `the form has no "file" part holding the .docx`,
			Fields: []drafts.FieldError{{Field: "file", Message: "required"}}}
	}
	return file, fields, nil
}

// exportWord answers a GET with a .docx.
func (s *Server) exportWord(c echo.Context, path string) error {
	lang, err := oneLanguage(c) // "" for the original language
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	doc, err := s.Service.GetDocument(ctx, c.Param("doc"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var name string
	switch path {
	case "/v1/documents/:doc/versions/:n":
		n, err := versionParam(c, "version", c.Param("n"))
		if err != nil {
			return err
		}
		wd, v, err := s.versionForWord(ctx, doc, n, lang)
		if err != nil {
			return err
		}
		var round *drafts.AdoptionRound
		if doc.Round != "" {
			if r, err := s.Service.GetAdoption(ctx, doc.ID); err == nil && r.Version == n {
				round = r
			}
		}
		// The adopted text records the positions as footnotes.
		notes, err := s.Service.PositionNotes(ctx, doc.ID, n)
		if err != nil {
			return err
		}
		if err := s.Word.TextWord(&buf, wd, v.WithPrintNotes(notes), round); err != nil {
			return err
		}
		name = fileName(doc.Symbol, n, langSuffix(lang))
	case "/v1/documents/:doc/versions/:n/diff":
		n, m, err := diffVersions(c)
		if err != nil {
			return err
		}
		if m < 1 {
			return &drafts.Error{Code: drafts.EINVALID, Message: "against: version 1 has no predecessor; give ?against=", Fields: []drafts.FieldError{{Field: "against", Message: "required"}}}
		}
		wd, d, from, to, err := s.diffForWord(ctx, doc, n, m, lang)
		if err != nil {
			return err
		}
		if err := s.Word.ChangesWord(&buf, wd, from, to, d); err != nil {
			return err
		}
		name = fileName(doc.Symbol, n, fmt.Sprintf("%s-changes-from-v%d", langSuffix(lang), m))
	case "/v1/documents/:doc/proposals/:p":
		if name, err = s.proposalWord(c, doc, &buf); err != nil {
			return err
		}
	default:
		n, err := queryVersion(c, "version", 0)
		if err != nil {
			return err
		}
		wd, comp, v, err := s.compilationForWord(ctx, doc, n, lang)
		if err != nil {
			return err
		}
		if err := s.Word.CompilationWord(&buf, wd, v, comp); err != nil {
			return err
		}
		name = fileName(doc.Symbol, v.Number, "-compilation"+langSuffix(lang))
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	c.Response().Header().Set("Vary", "Accept")
	return c.Blob(http.StatusOK, drafts.WordMediaType, buf.Bytes())
}

// fileName builds a .docx download name from a symbol and version.
func fileName(symbol string, n int, suffix string) string {
	name := strings.Trim(unsafeName(symbol), "-")
	if name == "" {
		name = "document"
	}
	return fmt.Sprintf("%s-v%d%s.docx", name, n, suffix)
}

func unsafeName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return b.String()
}

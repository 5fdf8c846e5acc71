package web

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The compilation (GET /documents/{doc}/compilation) and its print
// (.../compilation/pdf).

type compilationData struct {
	Comp    *drafts.Compilation
	Version *drafts.Version
	Numbers map[string]string
	Count   int
	Dels    int
	// Entries are the entries as shown, each made once per its Key
	// (template compilation-entry-shared, with Entry and Depths).
	Entries []template.HTML
	Entry   *drafts.CompilationEntry
	Depths  map[string]int
}

func (s *Server) compile(c echo.Context, d *drafts.Document) (*drafts.Compilation, *drafts.Version, error) {
	n, err := queryVersion(c, "version", 0)
	if err != nil {
		return nil, nil, err
	}
	return s.Service.Compile(ctx(c), d.ID, n)
}

func (s *Server) compilation(c echo.Context) error {
	p, d, err := s.docPage(c, "Compilation")
	if err != nil {
		return err
	}
	comp, v, err := s.compile(c, d)
	if err != nil {
		return err
	}
	x := &compilationData{Comp: comp, Version: v}
	p.Data = x
	// The compilation's key names the version (with its statuses) and
	// every open proposal: the page's content is made once for them, and
	// each entry once for what it holds, so that a new proposal remakes
	// its entry only. What only the content shows is counted then.
	return s.renderShared(c, http.StatusOK, "compilation", p, comp.Key, func() error {
		x.Count, x.Dels = comp.Counts()
		x.Numbers = numbers(v)
		return s.compilationEntries(c, p, x)
	})
}

// compilationEntries makes the entries of the compilation page p shows.
func (s *Server) compilationEntries(c echo.Context, p *Page, x *compilationData) error {
	x.Depths = provisionDepths(x.Version.Provisions)
	x.Entries = make([]template.HTML, len(x.Comp.Entries))
	for i := range x.Comp.Entries {
		e := &x.Comp.Entries[i]
		ep := *p
		ep.Data = &compilationData{Comp: x.Comp, Version: x.Version, Numbers: x.Numbers, Entry: e, Depths: x.Depths}
		html, err := s.sharedPart(c, "compilation", "compilation-entry-shared", &ep, e.Key)
		if err != nil {
			return err
		}
		x.Entries[i] = html
	}
	return nil
}

func (s *Server) compilationPDF(c echo.Context) error {
	n, err := queryVersion(c, "version", 0)
	if err != nil {
		return err
	}
	pdf, err := s.Service.CompilationPDF(ctx(c), c.Param("doc"), n)
	if err != nil {
		return err
	}
	return sendPDF(c, pdf)
}

package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The tracked changes between two versions
// (GET /documents/{doc}/versions/{n}/diff?against=).

type diffData struct {
	View *diffView
	Max  int
}

func (s *Server) versionDiff(c echo.Context) error {
	p, d, err := s.docPage(c, "Tracked changes")
	if err != nil {
		return err
	}
	n, err := versionNumber(c.Param("n"), "version")
	if err != nil {
		return err
	}
	m, err := queryVersion(c, "against", n-1)
	if err != nil {
		return err
	}
	if m < 1 {
		return &drafts.Error{Code: drafts.EINVALID, Message: "against: version 1 has no predecessor; give ?against=", Fields: []drafts.FieldError{{Field: "against", Message: "required"}}}
	}
	diff, from, _, err := s.Service.VersionDiff(ctx(c), d.ID, n, m)
	if err != nil {
		return err
	}
	view := &diffView{Diff: diff, Side: c.QueryParam("view") == "side", From: m, To: n,
		Base: fmt.Sprintf("/documents/%s/versions/%d/diff?against=%d", d.ID, n, m)}
	p.Data = &diffData{View: view, Max: d.Head}
	// Versions never change, nor their diff: the page's content is made
	// once per pair (and view, and head: the request and the document).
	return s.renderShared(c, http.StatusOK, "diff", p, fmt.Sprintf("%d/%d", n, m), func() error {
		view.Numbers = numbers(from)
		return nil
	})
}

package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The editor's fragments, for workspace.js: the box that opens a
// provision for editing (GET /documents/{doc}/proposals/box) and the
// preview of the tracked changes (POST .../proposals/preview). Neither
// changes anything; without JavaScript the editor's own form posts do
// the same (propose_page.go).

// editorBase reads the version the editor works on (?base= or the form's
// base, the head if none).
func (s *Server) editorBase(c echo.Context, d *drafts.Document) (*drafts.Version, error) {
	n := d.Head
	if b, err := strconv.Atoi(c.FormValue("base")); err == nil && b > 0 && b <= d.Head {
		n = b
	}
	return s.Service.GetVersion(ctx(c), d.ID, n)
}

// editorBox answers the box of one provision, opened on its text.
func (s *Server) editorBox(c echo.Context) error {
	p, d, err := s.proposePage(c)
	if err != nil {
		return err
	}
	base, err := s.editorBase(c, d)
	if err != nil {
		return err
	}
	pr, i := base.Provision(c.QueryParam("provision"))
	if i < 0 {
		return drafts.Errorf(drafts.ENOTFOUND, "no provision %q in version %d", c.QueryParam("provision"), base.Number)
	}
	r := editRow{P: pr, Label: provisionLabel(pr), Bis: bisOf(pr), Open: true, Text: pr.Text, Moves: moveOptions(p.L, base)}
	return s.renderPart(c, http.StatusOK, "propose", "editbox", map[string]any{"R": r, "L": p.L})
}

// editorPreview answers the preview of the editor's form as it stands.
func (s *Server) editorPreview(c echo.Context) error {
	p, d, err := s.docPage(c, "Propose an amendment")
	if err != nil {
		return err
	}
	base, err := s.editorBase(c, d)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return drafts.Errorf(drafts.EMALFORMED, "could not read the form")
	}
	st := readEditor(form)
	pd := &proposeData{Head: base, Changes: len(st.operations(base))}
	if pd.Changes == 0 {
		pd.PreviewError = drafts.Errorf(drafts.EINVALID, "no changes yet: open a provision and change it")
	} else {
		pd.Preview, pd.PreviewError = s.previewOf(c, d, base, st)
	}
	p.Data = pd
	status := http.StatusOK
	if pd.PreviewError != nil {
		status = httpStatus(pd.PreviewError)
	}
	return s.renderPart(c, status, "propose", "editpreview", p)
}

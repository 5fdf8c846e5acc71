package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The confirmation of a merge (GET /documents/{doc}/merges/confirm?form=):
// what the merge will make, in full, and the button that makes it. A
// merge done already says so, with its version, so that Back after
// merging shows where it led rather than offering it again.

type mergeConfirmData struct {
	Desk     *deskData
	Result   *drafts.MergeResult
	FormID   string
	Merged   string
	Accepted int
	Modified int
	Desktop  string // the desk with this form, to go back to
}

func (s *Server) mergeConfirm(c echo.Context) error {
	p, d, err := s.deskPage(c)
	if err != nil {
		return err
	}
	if f, err := s.Service.GetForm(ctx(c), c.QueryParam("form")); err == nil && f.Path == deskPath(d) {
		p.Saved = f
	}
	if p.Saved == nil {
		p.Error = drafts.Errorf(drafts.ENOTFOUND, "there is no merge to confirm here: prepare one on the merge desk")
		p.Data = &mergeConfirmData{Desktop: deskPath(d)}
		return s.render(c, http.StatusNotFound, "merge-confirm", p)
	}
	return s.confirmMergePage(c, p, d, readDesk(p.Saved.Fields), p.Saved.ID, http.StatusOK)
}

// confirmMergePage shows the confirmation of the desk's merge (with the
// page's error, if any).
func (s *Server) confirmMergePage(c echo.Context, p *Page, d *drafts.Document, in *deskInput, formID string, status int) error {
	p.Title = "Confirm the merge"
	md := &mergeConfirmData{FormID: formID, Desktop: deskPath(d) + "?" + url.Values{"form": {formID}}.Encode()}
	p.Data = md
	if p.Saved != nil {
		if m := url.Values(p.Saved.Fields).Get("merged"); m != "" {
			md.Merged = m
			return s.render(c, status, "merge-confirm", p)
		}
	}
	dd, err := s.loadDesk(c, p, d, in)
	if err != nil {
		return err
	}
	md.Desk = dd
	p.Form["message"] = in.Message
	res, err := s.mergeOf(c, d, dd, in, true)
	switch {
	case err != nil && p.Error == nil:
		p.Error, status = err, httpStatus(err)
	case err == nil && len(res.Collisions) > 0:
		p.Error = drafts.Errorf(drafts.ECONFLICT, "%d collision(s) are still open: resolve each on the merge desk first", len(res.Collisions))
		status = http.StatusConflict
	}
	if err == nil {
		md.Result, md.Accepted, md.Modified = res, len(res.Accepted), len(res.Modified)
		dd.Preview = &diffView{Diff: res.Diff, Numbers: dd.Numbers}
		dd.Open = res.Collisions
	}
	p.Form["next"] = strconv.Itoa(dd.Head.Number + 1)
	return s.render(c, status, "merge-confirm", p)
}

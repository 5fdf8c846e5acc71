package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The chair's merge desk (GET /documents/{doc}/merges/new) and its form
// (POST .../merges). Without JavaScript every step (filter, select the
// uncontested, start a compromise from a delegation's text, preview,
// merge) is a form post that keeps the desk as a saved form and comes
// back to it; with workspace.js filtering, selecting and starting from a
// text happen in the page. Merging asks first on a page of its own
// (GET .../merges/confirm).

// deskPage starts a page of the desk: refused but to the chair of the
// document's body.
func (s *Server) deskPage(c echo.Context) (*Page, *drafts.Document, error) {
	return s.formsPage(c, "Merge desk", func(l docLinks) bool { return l.Merge }, "only the chair of the document's body may merge proposals")
}

// deskForm starts a post of the desk: its page, the form and the chair's
// input read from it.
func (s *Server) deskForm(c echo.Context) (*Page, *drafts.Document, url.Values, *deskInput, error) {
	p, d, err := s.deskPage(c)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	form, err := c.FormParams()
	if err != nil {
		return nil, nil, nil, nil, drafts.Errorf(drafts.EMALFORMED, "could not read the form")
	}
	return p, d, form, readDesk(form), nil
}

// deskPath is the desk's address.
func deskPath(d *drafts.Document) string { return "/documents/" + d.ID + "/merges/new" }

// loadDesk reads the head's compilation and open proposals and builds the
// desk for the chair's input.
func (s *Server) loadDesk(c echo.Context, p *Page, d *drafts.Document, in *deskInput) (*deskData, error) {
	comp, head, err := s.Service.Compile(ctx(c), d.ID, 0)
	if err != nil {
		return nil, err
	}
	open, err := listAll(func(opt drafts.ListOptions) (*drafts.Page[*drafts.Proposal], error) {
		return s.Service.ListProposals(ctx(c), d.ID, drafts.ProposalFilter{Status: drafts.ProposalOpen}, opt)
	})
	if err != nil {
		return nil, err
	}
	props := make(map[string]*drafts.Proposal, len(open))
	for _, pr := range open {
		props[pr.ID] = pr
	}
	dd := buildDesk(p, d, comp, head, props, in)
	dd.Langs, dd.Original = deskLanguages(p, d, head, props, in), originalName(p.L, d)
	return dd, nil
}

// deskInputOf is the chair's input the page opens with: the saved form
// (?form=), the filters of the address overriding its own.
func deskInputOf(c echo.Context, p *Page) *deskInput {
	in := readDesk(url.Values{})
	if p.Saved != nil {
		in = readDesk(p.Saved.Fields)
	}
	q := c.QueryParams()
	for k, set := range map[string]*string{"section": &in.Filter.Section, "delegation": &in.Filter.Delegation, "state": &in.Filter.State} {
		if v, ok := q[k]; ok {
			*set = v[0]
		}
	}
	return in
}

func (s *Server) mergeDesk(c echo.Context) error {
	p, d, err := s.deskPage(c)
	if err != nil {
		return err
	}
	in := deskInputOf(c, p)
	if p.Saved != nil && p.Saved.Fields["merged"] != nil {
		in = readDesk(url.Values{}) // that merge is done: a fresh desk
		p.Saved = nil
	}
	dd, err := s.loadDesk(c, p, d, in)
	if err != nil {
		return err
	}
	if p.Saved != nil {
		dd.FormID = p.Saved.ID
		if c.QueryParam("preview") != "" {
			s.deskPreview(c, d, dd, in)
		}
	}
	p.Form["base"], p.Form["message"] = strconv.Itoa(dd.Head.Number), in.Message
	p.Data = dd
	return s.render(c, http.StatusOK, "merge", p)
}

// deskPreview fills the desk's preview of the merge of what is picked,
// collisions still open marked.
func (s *Server) deskPreview(c echo.Context, d *drafts.Document, dd *deskData, in *deskInput) {
	res, err := s.mergeOf(c, d, dd, in, true)
	if err != nil {
		dd.PreviewErr = err
		return
	}
	dd.Preview, dd.Open = &diffView{Diff: res.Diff, Numbers: dd.Numbers}, res.Collisions
}

// mergeOf merges (or previews) what the desk picked.
func (s *Server) mergeOf(c echo.Context, d *drafts.Document, dd *deskData, in *deskInput, preview bool) (*drafts.MergeResult, error) {
	if len(in.Order) == 0 {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "no proposal is selected: select the proposals to merge", Fields: []drafts.FieldError{{Field: "proposals", Message: "required"}}}
	}
	res, err := in.resolutions(dd.All)
	if err != nil {
		return nil, err
	}
	return s.Service.Merge(ctx(c), d.ID, drafts.MergeInput{Base: dd.Head.Number, Proposals: in.Order, Resolutions: res, Message: in.Message, Preview: preview,
		Translations: in.translations(dd.Langs)})
}

// merge takes a step of the desk: filter, select, start a compromise,
// preview, go to the confirmation, or (from it) merge.
func (s *Server) merge(c echo.Context) error {
	p, d, form, in, err := s.deskForm(c)
	if err != nil {
		return err
	}
	action := form.Get("action")
	if action == "confirm" && confirmed(c) {
		return s.mergeConfirmed(c, p, d, in, form.Get("form"))
	}
	query, anchor := url.Values{}, ""
	switch {
	case strings.HasPrefix(action, "pick:"):
		anchor = s.pickUncontested(c, p, d, in, strings.TrimPrefix(action, "pick:"))
	case strings.HasPrefix(action, "start:"):
		anchor = s.startFrom(c, p, d, in, strings.TrimPrefix(action, "start:"))
	case action == "preview":
		query.Set("preview", "1")
		anchor = "#preview"
	}
	saved, err := s.saveDesk(c, d, in, form.Get("form"))
	if err != nil {
		return err
	}
	query.Set("form", saved.ID)
	if action == "merge" {
		return c.Redirect(http.StatusSeeOther, "/documents/"+d.ID+"/merges/confirm?"+query.Encode())
	}
	return c.Redirect(http.StatusSeeOther, deskPath(d)+"?"+query.Encode()+anchor)
}

// pickUncontested picks every uncontested proposal of a section (its
// heading's id), or of the whole text ("all").
func (s *Server) pickUncontested(c echo.Context, p *Page, d *drafts.Document, in *deskInput, section string) string {
	dd, err := s.loadDesk(c, p, d, &deskInput{Picked: map[string]bool{}})
	if err != nil {
		return ""
	}
	for _, g := range dd.All {
		if section != "all" && g.Section != section {
			continue
		}
		for _, r := range g.Rows {
			for _, pk := range r.Picks {
				if pk.Uncontested {
					in.pick(pk.ID)
				}
			}
		}
	}
	if section == "all" {
		return ""
	}
	return "#sec-" + section
}

// startFrom starts the compromise of a collision from one competing text
// ("<provision>:<index>").
func (s *Server) startFrom(c echo.Context, p *Page, d *drafts.Document, in *deskInput, what string) string {
	id, index, _ := strings.Cut(what, ":")
	i, err := strconv.Atoi(index)
	if err != nil {
		return ""
	}
	dd, err := s.loadDesk(c, p, d, &deskInput{Picked: map[string]bool{}})
	if err != nil {
		return ""
	}
	for _, g := range dd.All {
		if col := g.Collision; col != nil && col.Provision == id && i >= 0 && i < len(col.Sides) {
			if col.Sides[i].Deleted {
				in.Mode[id] = "delete"
			} else {
				in.Mode[id], in.Res[id] = "text", col.Sides[i].Text
			}
		}
	}
	return "#col-" + id
}

// saveDesk keeps the desk's input as the chair's saved form formID.
func (s *Server) saveDesk(c echo.Context, d *drafts.Document, in *deskInput, formID string) (*drafts.SavedForm, error) {
	return s.keepForm(c, formID, deskPath(d), in.fields())
}

// mergeConfirmed merges, from the confirmation page.
func (s *Server) mergeConfirmed(c echo.Context, p *Page, d *drafts.Document, in *deskInput, formID string) error {
	dd, err := s.loadDesk(c, p, d, in)
	if err != nil {
		return err
	}
	res, err := s.mergeOf(c, d, dd, in, false)
	if err != nil {
		p.Error = err
		return s.confirmMergePage(c, p, d, in, formID, httpStatus(err))
	}
	if formID != "" {
		fields := in.fields()
		fields.Set("merged", strconv.Itoa(res.Version.Number))
		if _, err := s.keepForm(c, formID, deskPath(d), fields); err != nil {
			s.Log.Warn("marking a desk merged", "err", err)
		}
	}
	n := len(res.Accepted) + len(res.Modified)
	return s.done(c, fmt.Sprintf("/documents/%s/versions/%d/diff?against=%d", d.ID, res.Version.Number, dd.Head.Number),
		msg("Version %s published: %s proposals merged."), strconv.Itoa(res.Version.Number), strconv.Itoa(n))
}

// mergePreviewPart answers the preview of the desk's form as it stands,
// for workspace.js (POST .../merges/preview); it keeps nothing.
func (s *Server) mergePreviewPart(c echo.Context) error {
	p, d, _, in, err := s.deskForm(c)
	if err != nil {
		return err
	}
	dd, err := s.loadDesk(c, p, d, in)
	if err != nil {
		return err
	}
	s.deskPreview(c, d, dd, in)
	p.Data = dd
	status := http.StatusOK
	if dd.PreviewErr != nil {
		status = httpStatus(dd.PreviewErr)
	}
	return s.renderPart(c, status, "merge", "deskpreview", p)
}

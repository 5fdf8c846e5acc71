package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The chair's merge desk (GET /documents/{doc}/merges/new) and its form
// (POST .../merges), previewed before it is sent.

type mergeData struct {
	Head       *drafts.Version
	Proposals  []*drafts.Proposal
	Picked     map[string]bool
	Collisions []drafts.Collision
	// Resolutions are the compromise texts typed so far, by provision.
	Resolutions map[string]string
	Preview     *diffView
	Numbers     map[string]string
}

func (s *Server) mergeData(c echo.Context, d *drafts.Document) (*mergeData, error) {
	head, props, err := s.headAndOpen(c, d)
	if err != nil {
		return nil, err
	}
	return &mergeData{Head: head, Proposals: props, Picked: map[string]bool{}, Resolutions: map[string]string{},
		Numbers: numbers(head)}, nil
}

func (s *Server) mergeDesk(c echo.Context) error {
	p, d, err := s.formsPage(c, "Merge desk", func(l docLinks) bool { return l.Merge },
		"only the chair of the document's body may merge proposals")
	if err != nil {
		return err
	}
	md, err := s.mergeData(c, d)
	if err != nil {
		return err
	}
	p.Form["base"] = strconv.Itoa(md.Head.Number)
	p.Data = md
	return s.render(c, http.StatusOK, "merge", p)
}

func (s *Server) merge(c echo.Context) error {
	p, d, err := s.docPage(c, "Merge desk")
	if err != nil {
		return err
	}
	md, err := s.mergeData(c, d)
	if err != nil {
		return err
	}
	p.Data = md
	form, err := c.FormParams()
	if err != nil {
		return drafts.Errorf(drafts.EMALFORMED, "could not read the form")
	}
	p.Form["base"], p.Form["message"] = form.Get("base"), form.Get("message")
	in := drafts.MergeInput{Message: form.Get("message"), Preview: form.Get("action") == "preview", Resolutions: map[string]string{}}
	for _, id := range form["proposals"] {
		md.Picked[id] = true
		in.Proposals = append(in.Proposals, id)
	}
	for _, id := range form["resolve"] {
		if _, i := md.Head.Provision(id); i >= 0 {
			in.Resolutions[id] = form.Get("res." + id)
			md.Resolutions[id] = form.Get("res." + id)
		}
	}
	in.Base, err = strconv.Atoi(form.Get("base"))
	if err != nil {
		err = &drafts.Error{Code: drafts.EINVALID, Message: "base: a version number", Fields: []drafts.FieldError{{Field: "base", Message: "a version number"}}}
	}
	var res *drafts.MergeResult
	if err == nil {
		res, err = s.Service.Merge(ctx(c), d.ID, in)
	}
	if err != nil {
		if e := drafts.AsError(err); e != nil {
			md.Collisions = e.Collisions
			for _, col := range e.Collisions {
				if _, ok := md.Resolutions[col.Provision]; !ok {
					md.Resolutions[col.Provision] = col.HeadText
				}
			}
		}
		p.Error = err
		return s.render(c, httpStatus(err), "merge", p)
	}
	if in.Preview {
		// The service's diff, attributed as the merged version's will be:
		// a compromise credited to the chair.
		diff := res.Diff
		md.Preview = &diffView{Diff: diff, Numbers: md.Numbers}
		return s.render(c, http.StatusOK, "merge", p)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/documents/%s/versions/%d/diff?against=%d", d.ID, res.Version.Number, md.Head.Number))
}

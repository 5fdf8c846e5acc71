package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The propose form: a new proposal (GET /documents/{doc}/proposals/new,
// POST .../proposals) or the edit of one (GET .../proposals/{p}/edit,
// POST .../proposals/{p}), previewed before it is sent.

// startMarker is the "after" choice meaning the start of the text.
const startMarker = "^start"

type proposeData struct {
	Head    *drafts.Version
	Preview *diffView
	Edit    *drafts.Proposal // the proposal being edited, if any
}

func (s *Server) proposeForm(c echo.Context) error {
	p, d, err := s.formsPage(c, "Propose an amendment", func(l docLinks) bool { return l.Propose },
		"only delegates of member delegations may propose amendments")
	if err != nil {
		return err
	}
	head, err := s.Service.GetVersion(ctx(c), d.ID, d.Head)
	if err != nil {
		return err
	}
	p.Form["base"] = strconv.Itoa(head.Number)
	p.Form["op"] = drafts.OpReplace
	if id := c.QueryParam("provision"); id != "" {
		if pr, i := head.Provision(id); i >= 0 {
			p.Form["provision"] = id
			p.Form["text"] = pr.Text
		}
	}
	if op := c.QueryParam("op"); op != "" {
		p.Form["op"] = op
	}
	p.Form["whole"] = head.Text()
	p.Data = &proposeData{Head: head}
	return s.render(c, http.StatusOK, "propose", p)
}

// proposalInput reads the proposal form: one operation, or a whole text.
func proposalInput(c echo.Context, form map[string]string) (drafts.ProposalInput, error) {
	for _, k := range []string{"base", "mode", "op", "provision", "after", "text", "whole", "justification"} {
		form[k] = c.FormValue(k)
	}
	in := drafts.ProposalInput{Justification: form["justification"]}
	b, err := strconv.Atoi(form["base"])
	if err != nil || b < 1 {
		return in, &drafts.Error{Code: drafts.EINVALID, Message: "base: a version number", Fields: []drafts.FieldError{{Field: "base", Message: "a version number"}}}
	}
	in.Base = b
	if form["mode"] == "whole" {
		in.Text = form["whole"]
		return in, nil
	}
	op := drafts.Operation{Op: form["op"], Provision: form["provision"]}
	after := form["after"]
	if after == startMarker {
		after = ""
	}
	switch op.Op {
	case drafts.OpReplace:
		op.Text = form["text"]
	case drafts.OpInsert:
		op.Text, op.After, op.Provision = form["text"], after, ""
	case drafts.OpMove:
		op.After = after
	}
	in.Operations = []drafts.Operation{op}
	return in, nil
}

func (s *Server) propose(c echo.Context) error {
	return s.proposeOrEdit(c, "")
}

func (s *Server) editProposal(c echo.Context) error {
	return s.proposeOrEdit(c, c.Param("p"))
}

// proposeOrEdit previews or submits a new proposal, or the new content of
// proposal id.
func (s *Server) proposeOrEdit(c echo.Context, id string) error {
	p, d, err := s.docPage(c, "Propose an amendment")
	if err != nil {
		return err
	}
	pd := &proposeData{}
	p.Data = pd
	in, inErr := proposalInput(c, p.Form)
	n := d.Head
	if id != "" {
		if pd.Edit, err = s.Service.GetProposal(ctx(c), d.ID, id); err != nil {
			return err
		}
		n = pd.Edit.Base
	}
	if in.Base > 0 && in.Base <= d.Head {
		n = in.Base
	}
	if pd.Head, err = s.Service.GetVersion(ctx(c), d.ID, n); err != nil {
		return err
	}
	err = inErr
	if err == nil && c.FormValue("action") == "preview" {
		var diff *drafts.Diff
		if diff, err = s.Service.PreviewProposal(ctx(c), d.ID, in); err == nil {
			pd.Preview = &diffView{Diff: diff, Numbers: numbers(pd.Head)}
			return s.render(c, http.StatusOK, "propose", p)
		}
	}
	if err == nil {
		var pr *drafts.Proposal
		if id == "" {
			pr, err = s.Service.CreateProposal(ctx(c), d.ID, in)
		} else {
			pr, err = s.Service.EditProposal(ctx(c), d.ID, id, in, "")
		}
		if err == nil {
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/documents/%s/proposals/%s", d.ID, pr.ID))
		}
	}
	p.Error = err
	return s.render(c, httpStatus(err), "propose", p)
}

// editForm shows the propose form filled with a proposal's content: its
// one operation, or its edited text (made from its operations if it had
// several).
func (s *Server) editForm(c echo.Context) error {
	p, d, err := s.docPage(c, "Edit")
	if err != nil {
		return err
	}
	pr, err := s.Service.GetProposal(ctx(c), d.ID, c.Param("p"))
	if err != nil {
		return err
	}
	// The form is its own delegation's only, as submitting it is.
	if !s.may(c, drafts.ActProposalWithdraw, pr.Resource(d)) {
		return &drafts.Error{Code: drafts.EFORBIDDEN, Message: "only the delegation that made this proposal may edit or withdraw it", Permission: drafts.ActProposalWithdraw}
	}
	if err := pr.CheckOpen(); err != nil {
		return err
	}
	base, err := s.Service.GetVersion(ctx(c), d.ID, pr.Base)
	if err != nil {
		return err
	}
	f := p.Form
	f["base"], f["justification"], f["op"], f["mode"] = strconv.Itoa(pr.Base), pr.Justification, drafts.OpReplace, "one"
	result, err := drafts.ApplyOperations(base.Provisions, pr.Operations, s.Service.NewID, s.Service.Limits())
	if err != nil {
		return err
	}
	f["whole"] = drafts.PrintProvisions(result)
	switch {
	case pr.Text != "":
		f["mode"], f["whole"] = "whole", pr.Text
	case len(pr.Operations) == 1:
		o := pr.Operations[0]
		f["op"], f["provision"], f["after"], f["text"] = o.Op, o.Provision, o.After, o.Text
		if (o.Op == drafts.OpInsert || o.Op == drafts.OpMove) && o.After == "" {
			f["after"] = startMarker
		}
	default:
		f["mode"] = "whole"
	}
	p.Data = &proposeData{Head: base, Edit: pr}
	return s.render(c, http.StatusOK, "propose", p)
}

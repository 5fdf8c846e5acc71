package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// startMarker is the "after" choice meaning the start of the text.
const startMarker = "^start"

type proposeData struct {
	Head    *drafts.Version
	Preview *diffView
	Links   docLinks
	Edit    *drafts.Proposal // the proposal being edited, if any
}

func (s *Server) proposeForm(c echo.Context) error {
	p, d, err := s.docPage(c, "Propose an amendment")
	if err != nil {
		return err
	}
	if err := refuse(d, p.Links.Propose, "only delegates of member delegations may propose amendments"); err != nil {
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
	p.Data = &proposeData{Head: head, Links: s.links(c, d)}
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
	pd := &proposeData{Links: s.links(c, d)}
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
	p.Data = &proposeData{Head: base, Links: s.links(c, d), Edit: pr}
	return s.render(c, http.StatusOK, "propose", p)
}

type proposalData struct {
	Proposal                  *drafts.Proposal
	AgainstBase, AgainstHead  *diffView
	HeadError                 error
	Withdraw, Cosponsor, Note bool
	Edit                      bool
	Reject                    bool
	Links                     docLinks
}

func (s *Server) proposalPage(c echo.Context, p *Page, d *drafts.Document, status int) error {
	pr, err := s.Service.GetProposal(ctx(c), d.ID, c.Param("p"))
	if err != nil {
		return err
	}
	res := pr.Resource(d)
	pd := &proposalData{Proposal: pr, Links: s.links(c, d)}
	open := pr.Status == drafts.ProposalOpen
	pd.Withdraw = open && s.may(c, drafts.ActProposalWithdraw, res)
	pd.Edit = pd.Withdraw
	pd.Cosponsor = open && s.may(c, drafts.ActProposalCosponsor, res)
	pd.Note = s.may(c, drafts.ActProposalComment, res)
	pd.Reject = open && s.may(c, drafts.ActProposalReject, res)
	base, err := s.Service.GetVersion(ctx(c), d.ID, pr.Base)
	if err != nil {
		return err
	}
	diff, err := s.Service.ProposalDiff(ctx(c), d.ID, pr.ID, "base")
	if err != nil {
		return err
	}
	pd.AgainstBase = &diffView{Diff: diff, Numbers: numbers(base)}
	if open && pr.Base != d.Head {
		if hd, err := s.Service.ProposalDiff(ctx(c), d.ID, pr.ID, "head"); err == nil {
			pd.AgainstHead = &diffView{Diff: hd, Numbers: numbers(base)}
		} else if drafts.IsCode(err, drafts.ECONFLICT) {
			pd.HeadError = err
		} else {
			return err
		}
	}
	p.Title = p.L.T("Proposal") + " " + pr.ID
	p.Data = pd
	return s.render(c, status, "proposal", p)
}

func (s *Server) proposal(c echo.Context) error {
	p, d, err := s.docPage(c, "Proposal")
	if err != nil {
		return err
	}
	return s.proposalPage(c, p, d, http.StatusOK)
}

// proposalAction runs a form's action on a proposal, after asking the
// policy, and goes back to the proposal; a failure shows the proposal page
// with the error and what was typed.
func (s *Server) proposalAction(c echo.Context, fields []string, f func(doc, id string) error) error {
	p, d, err := s.docPage(c, "Proposal")
	if err != nil {
		return err
	}
	for _, k := range fields {
		p.Form[k] = c.FormValue(k)
	}
	pr, err := s.Service.GetProposal(ctx(c), d.ID, c.Param("p"))
	if err != nil {
		return err
	}
	if err := f(d.ID, pr.ID); err != nil {
		p.Error = err
		return s.proposalPage(c, p, d, httpStatus(err))
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/documents/%s/proposals/%s", d.ID, pr.ID))
}

func (s *Server) withdraw(c echo.Context) error {
	return s.proposalAction(c, nil, func(doc, id string) error {
		_, err := s.Service.WithdrawProposal(ctx(c), doc, id, "")
		return err
	})
}

func (s *Server) cosponsor(c echo.Context) error {
	return s.proposalAction(c, nil, func(doc, id string) error {
		_, err := s.Service.CosponsorProposal(ctx(c), doc, id, "")
		return err
	})
}

func (s *Server) comment(c echo.Context) error {
	return s.proposalAction(c, []string{"comment"}, func(doc, id string) error {
		_, err := s.Service.CommentProposal(ctx(c), doc, id, c.FormValue("comment"), "")
		return err
	})
}

func (s *Server) reject(c echo.Context) error {
	return s.proposalAction(c, []string{"reason"}, func(doc, id string) error {
		_, err := s.Service.RejectProposal(ctx(c), doc, id, c.FormValue("reason"), "")
		return err
	})
}

type mergeData struct {
	Head       *drafts.Version
	Proposals  []*drafts.Proposal
	Picked     map[string]bool
	Collisions []drafts.Collision
	// Resolutions are the compromise texts typed so far, by provision.
	Resolutions map[string]string
	Preview     *diffView
	Links       docLinks
	Numbers     map[string]string
}

func (s *Server) mergeData(c echo.Context, d *drafts.Document) (*mergeData, error) {
	head, err := s.Service.GetVersion(ctx(c), d.ID, d.Head)
	if err != nil {
		return nil, err
	}
	props, err := s.Service.ListProposals(ctx(c), d.ID, drafts.ProposalFilter{Status: drafts.ProposalOpen}, drafts.ListOptions{Limit: 500})
	if err != nil {
		return nil, err
	}
	return &mergeData{Head: head, Proposals: props.Items, Picked: map[string]bool{}, Resolutions: map[string]string{},
		Links: s.links(c, d), Numbers: numbers(head)}, nil
}

func (s *Server) mergeDesk(c echo.Context) error {
	p, d, err := s.docPage(c, "Merge desk")
	if err != nil {
		return err
	}
	if err := chairOnly(d, p.Links.Merge, "merge proposals"); err != nil {
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

type adoptionData struct {
	Round                  *drafts.AdoptionRound
	TimeLeft               string
	Open, Respond, Close   bool
	Links                  docLinks
	Procedures             []string
	Responded, HasDeadline bool
}

func (s *Server) adoptionPage(c echo.Context, p *Page, d *drafts.Document, status int) error {
	r, err := s.Service.GetAdoption(ctx(c), d.ID)
	if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return err
	}
	res := d.Resource()
	ad := &adoptionData{Round: r, Links: s.links(c, d), Procedures: []string{drafts.ProcedureConsensus, drafts.ProcedureSilence}}
	roundOpen := r != nil && r.State == drafts.RoundOpen
	ad.Open = !roundOpen && d.State != drafts.StateAdopted && d.State != drafts.StateWithdrawn && s.may(c, drafts.ActAdoptionOpen, res)
	ad.Respond = roundOpen && s.may(c, drafts.ActAdoptionConsent, res)
	ad.Close = roundOpen && r.Procedure == drafts.ProcedureConsensus && s.may(c, drafts.ActAdoptionClose, res)
	if roundOpen && r.Deadline != nil {
		ad.HasDeadline = true
		ad.TimeLeft = timeLeft(p.L, r.Deadline.Sub(s.Service.Now()))
	}
	if u := user(c); r != nil && u != nil && u.Delegation != "" {
		for _, x := range append(append([]drafts.Response{}, r.Consents...), r.Objections...) {
			if x.Delegation == u.Delegation {
				ad.Responded = true
			}
		}
	}
	if p.Form["version"] == "" {
		p.Form["version"] = strconv.Itoa(d.Head)
		p.Form["procedure"] = drafts.ProcedureConsensus
	}
	p.Data = ad
	return s.render(c, status, "adoption", p)
}

// timeLeft says how long until a deadline, in days, hours and minutes.
func timeLeft(l Lang, d time.Duration) string {
	if d <= 0 {
		return l.T("ended")
	}
	d = d.Round(time.Minute)
	days, hours, mins := int(d.Hours())/24, int(d.Hours())%24, int(d.Minutes())%60
	if l == "ru" {
		return fmt.Sprintf("%d д %d ч %d мин", days, hours, mins)
	}
	return fmt.Sprintf("%dd %dh %dm", days, hours, mins)
}

func (s *Server) adoption(c echo.Context) error {
	p, d, err := s.docPage(c, "Adoption")
	if err != nil {
		return err
	}
	return s.adoptionPage(c, p, d, http.StatusOK)
}

// adoptionAction runs an adoption form after asking the policy and goes
// back to the adoption page; a failure shows it with the error.
func (s *Server) adoptionAction(c echo.Context, fields []string, f func(doc string) error) error {
	p, d, err := s.docPage(c, "Adoption")
	if err != nil {
		return err
	}
	for _, k := range fields {
		p.Form[k] = c.FormValue(k)
	}
	if err := f(d.ID); err != nil {
		p.Error = err
		return s.adoptionPage(c, p, d, httpStatus(err))
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/documents/%s/adoption", d.ID))
}

func (s *Server) openAdoption(c echo.Context) error {
	return s.adoptionAction(c, []string{"version", "procedure", "deadline"}, func(doc string) error {
		in := drafts.AdoptionInput{Procedure: c.FormValue("procedure")}
		n, err := strconv.Atoi(c.FormValue("version"))
		if err != nil {
			return &drafts.Error{Code: drafts.EINVALID, Message: "version: a version number", Fields: []drafts.FieldError{{Field: "version", Message: "a version number"}}}
		}
		in.Version = n
		if dl := strings.TrimSpace(c.FormValue("deadline")); dl != "" {
			t, err := time.Parse("2006-01-02T15:04", dl)
			if err != nil {
				return &drafts.Error{Code: drafts.EINVALID, Message: "deadline: a date and time such as 2026-12-01T17:00 (UTC)",
					Fields: []drafts.FieldError{{Field: "deadline", Message: "a date and time"}}}
			}
			in.Deadline = &t
		}
		_, err = s.Service.OpenAdoption(ctx(c), doc, in)
		return err
	})
}

func (s *Server) consent(c echo.Context) error {
	return s.adoptionAction(c, nil, func(doc string) error {
		_, err := s.Service.Consent(ctx(c), doc)
		return err
	})
}

func (s *Server) object(c echo.Context) error {
	return s.adoptionAction(c, []string{"reason"}, func(doc string) error {
		_, err := s.Service.Object(ctx(c), doc, c.FormValue("reason"))
		return err
	})
}

func (s *Server) closeAdoption(c echo.Context) error {
	return s.adoptionAction(c, nil, func(doc string) error {
		_, err := s.Service.CloseAdoption(ctx(c), doc)
		return err
	})
}

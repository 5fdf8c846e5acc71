package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Amending a proposal (GET and POST /documents/{doc}/proposals/{p}/amend):
// a sub-amendment gives other texts to provisions the proposal writes.
// The form has a box per such provision, holding the proposal's text; the
// boxes changed become the sub-amendment's replacements. It can be
// previewed against the proposal before it is sent.

type amendData struct {
	Proposal *drafts.Proposal
	// Provisions are those the proposal writes, with its texts.
	Provisions []drafts.Provision
	Preview    *diffView
}

// amendField is the form field of provision id's text.
func amendField(id string) string { return "text-" + id }

// amendPage starts the amend page of the proposal the path names, its
// boxes holding the proposal's texts.
func (s *Server) amendPage(c echo.Context) (*Page, *drafts.Document, *amendData, error) {
	p, d, err := s.formsPage(c, "Amend this proposal", func(l docLinks) bool { return l.Propose },
		"only delegates of member delegations may amend proposals")
	if err != nil {
		return nil, nil, nil, err
	}
	pr, text, err := s.Service.ProposalText(ctx(c), d.ID, c.Param("p"))
	if err != nil {
		return nil, nil, nil, err
	}
	base, err := s.Service.GetVersion(ctx(c), d.ID, pr.Base)
	if err != nil {
		return nil, nil, nil, err
	}
	ad := &amendData{Proposal: pr, Provisions: drafts.AmendableProvisions(base.Provisions, text.Provisions)}
	for _, pv := range ad.Provisions {
		p.Form[amendField(pv.ID)] = pv.Text
	}
	p.Title = p.L.T("Amend") + ": " + p.ProposalName(pr)
	p.Data = ad
	return p, d, ad, nil
}

func (s *Server) amendForm(c echo.Context) error {
	p, _, _, err := s.amendPage(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "amend", p)
}

// amend previews or submits the sub-amendment: a replacement of each
// provision whose box was changed.
func (s *Server) amend(c echo.Context) error {
	p, d, ad, err := s.amendPage(c)
	if err != nil {
		return err
	}
	in := drafts.ProposalInput{Amends: ad.Proposal.ID, Justification: c.FormValue("justification")}
	p.Form["justification"] = in.Justification
	for _, pv := range ad.Provisions {
		text := c.FormValue(amendField(pv.ID))
		p.Form[amendField(pv.ID)] = text
		if text != pv.Text {
			in.Operations = append(in.Operations, drafts.Operation{Op: drafts.OpReplace, Provision: pv.ID, Text: text})
		}
	}
	if len(in.Operations) == 0 {
		p.Error = &drafts.Error{Code: drafts.EINVALID, Message: "the sub-amendment changes nothing: change the text of at least one provision",
			Fields: []drafts.FieldError{{Field: "operations", Message: "no change"}}}
		return s.render(c, http.StatusUnprocessableEntity, "amend", p)
	}
	if c.FormValue("action") == "preview" {
		diff, err := s.Service.PreviewProposal(ctx(c), d.ID, in)
		if err == nil {
			ad.Preview = &diffView{Diff: diff}
			return s.render(c, http.StatusOK, "amend", p)
		}
		p.Error = err
		return s.render(c, httpStatus(err), "amend", p)
	}
	sub, err := s.Service.CreateProposal(ctx(c), d.ID, in)
	if err != nil {
		p.Error = err
		return s.render(c, httpStatus(err), "amend", p)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/documents/%s/proposals/%d", d.ID, sub.Number))
}

// subAmendmentParts fills in the proposal page's parts about
// sub-amendments: for one, the proposal it amends and its diff against
// it; for a proposal to the text, whether the user may amend it.
func (s *Server) subAmendmentParts(c echo.Context, d *drafts.Document, pr *drafts.Proposal, base *drafts.Version, pd *proposalData) error {
	if pr.Amends == "" {
		u := user(c)
		pd.Amend = pr.Status == drafts.ProposalOpen && s.links(c, d).Propose && u != nil && u.Delegation != pr.Delegation
		return nil
	}
	amended, err := s.Service.GetProposal(ctx(c), d.ID, pr.Amends)
	if err != nil {
		return err
	}
	diff, err := s.Service.ProposalDiff(ctx(c), d.ID, pr.ID, "amended")
	if err != nil {
		return err
	}
	pd.Amended, pd.AgainstAmended = amended, &diffView{Diff: diff, Numbers: numbers(base)}
	return nil
}

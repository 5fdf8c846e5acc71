package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// A proposal's page (GET /documents/{doc}/proposals/{p}) and its forms:
// withdraw, cosponsor, comment, reject.

type proposalData struct {
	Proposal                  *drafts.Proposal
	AgainstBase, AgainstHead  *diffView
	HeadError                 error
	Withdraw, Cosponsor, Note bool
	Edit                      bool
	Reject                    bool
	// Amended is the proposal a sub-amendment amends, AgainstAmended its
	// diff against it; Amend whether the user may amend this one
	// (amend_page.go).
	Amended        *drafts.Proposal
	AgainstAmended *diffView
	Amend          bool
}

func (s *Server) proposalPage(c echo.Context, p *Page, d *drafts.Document, status int) error {
	pr, err := s.Service.GetProposal(ctx(c), d.ID, c.Param("p"))
	if err != nil {
		return err
	}
	res := pr.Resource(d)
	pd := &proposalData{Proposal: pr}
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
	if err := s.subAmendmentParts(c, d, pr, base, pd); err != nil {
		return err
	}
	if open && pr.Base != d.Head {
		if hd, err := s.Service.ProposalDiff(ctx(c), d.ID, pr.ID, "head"); err == nil {
			pd.AgainstHead = &diffView{Diff: hd, Numbers: numbers(base)}
		} else if drafts.IsCode(err, drafts.ECONFLICT) {
			pd.HeadError = err
		} else {
			return err
		}
	}
	p.Title = p.ProposalName(pr)
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

package web

import (
	"fmt"
	"net/http"
	"net/url"

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

// proposalOf reads the page's document and the proposal the route names.
func (s *Server) proposalOf(c echo.Context) (*Page, *drafts.Document, *drafts.Proposal, error) {
	p, d, err := s.docPage(c, "Proposal")
	if err != nil {
		return nil, nil, nil, err
	}
	pr, err := s.Service.GetProposal(ctx(c), d.ID, c.Param("p"))
	if err != nil {
		return nil, nil, nil, err
	}
	return p, d, pr, nil
}

func (s *Server) proposal(c echo.Context) error {
	p, d, err := s.docPage(c, "Proposal")
	if err != nil {
		return err
	}
	return s.proposalPage(c, p, d, http.StatusOK)
}

// proposalAction runs a form's action on a proposal, after asking the
// policy, and goes back to the proposal saying what happened (notice,
// with the proposal's name); a failure shows the proposal page with the
// error and what was typed.
func (s *Server) proposalAction(c echo.Context, fields []string, notice string, f func(doc, id string) error) error {
	p, d, pr, err := s.proposalOf(c)
	if err != nil {
		return err
	}
	for _, k := range fields {
		p.Form[k] = c.FormValue(k)
	}
	if err := f(d.ID, pr.ID); err != nil {
		p.Error = err
		return s.proposalPage(c, p, d, httpStatus(err))
	}
	return s.done(c, fmt.Sprintf("/documents/%s/proposals/%s", d.ID, proposalRef(pr)), notice, p.ProposalName(pr))
}

// confirmFirst sends a destructive form that did not come from its
// confirmation page there.
func confirmFirst(c echo.Context, next echo.HandlerFunc) error {
	if !confirmed(c) {
		q := url.Values{}
		for _, k := range []string{"token", "reason"} {
			if v := c.FormValue(k); v != "" {
				q.Set(k, v)
			}
		}
		to := c.Request().URL.Path
		if len(q) > 0 {
			to += "?" + q.Encode()
		}
		return c.Redirect(http.StatusSeeOther, to)
	}
	return next(c)
}

func (s *Server) withdraw(c echo.Context) error {
	return confirmFirst(c, func(c echo.Context) error {
		return s.proposalAction(c, nil, msg("%s withdrawn."), func(doc, id string) error {
			_, err := s.Service.WithdrawProposal(ctx(c), doc, id, "")
			return err
		})
	})
}

func (s *Server) cosponsor(c echo.Context) error {
	return s.proposalAction(c, nil, msg("You co-sponsor %s."), func(doc, id string) error {
		_, err := s.Service.CosponsorProposal(ctx(c), doc, id, "")
		return err
	})
}

func (s *Server) comment(c echo.Context) error {
	return s.proposalAction(c, []string{"comment"}, msg("Comment added to %s."), func(doc, id string) error {
		_, err := s.Service.CommentProposal(ctx(c), doc, id, c.FormValue("comment"), "")
		return err
	})
}

func (s *Server) reject(c echo.Context) error {
	return confirmFirst(c, func(c echo.Context) error {
		p, d, pr, err := s.proposalOf(c)
		if err != nil {
			return err
		}
		if _, err := s.Service.RejectProposal(ctx(c), d.ID, pr.ID, c.FormValue("reason"), ""); err != nil {
			return s.proposalConfirmWith(c, "reject", err) // the reason was typed there
		}
		return s.done(c, fmt.Sprintf("/documents/%s/proposals/%s", d.ID, proposalRef(pr)), msg("%s rejected."), p.ProposalName(pr))
	})
}

package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Destructive and final actions (withdraw and reject a proposal, close an
// adoption round, revoke a token; merging has its own, confirm_merge.go)
// ask first on a page of their own: GET shows what will happen and the
// button that does it; the POST of a form that did not come from that
// page (no confirm=yes) is sent there rather than acted on.

type confirmData struct {
	Question string
	Details  []string
	Action   string
	Hidden   map[string]string
	// Reason asks for a reason (label), "" for none.
	Reason, Button, Cancel string
}

func (s *Server) confirmPage(c echo.Context, p *Page, cd *confirmData, status int) error {
	p.Data = cd
	return s.render(c, status, "confirm", p)
}

// confirmed reports whether a POST came from its confirmation page;
// when it did not, the caller sends the browser there.
func confirmed(c echo.Context) bool { return c.FormValue("confirm") == "yes" }

// proposalConfirm shows the confirmation of an action on a proposal
// (GET .../proposals/{p}/withdraw or /reject).
func (s *Server) proposalConfirm(c echo.Context, action string) error {
	return s.proposalConfirmWith(c, action, nil)
}

// proposalConfirmWith is proposalConfirm showing the failure of the
// confirmed action (failed), with what was typed.
func (s *Server) proposalConfirmWith(c echo.Context, action string, failed error) error {
	p, d, pr, err := s.proposalOf(c)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/documents/%s/proposals/%s", d.ID, pr.ID)
	name := p.ProposalName(pr)
	cd := &confirmData{Action: back + "/" + action, Cancel: back,
		Details: []string{p.L.T("Delegation: %s", p.Del(pr.Delegation)), p.L.T("Justification: %s", excerpt(pr.Justification, 200))}}
	switch action {
	case "withdraw":
		p.Title = p.L.T("Withdraw %s?", name)
		cd.Question = p.L.T("%s will be withdrawn: it stays on record but can no longer be merged. This cannot be undone.", name)
		cd.Button = p.L.T("Withdraw %s", name)
	default:
		p.Title = p.L.T("Reject %s?", name)
		cd.Question = p.L.T("%s will be rejected with your reason, shown to every delegation. This cannot be undone.", name)
		cd.Button, cd.Reason = p.L.T("Reject %s", name), p.L.T("Reason")
		p.Form["reason"] = c.FormValue("reason")
	}
	if err := pr.CheckOpen(); err != nil {
		p.Error = err
	}
	if failed != nil {
		p.Error = failed
		return s.confirmPage(c, p, cd, httpStatus(failed))
	}
	return s.confirmPage(c, p, cd, http.StatusOK)
}

func (s *Server) withdrawConfirm(c echo.Context) error { return s.proposalConfirm(c, "withdraw") }
func (s *Server) rejectConfirm(c echo.Context) error   { return s.proposalConfirm(c, "reject") }

// revokeConfirm asks before revoking a token
// (GET /secretariat/tokens/revoke?token=<id>).
func (s *Server) revokeConfirm(c echo.Context) error {
	p := s.data(c, "Secretariat")
	id := strings.TrimSpace(c.QueryParam("token"))
	p.Title = p.L.T("Revoke token %s?", id)
	cd := &confirmData{Action: "/secretariat/tokens/revoke", Cancel: "/secretariat", Hidden: map[string]string{"token": id},
		Button:   p.L.T("Revoke token %s", id),
		Question: p.L.T("Token %s will stop working at once, and every session signed in with it ends. This cannot be undone.", id)}
	if id == "" {
		p.Error = &drafts.Error{Code: drafts.EINVALID, Message: "token: required", Fields: []drafts.FieldError{{Field: "token", Message: "required"}}}
		return s.confirmPage(c, p, cd, http.StatusUnprocessableEntity)
	}
	return s.confirmPage(c, p, cd, http.StatusOK)
}

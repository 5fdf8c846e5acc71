package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Proposals (amendments) to a document: submit, edit, list, read,
// compare, withdraw, cosponsor, comment on and reject.

type proposalRequest struct {
	Base          int                `json:"base"`
	Justification string             `json:"justification"`
	Operations    []drafts.Operation `json:"operations"`
	Text          string             `json:"text"`
}

func (s *Server) createProposal(c echo.Context) error {
	var req proposalRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.Service.CreateProposal(c.Request().Context(), c.Param("doc"), drafts.ProposalInput{
		Base: req.Base, Justification: req.Justification, Operations: req.Operations, Text: req.Text,
	})
	if err != nil {
		return err
	}
	return s.sendProposal(c, http.StatusCreated, p)
}

func (s *Server) editProposal(c echo.Context) error {
	var req proposalRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.Service.EditProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), drafts.ProposalInput{
		Base: req.Base, Justification: req.Justification, Operations: req.Operations, Text: req.Text,
	}, ifMatch(c))
	if err != nil {
		return err
	}
	return s.sendProposal(c, http.StatusOK, p)
}

func (s *Server) sendProposal(c echo.Context, status int, p *drafts.Proposal) error {
	c.Response().Header().Set("ETag", quoteETag(p.ETag))
	return c.JSON(status, p)
}

func (s *Server) listProposals(c echo.Context) error {
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	f := drafts.ProposalFilter{Status: c.QueryParam("status"), Delegation: c.QueryParam("delegation")}
	page, err := s.Service.ListProposals(c.Request().Context(), c.Param("doc"), f, opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) getProposal(c echo.Context) error {
	p, err := s.Service.GetProposal(c.Request().Context(), c.Param("doc"), c.Param("p"))
	if err != nil {
		return err
	}
	return s.sendProposal(c, http.StatusOK, p)
}

func (s *Server) proposalDiff(c echo.Context) error {
	against := c.QueryParam("against")
	d, err := s.Service.ProposalDiff(c.Request().Context(), c.Param("doc"), c.Param("p"), against)
	if err != nil {
		return err
	}
	if against == "" {
		against = "base"
	}
	return s.writeDiff(c, d, map[string]any{"proposal": c.Param("p"), "against": against})
}

func (s *Server) withdrawProposal(c echo.Context) error {
	p, err := s.Service.WithdrawProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), ifMatch(c))
	if err != nil {
		return err
	}
	return s.sendProposal(c, http.StatusOK, p)
}

func (s *Server) cosponsorProposal(c echo.Context) error {
	p, err := s.Service.CosponsorProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), ifMatch(c))
	if err != nil {
		return err
	}
	return s.sendProposal(c, http.StatusOK, p)
}

type textRequest struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

func (s *Server) commentProposal(c echo.Context) error {
	var req textRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.Service.CommentProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), req.Text, ifMatch(c))
	if err != nil {
		return err
	}
	return s.sendProposal(c, http.StatusCreated, p)
}

func (s *Server) rejectProposal(c echo.Context) error {
	var req textRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.Service.RejectProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), req.Reason, ifMatch(c))
	if err != nil {
		return err
	}
	return s.sendProposal(c, http.StatusOK, p)
}

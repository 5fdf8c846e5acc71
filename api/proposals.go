package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

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
	// Amends makes a sub-amendment: the id or number of the proposal it amends.
	Amends proposalRef `json:"amends"`
	// OnBehalfOf and Source: the chair records an oral proposal.
	OnBehalfOf string `json:"on_behalf_of"`
	Source     string `json:"source"`
	// Language: the language version the proposal is written in.
	Language string `json:"language"`
}

func (r *proposalRequest) input() drafts.ProposalInput {
	return drafts.ProposalInput{Base: r.Base, Justification: r.Justification, Operations: r.Operations, Text: r.Text,
		Amends: string(r.Amends), OnBehalfOf: r.OnBehalfOf, Source: r.Source, Language: r.Language}
}

// errProposalRef says what a proposalRef takes.
var errProposalRef = errors.New("a proposal's id or number")

// proposalRef names a proposal in a request body by its id ("rkbjlxlz7q")
// or its number (7, or "7").
type proposalRef string

// UnmarshalJSON takes a string or a whole number.
func (r *proposalRef) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = proposalRef(s)
		return nil
	}
	var n uint32
	if err := json.Unmarshal(b, &n); err != nil || n == 0 {
		return errProposalRef
	}
	*r = proposalRef(strconv.Itoa(int(n)))
	return nil
}

func (s *Server) createProposal(c echo.Context) error {
	var req proposalRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.Service.CreateProposal(c.Request().Context(), c.Param("doc"), req.input())
	return s.sendProposal(c, http.StatusCreated, p, err)
}

func (s *Server) editProposal(c echo.Context) error {
	var req proposalRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.Service.EditProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), req.input(), ifMatch(c))
	return s.sendProposal(c, http.StatusOK, p, err)
}

// sendProposal answers with p and its ETag, or returns err, the failure of
// the call that was to make p.
func (s *Server) sendProposal(c echo.Context, status int, p *drafts.Proposal, err error) error {
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(p.ETag))
	return c.JSON(status, p)
}

func (s *Server) listProposals(c echo.Context) error {
	return sendList(c, func(ctx context.Context, opt drafts.ListOptions) (*drafts.Page[*drafts.Proposal], error) {
		f := drafts.ProposalFilter{Status: c.QueryParam("status"), Delegation: c.QueryParam("delegation")}
		return s.Service.ListProposals(ctx, c.Param("doc"), f, opt)
	})
}

func (s *Server) getProposal(c echo.Context) error {
	p, err := s.Service.GetProposal(c.Request().Context(), c.Param("doc"), c.Param("p"))
	return s.sendProposal(c, http.StatusOK, p, err)
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
	meta := map[string]any{"proposal": c.Param("p"), "against": against}
	if len(d.Refs) > 0 {
		// By id, whether asked by id or number; and the number to name it.
		meta["proposal"], meta["number"] = d.Refs[0].ID, d.Refs[0].Number
	}
	return s.writeDiff(c, d, meta)
}

func (s *Server) withdrawProposal(c echo.Context) error {
	p, err := s.Service.WithdrawProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), ifMatch(c))
	return s.sendProposal(c, http.StatusOK, p, err)
}

func (s *Server) cosponsorProposal(c echo.Context) error {
	p, err := s.Service.CosponsorProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), ifMatch(c))
	return s.sendProposal(c, http.StatusOK, p, err)
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
	return s.sendProposal(c, http.StatusCreated, p, err)
}

func (s *Server) rejectProposal(c echo.Context) error {
	var req textRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.Service.RejectProposal(c.Request().Context(), c.Param("doc"), c.Param("p"), req.Reason, ifMatch(c))
	return s.sendProposal(c, http.StatusOK, p, err)
}

package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Positions of delegations on a document's provisions: record, list,
// confirm on the current text, withdraw.

type positionRequest struct {
	Provision  string `json:"provision"`
	Kind       string `json:"kind"`
	Text       string `json:"text"`
	Visibility string `json:"visibility"`
}

func (s *Server) recordPosition(c echo.Context) error {
	var req positionRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.Service.RecordPosition(c.Request().Context(), c.Param("doc"), drafts.PositionInput{
		Provision: req.Provision, Kind: req.Kind, Text: req.Text, Visibility: req.Visibility,
	})
	return reply(c, http.StatusCreated, p, err)
}

func (s *Server) listPositions(c echo.Context) error {
	n, err := queryVersion(c, "version", 0)
	if err != nil {
		return err
	}
	return sendList(c, func(ctx context.Context, opt drafts.ListOptions) (*drafts.Page[*drafts.Position], error) {
		return s.Service.ListPositions(ctx, c.Param("doc"), n, opt)
	})
}

// confirmRequest is the body of a confirmation, which may be left out:
// new words for the position, or none to keep them.
type confirmRequest struct {
	Text string `json:"text"`
}

func (s *Server) confirmPosition(c echo.Context) error {
	var req confirmRequest
	if c.Request().ContentLength != 0 {
		if err := bind(c, &req); err != nil {
			return err
		}
	}
	p, err := s.Service.ConfirmPosition(c.Request().Context(), c.Param("doc"), c.Param("id"), req.Text)
	return reply(c, http.StatusOK, p, err)
}

func (s *Server) withdrawPosition(c echo.Context) error {
	p, err := s.Service.WithdrawPosition(c.Request().Context(), c.Param("doc"), c.Param("id"))
	return reply(c, http.StatusOK, p, err)
}

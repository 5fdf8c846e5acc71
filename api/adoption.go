package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// Adoption: the round in which delegations consent or object to a version.

type adoptionRequest struct {
	Version   int        `json:"version"`
	Procedure string     `json:"procedure"`
	Deadline  *time.Time `json:"deadline"`
}

func (s *Server) openAdoption(c echo.Context) error {
	var req adoptionRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	r, err := s.Service.OpenAdoption(c.Request().Context(), c.Param("doc"), drafts.AdoptionInput{
		Version: req.Version, Procedure: req.Procedure, Deadline: req.Deadline,
	})
	return reply(c, http.StatusCreated, r, err)
}

func (s *Server) getAdoption(c echo.Context) error {
	r, err := s.Service.GetAdoption(c.Request().Context(), c.Param("doc"))
	return reply(c, http.StatusOK, r, err)
}

func (s *Server) consent(c echo.Context) error {
	r, err := s.Service.Consent(c.Request().Context(), c.Param("doc"))
	return reply(c, http.StatusOK, r, err)
}

func (s *Server) object(c echo.Context) error {
	var req textRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	r, err := s.Service.Object(c.Request().Context(), c.Param("doc"), req.Reason)
	return reply(c, http.StatusOK, r, err)
}

func (s *Server) closeAdoption(c echo.Context) error {
	r, err := s.Service.CloseAdoption(c.Request().Context(), c.Param("doc"))
	return reply(c, http.StatusOK, r, err)
}

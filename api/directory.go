package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The directory: the caller (/v1/me), delegations, users and their API
// tokens.

func (s *Server) me(c echo.Context) error {
	u, err := s.Service.Me(c.Request().Context())
	return reply(c, http.StatusOK, u, err)
}

func (s *Server) createDelegation(c echo.Context) error {
	var d drafts.Delegation
	if err := bind(c, &d); err != nil {
		return err
	}
	err := s.Service.CreateDelegation(c.Request().Context(), &d)
	return reply(c, http.StatusCreated, d, err)
}

func (s *Server) listDelegations(c echo.Context) error {
	return sendList(c, s.Service.ListDelegations)
}

type createUserResponse struct {
	*drafts.User
	Token string `json:"token"`
}

// createUserRequest holds the fields a client may set on a new user.
type createUserRequest struct {
	Name       string `json:"name"`
	Role       string `json:"role"`
	Delegation string `json:"delegation"`
	Body       string `json:"body"`
}

func (s *Server) createUser(c echo.Context) error {
	var req createUserRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	u := drafts.User{Name: req.Name, Role: req.Role, Delegation: req.Delegation, Body: req.Body}
	plain, err := s.Service.CreateUser(c.Request().Context(), &u)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, createUserResponse{User: &u, Token: plain})
}

func (s *Server) listUsers(c echo.Context) error {
	return sendList(c, s.Service.ListUsers)
}

type tokenResponse struct {
	ID        string    `json:"id"`
	User      string    `json:"user"`
	Token     string    `json:"token"`
	CreatedAt time.Time `json:"created_at"`
}

func (s *Server) issueToken(c echo.Context) error {
	t, plain, err := s.Service.IssueToken(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, tokenResponse{ID: t.ID, User: t.User, Token: plain, CreatedAt: t.CreatedAt})
}

func (s *Server) revokeToken(c echo.Context) error {
	if _, err := s.Service.RevokeToken(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

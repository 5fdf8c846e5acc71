package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// listOptions reads ?limit=&cursor=.
func listOptions(c echo.Context) (drafts.ListOptions, error) {
	opt := drafts.ListOptions{Cursor: c.QueryParam("cursor")}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return opt, &drafts.Error{Code: drafts.EMALFORMED, Message: "limit: a whole number from 1 to 500",
				Fields: []drafts.FieldError{{Field: "limit", Message: "1 to 500"}}}
		}
		opt.Limit = n
	}
	return opt, nil
}

func (s *Server) me(c echo.Context) error {
	u, err := s.Service.Me(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *Server) createDelegation(c echo.Context) error {
	var d drafts.Delegation
	if err := bind(c, &d); err != nil {
		return err
	}
	if err := s.Service.CreateDelegation(c.Request().Context(), &d); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, d)
}

func (s *Server) listDelegations(c echo.Context) error {
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	page, err := s.Service.ListDelegations(c.Request().Context(), opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
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
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	page, err := s.Service.ListUsers(c.Request().Context(), opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
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

// createDocumentRequest holds the fields a client may set on a new
// document; the rest (id, state, head, round...) are the server's.
type createDocumentRequest struct {
	Symbol     string `json:"symbol"`
	Title      string `json:"title"`
	Kind       string `json:"kind"`
	Body       string `json:"body"`
	Language   string `json:"language"`
	Visibility string `json:"visibility"`
	Text       string `json:"text"`
}

type documentResponse struct {
	*drafts.Document
	Version *versionResponse `json:"version,omitempty"`
}

func (s *Server) createDocument(c echo.Context) error {
	var req createDocumentRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	d := drafts.Document{Symbol: req.Symbol, Title: req.Title, Kind: req.Kind, Body: req.Body,
		Language: req.Language, Visibility: req.Visibility}
	doc, v, err := s.Service.CreateDocument(c.Request().Context(), &d, req.Text)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/documents/"+doc.ID)
	c.Response().Header().Set("ETag", quoteETag(doc.ETag))
	return c.JSON(http.StatusCreated, documentResponse{Document: doc, Version: &versionResponse{Version: v, Text: v.Text()}})
}

func (s *Server) listDocuments(c echo.Context) error {
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	page, err := s.Service.ListDocuments(c.Request().Context(), opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) getDocument(c echo.Context) error {
	d, err := s.Service.GetDocument(c.Request().Context(), c.Param("doc"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(d.ETag))
	return sendJSON(c, http.StatusOK, d)
}

func (s *Server) listVersions(c echo.Context) error {
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	page, err := s.Service.ListVersions(c.Request().Context(), c.Param("doc"), opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

type createVersionRequest struct {
	Base    int    `json:"base"`
	Text    string `json:"text"`
	Message string `json:"message"`
}

func (s *Server) createVersion(c echo.Context) error {
	var req createVersionRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := s.Service.CreateVersion(c.Request().Context(), c.Param("doc"), req.Base, req.Text, req.Message)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, versionResponse{Version: v, Text: v.Text()})
}

type versionResponse struct {
	*drafts.Version
	Text string `json:"text"`
}

func (s *Server) getVersion(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	v, err := s.Service.GetVersion(c.Request().Context(), c.Param("doc"), n)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(v.ETag))
	if preferred(c, echo.MIMEApplicationJSON, echo.MIMETextPlain) == echo.MIMETextPlain {
		return c.Blob(http.StatusOK, echo.MIMETextPlainCharsetUTF8, []byte(v.Text()))
	}
	// The encoding is determined by the document, the number and the ETag.
	key := c.Param("doc") + "/" + strconv.Itoa(n) + "/" + v.ETag
	if data, ok := s.encoded.get(key); ok {
		return sendEncoded(c, http.StatusOK, data)
	}
	data, err := json.Marshal(versionResponse{Version: v, Text: v.Text()})
	if err != nil {
		return err
	}
	data = append(data, '\n')
	s.encoded.add(key, data)
	return sendEncoded(c, http.StatusOK, data)
}

// quoteETag returns tag as an ETag header's value: in double quotes, and
// escaped as by strconv.Quote if it holds anything but letters, digits
// and '-' (the ETags of both storage backends and of the domain never do;
// the check spares strconv.Quote's rune-by-rune escaping on every GET).
func quoteETag(tag string) string {
	for i := 0; i < len(tag); i++ {
		if c := tag[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return strconv.Quote(tag)
		}
	}
	return `"` + tag + `"`
}

// sendEncoded answers with JSON encoded already.
func sendEncoded(c echo.Context, status int, data []byte) error {
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(len(data)))
	return c.Blob(status, echo.MIMEApplicationJSON, data)
}

// sendJSON answers with v encoded whole first, so that the response goes
// out with its length in one write rather than chunked in pieces.
func sendJSON(c echo.Context, status int, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return sendEncoded(c, status, append(data, '\n'))
}

// writeDiff answers with d in the format the client accepts.
func (s *Server) writeDiff(c echo.Context, d *drafts.Diff, meta map[string]any) error {
	var buf bytes.Buffer
	switch preferred(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, echo.MIMETextPlain) {
	case echo.MIMETextHTML:
		if err := s.Renderer.DiffHTML(&buf, d); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
	case echo.MIMETextPlain:
		if err := s.Renderer.DiffText(&buf, d); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMETextPlainCharsetUTF8, buf.Bytes())
	}
	body := map[string]any{"changes": d.Changes, "coarse": d.Coarse}
	for k, v := range meta {
		body[k] = v
	}
	return c.JSON(http.StatusOK, body)
}

func (s *Server) versionDiff(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	m := n - 1
	if a := c.QueryParam("against"); a != "" {
		if m, err = versionParam(c, "against", a); err != nil {
			return err
		}
	}
	d, _, _, err := s.Service.VersionDiff(c.Request().Context(), c.Param("doc"), n, m)
	if err != nil {
		return err
	}
	return s.writeDiff(c, d, map[string]any{"from": m, "to": n})
}

// sendPDF serves a print, or 304 when the client has it already.
func sendPDF(c echo.Context, p *drafts.PDF) error {
	tag := quoteETag(p.ETag)
	c.Response().Header().Set("ETag", tag)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", p.Filename))
	if c.Request().Header.Get("If-None-Match") == tag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "application/pdf", p.Data)
}

func (s *Server) versionPDF(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	m := 0
	if a := c.QueryParam("against"); a != "" {
		if m, err = versionParam(c, "against", a); err != nil {
			return err
		}
	}
	p, err := s.Service.VersionPDF(c.Request().Context(), c.Param("doc"), n, m)
	if err != nil {
		return err
	}
	return sendPDF(c, p)
}

type statusRequest struct {
	Status string `json:"status"`
}

func (s *Server) setStatus(c echo.Context) error {
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	var req statusRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, etag, err := s.Service.SetProvisionStatus(c.Request().Context(), c.Param("doc"), n, c.Param("id"), req.Status, ifMatch(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", quoteETag(etag))
	return c.JSON(http.StatusOK, p)
}

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

// ifMatch returns the client's If-Match ETag, unquoted ("" if none).
func ifMatch(c echo.Context) string {
	v := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if v == "*" {
		return ""
	}
	v = strings.TrimPrefix(v, "W/")
	if u, err := strconv.Unquote(v); err == nil {
		return u
	}
	return v
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

func (s *Server) compilation(c echo.Context) error {
	ctx := c.Request().Context()
	n := 0
	if q := c.QueryParam("version"); q != "" {
		var err error
		if n, err = versionParam(c, "version", q); err != nil {
			return err
		}
	}
	switch preferred(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, "application/pdf") {
	case echo.MIMETextHTML:
		html, err := s.Service.CompilationHTML(ctx, c.Param("doc"), n)
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, html)
	case "application/pdf":
		p, err := s.Service.CompilationPDF(ctx, c.Param("doc"), n)
		if err != nil {
			return err
		}
		return sendPDF(c, p)
	}
	comp, _, err := s.Service.Compile(ctx, c.Param("doc"), n)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, comp)
}

type mergeRequest struct {
	Base        int               `json:"base"`
	Proposals   []string          `json:"proposals"`
	Resolutions map[string]string `json:"resolutions"`
	Message     string            `json:"message"`
}

type mergeResponse struct {
	*drafts.Version
	Text     string            `json:"text"`
	Accepted []string          `json:"accepted"`
	Modified []string          `json:"accepted_modified"`
	Obsolete map[string]string `json:"obsolete"`
}

func (s *Server) merge(c echo.Context) error {
	var req mergeRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	res, err := s.Service.Merge(c.Request().Context(), c.Param("doc"), drafts.MergeInput{
		Base: req.Base, Proposals: req.Proposals, Resolutions: req.Resolutions, Message: req.Message,
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, mergeResponse{Version: res.Version, Text: res.Version.Text(),
		Accepted: res.Accepted, Modified: res.Modified, Obsolete: res.Obsolete})
}

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
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

func (s *Server) getAdoption(c echo.Context) error {
	r, err := s.Service.GetAdoption(c.Request().Context(), c.Param("doc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) consent(c echo.Context) error {
	r, err := s.Service.Consent(c.Request().Context(), c.Param("doc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) object(c echo.Context) error {
	var req textRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	r, err := s.Service.Object(c.Request().Context(), c.Param("doc"), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) closeAdoption(c echo.Context) error {
	r, err := s.Service.CloseAdoption(c.Request().Context(), c.Param("doc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) listEvents(c echo.Context) error {
	opt, err := listOptions(c)
	if err != nil {
		return err
	}
	since, err := sinceParam(c.QueryParam("since"))
	if err != nil {
		return err
	}
	page, err := s.Service.ListEventsSince(c.Request().Context(), c.Param("doc"), since, opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) verifyEvents(c echo.Context) error {
	v, err := s.Service.VerifyEvents(c.Request().Context(), c.Param("doc"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

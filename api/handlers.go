package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
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
	if strings.Contains(opt.Cursor, "/") || len(opt.Cursor) > 200 {
		return opt, drafts.Errorf(drafts.EMALFORMED, "cursor: not a cursor this server gave")
	}
	return opt, nil
}

func (s *Server) me(c echo.Context) error {
	return c.JSON(http.StatusOK, drafts.UserFromContext(c.Request().Context()))
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
	if d.Visibility == "" {
		d.Visibility = drafts.VisibilityMembers
	}
	if d.Language == "" {
		d.Language = "en"
	}
	// The resource is known only now: a chair may create documents of its own body.
	if err := s.check(c, drafts.ActDocumentCreate, d.Resource()); err != nil {
		return err
	}
	doc, v, err := s.Service.CreateDocument(c.Request().Context(), &d, req.Text)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/documents/"+doc.ID)
	c.Response().Header().Set("ETag", strconv.Quote(doc.ETag))
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
	c.Response().Header().Set("ETag", strconv.Quote(d.ETag))
	return c.JSON(http.StatusOK, d)
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
	c.Response().Header().Set("ETag", strconv.Quote(v.ETag))
	if preferred(c, echo.MIMEApplicationJSON, echo.MIMETextPlain) == echo.MIMETextPlain {
		return c.Blob(http.StatusOK, echo.MIMETextPlainCharsetUTF8, []byte(v.Text()))
	}
	return c.JSON(http.StatusOK, versionResponse{Version: v, Text: v.Text()})
}

// writeDiff answers with d in the format the client accepts.
func (s *Server) writeDiff(c echo.Context, d *drafts.Diff, meta map[string]any) error {
	format := preferred(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, echo.MIMETextPlain)
	body, err := s.renderDiff(format, d, meta)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, diffContentType(format), body)
}

// renderDiff encodes d in format (a media type writeDiff offers).
func (s *Server) renderDiff(format string, d *drafts.Diff, meta map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	switch format {
	case echo.MIMETextHTML:
		if err := s.Renderer.DiffHTML(&buf, d); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case echo.MIMETextPlain:
		if err := s.Renderer.DiffText(&buf, d); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	body := map[string]any{"changes": d.Changes, "coarse": d.Coarse}
	for k, v := range meta {
		body[k] = v
	}
	return json.Marshal(body)
}

func diffContentType(format string) string {
	switch format {
	case echo.MIMETextHTML:
		return echo.MIMETextHTMLCharsetUTF8
	case echo.MIMETextPlain:
		return echo.MIMETextPlainCharsetUTF8
	}
	return echo.MIMEApplicationJSON
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
	if m < 1 {
		return &drafts.Error{Code: drafts.EINVALID, Message: "against: version 1 has no predecessor; give ?against=", Fields: []drafts.FieldError{{Field: "against", Message: "required"}}}
	}
	// Versions are immutable, and so is their diff: it is made once.
	ctx, doc := c.Request().Context(), c.Param("doc")
	format := preferred(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, echo.MIMETextPlain)
	key := fmt.Sprintf("diff/%s/%d/%d/%s", doc, n, m, format)
	body, _, err := s.derived(ctx, key, func(ctx context.Context) ([]byte, string, error) {
		d, _, _, err := s.Service.VersionDiff(ctx, doc, n, m)
		if err != nil {
			return nil, "", err
		}
		body, err := s.renderDiff(format, d, map[string]any{"from": m, "to": n})
		return body, "", err
	})
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, diffContentType(format), body)
}

var unsafeFilename = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// pdfName builds a download file name from a symbol and version.
func pdfName(symbol string, n int, suffix string) string {
	name := strings.Trim(unsafeFilename.ReplaceAllString(symbol, "-"), "-")
	if name == "" {
		name = "document"
	}
	return fmt.Sprintf("%s-v%d%s.pdf", name, n, suffix)
}

// sendPDF serves a PDF made once and kept in storage under key (and in
// memory while it is asked for).
func (s *Server) sendPDF(c echo.Context, key, filename string, make func(w io.Writer) error) error {
	data, etag, err := s.derived(c.Request().Context(), "pdf/"+key, func(ctx context.Context) ([]byte, string, error) {
		return s.Service.CachedBlob(ctx, key, func() ([]byte, error) {
			var buf bytes.Buffer
			if err := make(&buf); err != nil {
				return nil, err
			}
			return buf.Bytes(), nil
		})
	})
	if err != nil {
		return err
	}
	tag := strconv.Quote(etag)
	c.Response().Header().Set("ETag", tag)
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", filename))
	if c.Request().Header.Get("If-None-Match") == tag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "application/pdf", data)
}

func (s *Server) versionPDF(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := versionParam(c, "version", c.Param("n"))
	if err != nil {
		return err
	}
	doc, err := s.Service.GetDocument(ctx, c.Param("doc"))
	if err != nil {
		return err
	}
	if a := c.QueryParam("against"); a != "" {
		m, err := versionParam(c, "against", a)
		if err != nil {
			return err
		}
		release, err := s.work.acquire(ctx)
		if err != nil {
			return err
		}
		d, from, to, err := s.Service.VersionDiff(ctx, doc.ID, n, m)
		release()
		if err != nil {
			return err
		}
		key := fmt.Sprintf("pdf/changes-%s-%s.pdf", from.Hash[:16], to.Hash[:16]+attributionKey(d))
		return s.sendPDF(c, key, pdfName(doc.Symbol, n, fmt.Sprintf("-changes-from-v%d", m)), func(w io.Writer) error {
			return s.Renderer.ChangesPDF(w, doc, from, to, d)
		})
	}
	v, err := s.Service.GetVersion(ctx, doc.ID, n)
	if err != nil {
		return err
	}
	var round *drafts.AdoptionRound
	state := "draft"
	if doc.Adopted == n {
		if round, err = s.Service.GetAdoption(ctx, doc.ID); err != nil {
			return err
		}
		state = "adopted-" + round.ID
	}
	key := fmt.Sprintf("pdf/agreed-%s-%s-%s.pdf", v.Hash[:16], statusKey(v), state)
	return s.sendPDF(c, key, pdfName(doc.Symbol, n, ""), func(w io.Writer) error {
		return s.Renderer.AgreedPDF(w, doc, v, round)
	})
}

// statusKey condenses the provision statuses (which change the print: a
// bracketed provision is in [ ]) into the cache key.
func statusKey(v *drafts.Version) string {
	var b strings.Builder
	for _, p := range v.Provisions {
		b.WriteString(p.ID)
		b.WriteString(p.Status)
	}
	return drafts.HashText(b.String())[:12]
}

// attributionKey condenses a diff's attribution into the cache key.
func attributionKey(d *drafts.Diff) string {
	var b strings.Builder
	for _, ch := range d.Changes {
		b.WriteString(strings.Join(ch.Delegations, ","))
		b.WriteString(";")
	}
	return "-" + drafts.HashText(b.String())[:12]
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
	c.Response().Header().Set("ETag", strconv.Quote(etag))
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
	c.Response().Header().Set("ETag", strconv.Quote(p.ETag))
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
	release, err := s.work.acquire(c.Request().Context())
	if err != nil {
		return err
	}
	defer release()
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
	release, err := s.work.acquire(ctx)
	if err != nil {
		return err
	}
	comp, v, err := s.Service.Compile(ctx, c.Param("doc"), n)
	release()
	if err != nil {
		return err
	}
	switch preferred(c, echo.MIMEApplicationJSON, echo.MIMETextHTML, "application/pdf") {
	case echo.MIMETextHTML:
		doc, err := s.Service.GetDocument(ctx, c.Param("doc"))
		if err != nil {
			return err
		}
		release, err := s.work.acquire(ctx)
		if err != nil {
			return err
		}
		defer release()
		var buf bytes.Buffer
		if err := s.Renderer.CompilationHTML(&buf, doc, v, comp); err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
	case "application/pdf":
		doc, err := s.Service.GetDocument(ctx, c.Param("doc"))
		if err != nil {
			return err
		}
		raw, _ := json.Marshal(comp)
		key := fmt.Sprintf("pdf/compilation-%s-%s.pdf", v.Hash[:16], drafts.HashText(string(raw))[:16])
		return s.sendPDF(c, key, pdfName(doc.Symbol, v.Number, "-compilation"), func(w io.Writer) error {
			return s.Renderer.CompilationPDF(w, doc, v, comp)
		})
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

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// bind decodes a JSON body into v: a body that is not JSON of the right
// shape is a 400 problem saying what is wrong.
func bind(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return drafts.Errorf(drafts.EMALFORMED, "send the body as application/json")
		}
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return drafts.Errorf(drafts.ETOOLARGE, "request body too large")
		}
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he
		}
		return drafts.WrapError(drafts.EMALFORMED, err, "could not read the request body")
	}
	if !utf8.Valid(body) {
		// encoding/json would quietly turn invalid bytes into U+FFFD.
		at := 0
		for at < len(body) {
			r, size := utf8.DecodeRune(body[at:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			at += size
		}
		return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("request body is not valid UTF-8 (byte %d)", at),
			Fields: []drafts.FieldError{{Message: fmt.Sprintf("invalid UTF-8 at byte %d", at)}}}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return drafts.Errorf(drafts.EMALFORMED, "request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &drafts.Error{Code: drafts.EMALFORMED, Message: fmt.Sprintf("field %q: expected %s", te.Field, te.Type),
				Fields: []drafts.FieldError{{Field: te.Field, Message: "expected " + te.Type.String()}}}
		}
		return drafts.WrapError(drafts.EMALFORMED, err, "request body is not valid JSON")
	}
	if dec.More() {
		return drafts.Errorf(drafts.EMALFORMED, "request body holds more than one JSON value")
	}
	return nil
}

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

// versionParam reads a version number path or query parameter.
func versionParam(c echo.Context, name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, drafts.Errorf(drafts.ENOTFOUND, "%s: no version %q", name, v)
	}
	return n, nil
}

// preferred returns the first of offers the Accept header admits, or the
// first offer when it admits none in particular.
func preferred(c echo.Context, offers ...string) string {
	accept := c.Request().Header.Get(echo.HeaderAccept)
	best, bestQ := offers[0], -1.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if qs, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(qs, 64); err == nil {
				q = f
			}
		}
		for _, o := range offers {
			if mt == o && q > bestQ {
				best, bestQ = o, q
			}
		}
	}
	return best
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

func (s *Server) createUser(c echo.Context) error {
	var u drafts.User
	if err := bind(c, &u); err != nil {
		return err
	}
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

type createDocumentRequest struct {
	drafts.Document
	Text string `json:"text"`
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
	d := req.Document
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
	c.Response().Header().Set("ETag", strconv.Quote(v.ETag))
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
	tag := strconv.Quote(p.ETag)
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
	page, err := s.Service.ListEvents(c.Request().Context(), c.Param("doc"), opt)
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

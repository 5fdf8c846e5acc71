package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// docLinks says which sections of a document the user may use, for the
// document's navigation.
type docLinks struct {
	Propose, Merge, Status, OpenRound, Verify bool
}

func (s *Server) links(c echo.Context, d *drafts.Document) docLinks {
	r := d.Resource()
	// An adopted or withdrawn text changes no more: no forms that would fail.
	open := d.State != drafts.StateAdopted && d.State != drafts.StateWithdrawn
	return docLinks{
		Propose:   open && s.may(c, drafts.ActProposalCreate, r),
		Merge:     open && s.may(c, drafts.ActMerge, r),
		Status:    open && s.may(c, drafts.ActStatusSet, r),
		OpenRound: s.may(c, drafts.ActAdoptionOpen, r),
		Verify:    s.may(c, drafts.ActEventsVerify, r),
	}
}

// docPage starts the data of a page about a document.
func (s *Server) docPage(c echo.Context, title string) (*Page, *drafts.Document, error) {
	d, err := s.doc(c)
	if err != nil {
		return nil, nil, err
	}
	p := s.data(c, title)
	p.Doc, p.Links = d, s.links(c, d)
	return p, d, nil
}

// pathVersion reads the version the path names (:n) of document d.
func (s *Server) pathVersion(c echo.Context, d *drafts.Document) (*drafts.Version, error) {
	n, err := versionNumber(c.Param("n"), "version")
	if err != nil {
		return nil, err
	}
	return s.Service.GetVersion(ctx(c), d.ID, n)
}

func versionNumber(v, name string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, drafts.Errorf(drafts.ENOTFOUND, "%s: no version %q", name, v)
	}
	return n, nil
}

type documentsData struct {
	Items       []*drafts.Document
	State, Body string
	States      []string
	Bodies      []string
	// Create: the user may create documents (of Kinds).
	Create bool
	Kinds  []string
}

// documentKinds are the kinds of documents (DESIGN.md).
var documentKinds = []string{"road-map", "catalogue", "rules-of-procedure", "statement", "decision", "regulation", "other"}

func (s *Server) documents(c echo.Context) error {
	return s.documentsPage(c, s.data(c, "Documents"), http.StatusOK)
}

func (s *Server) documentsPage(c echo.Context, p *Page, status int) error {
	dd := &documentsData{State: c.QueryParam("state"), Body: c.QueryParam("body"),
		States: []string{drafts.StateDrafting, drafts.StateNegotiation, drafts.StateAdoption, drafts.StateAdopted, drafts.StateWithdrawn}}
	bodies := map[string]bool{}
	opt := drafts.ListOptions{Limit: 500}
	for i := 0; i < 20; i++ {
		page, err := s.Service.ListDocuments(ctx(c), opt)
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			if !bodies[d.Body] {
				bodies[d.Body] = true
				dd.Bodies = append(dd.Bodies, d.Body)
			}
			if (dd.State == "" || d.State == dd.State) && (dd.Body == "" || d.Body == dd.Body) {
				dd.Items = append(dd.Items, d)
			}
		}
		if page.NextCursor == "" {
			break
		}
		opt.Cursor = page.NextCursor
	}
	u := user(c)
	dd.Create = s.may(c, drafts.ActDocumentCreate, drafts.Resource{Type: "document", Body: u.Body, Visibility: drafts.VisibilityMembers})
	dd.Kinds = documentKinds
	if p.Form["body"] == "" {
		p.Form["body"], p.Form["language"], p.Form["visibility"] = u.Body, "en", drafts.VisibilityMembers
	}
	p.Data = dd
	return s.render(c, status, "documents", p)
}

func (s *Server) createDocument(c echo.Context) error {
	p := s.data(c, "Documents")
	for _, k := range []string{"symbol", "title", "kind", "body", "language", "visibility", "text"} {
		p.Form[k] = c.FormValue(k)
	}
	d := &drafts.Document{Symbol: strings.TrimSpace(p.Form["symbol"]), Title: strings.TrimSpace(p.Form["title"]), Kind: p.Form["kind"],
		Body: strings.TrimSpace(p.Form["body"]), Language: strings.TrimSpace(p.Form["language"]), Visibility: p.Form["visibility"]}
	doc, _, err := s.Service.CreateDocument(ctx(c), d, p.Form["text"])
	if err != nil {
		p.Error = err
		return s.documentsPage(c, p, httpStatus(err))
	}
	return c.Redirect(http.StatusSeeOther, "/documents/"+doc.ID)
}

// sinceVisit is what changed in a document since the user's last visit.
type sinceVisit struct {
	First    bool
	Visit    *drafts.Visit
	Events   []*drafts.Event
	Versions []string
}

type documentData struct {
	Head      *drafts.Version
	Proposals []*drafts.Proposal
	Since     sinceVisit
	Links     docLinks
}

func (s *Server) document(c echo.Context) error {
	p, d, err := s.docPage(c, "Document")
	if err != nil {
		return err
	}
	head, err := s.Service.GetVersion(ctx(c), d.ID, d.Head)
	if err != nil {
		return err
	}
	props, err := s.Service.ListProposals(ctx(c), d.ID, drafts.ProposalFilter{Status: drafts.ProposalOpen}, drafts.ListOptions{Limit: 500})
	if err != nil {
		return err
	}
	dd := &documentData{Head: head, Proposals: props.Items, Links: s.links(c, d)}
	visit, err := s.Service.LastVisit(ctx(c), d.ID)
	if err != nil {
		return err
	}
	dd.Since.Visit = visit
	dd.Since.First = visit.At.IsZero()
	last := visit.LastSeq
	// The events after the last one seen, by the service's own option
	// (the cursors it returns then take over, page by page).
	since := drafts.EventsSince{Seq: visit.LastSeq}
	opt := drafts.ListOptions{Limit: 500}
	for i := 0; i < 20; i++ {
		page, err := s.Service.ListEventsSince(ctx(c), d.ID, since, opt)
		if err != nil {
			return err
		}
		for _, e := range page.Items {
			if e.Seq > last {
				last = e.Seq
			}
			if !dd.Since.First {
				dd.Since.Events = append(dd.Since.Events, e)
			}
		}
		if page.NextCursor == "" {
			break
		}
		opt.Cursor = page.NextCursor
	}
	// Seeing the page is a visit; a failure to remember it fails nothing.
	if err := s.Service.RecordVisit(ctx(c), d.ID, d.Head, last); err != nil {
		s.Log.Warn("recording a visit", "err", err)
	}
	p.Title = d.Symbol
	p.Data = dd
	return s.render(c, http.StatusOK, "document", p)
}

type versionsData struct {
	Items []*drafts.Version
	Links docLinks
	// Revise: the user may publish a revised text.
	Revise bool
}

func (s *Server) versions(c echo.Context) error {
	p, d, err := s.docPage(c, "Versions")
	if err != nil {
		return err
	}
	return s.versionsPage(c, p, d, http.StatusOK)
}

func (s *Server) versionsPage(c echo.Context, p *Page, d *drafts.Document, status int) error {
	var all []*drafts.Version
	opt := drafts.ListOptions{Limit: 500}
	for i := 0; i < 20; i++ {
		page, err := s.Service.ListVersions(ctx(c), d.ID, opt)
		if err != nil {
			return err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			break
		}
		opt.Cursor = page.NextCursor
	}
	vd := &versionsData{Items: all, Links: s.links(c, d)}
	vd.Revise = vd.Links.Merge && s.may(c, drafts.ActVersionCreate, d.Resource())
	if vd.Revise && p.Form["text"] == "" {
		head, err := s.Service.GetVersion(ctx(c), d.ID, d.Head)
		if err != nil {
			return err
		}
		p.Form["text"], p.Form["base"] = head.Text(), strconv.Itoa(d.Head)
	}
	p.Data = vd
	return s.render(c, status, "versions", p)
}

// createVersion publishes the chair's revised text.
func (s *Server) createVersion(c echo.Context) error {
	p, d, err := s.docPage(c, "Versions")
	if err != nil {
		return err
	}
	for _, k := range []string{"base", "text", "message"} {
		p.Form[k] = c.FormValue(k)
	}
	base, err := strconv.Atoi(p.Form["base"])
	if err != nil {
		err = &drafts.Error{Code: drafts.EINVALID, Message: "base: a version number", Fields: []drafts.FieldError{{Field: "base", Message: "a version number"}}}
	}
	var v *drafts.Version
	if err == nil {
		v, err = s.Service.CreateVersion(ctx(c), d.ID, base, p.Form["text"], p.Form["message"])
	}
	if err != nil {
		p.Error = err
		return s.versionsPage(c, p, d, httpStatus(err))
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/documents/%s/versions/%d/diff?against=%d", d.ID, v.Number, base))
}

type versionData struct {
	Version *drafts.Version
	Links   docLinks
}

func (s *Server) version(c echo.Context) error {
	p, d, err := s.docPage(c, "Version")
	if err != nil {
		return err
	}
	v, err := s.pathVersion(c, d)
	if err != nil {
		return err
	}
	p.Data = &versionData{Version: v, Links: s.links(c, d)}
	return s.render(c, http.StatusOK, "version", p)
}

// diffView is a tracked diff as the templates show it.
type diffView struct {
	Diff     *drafts.Diff
	Side     bool
	From, To int
	Base     string // the URL of the page, for the view switch
	Numbers  map[string]string
}

type diffData struct {
	View  *diffView
	Links docLinks
	Max   int
}

func (s *Server) versionDiff(c echo.Context) error {
	p, d, err := s.docPage(c, "Tracked changes")
	if err != nil {
		return err
	}
	n, err := versionNumber(c.Param("n"), "version")
	if err != nil {
		return err
	}
	m := n - 1
	if a := c.QueryParam("against"); a != "" {
		if m, err = versionNumber(a, "against"); err != nil {
			return err
		}
	}
	if m < 1 {
		return &drafts.Error{Code: drafts.EINVALID, Message: "against: version 1 has no predecessor; give ?against=", Fields: []drafts.FieldError{{Field: "against", Message: "required"}}}
	}
	diff, from, _, err := s.Service.VersionDiff(ctx(c), d.ID, n, m)
	if err != nil {
		return err
	}
	p.Data = &diffData{View: &diffView{Diff: diff, Side: c.QueryParam("view") == "side", From: m, To: n,
		Base: fmt.Sprintf("/documents/%s/versions/%d/diff?against=%d", d.ID, n, m), Numbers: numbers(from)}, Links: s.links(c, d), Max: d.Head}
	return s.render(c, http.StatusOK, "diff", p)
}

// numbers maps provision ids to their display numbers, to say where an
// inserted or moved provision went.
func numbers(vs ...*drafts.Version) map[string]string {
	m := map[string]string{}
	for _, v := range vs {
		if v == nil {
			continue
		}
		for _, p := range v.Provisions {
			n := p.Number
			if n == "" || strings.HasPrefix(n, "#") {
				n = excerpt(p.Text, 40)
			}
			m[p.ID] = n
		}
	}
	return m
}

func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// sendPDF serves a PDF the service printed (and keeps).
func sendPDF(c echo.Context, pdf *drafts.PDF) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", pdf.Filename))
	return c.Blob(http.StatusOK, "application/pdf", pdf.Data)
}

func (s *Server) versionPDF(c echo.Context) error {
	n, err := versionNumber(c.Param("n"), "version")
	if err != nil {
		return err
	}
	against := 0
	if a := c.QueryParam("against"); a != "" {
		if against, err = versionNumber(a, "against"); err != nil {
			return err
		}
	}
	pdf, err := s.Service.VersionPDF(ctx(c), c.Param("doc"), n, against)
	if err != nil {
		return err
	}
	return sendPDF(c, pdf)
}

type statusData struct {
	Version  *drafts.Version
	Links    docLinks
	Statuses []string
}

var provisionStatuses = []string{drafts.ProvisionPending, drafts.ProvisionBracketed, drafts.ProvisionAgreedAdRef, drafts.ProvisionAgreed}

// refuse refuses a page of forms (allowed false) before the user fills in
// a form the service would refuse, saying why.
func refuse(d *drafts.Document, allowed bool, why string) error {
	switch {
	case allowed:
		return nil
	case d.State == drafts.StateAdopted || d.State == drafts.StateWithdrawn:
		return drafts.Errorf(drafts.ECONFLICT, "the document is %s; its text changes no more", d.State)
	}
	return drafts.Errorf(drafts.EFORBIDDEN, "%s", why)
}

// chairOnly refuses a chair's page to others.
func chairOnly(d *drafts.Document, allowed bool, what string) error {
	return refuse(d, allowed, "only the chair of the document's body may "+what)
}

func (s *Server) statusPage(c echo.Context) error {
	p, d, err := s.docPage(c, "Provision status")
	if err != nil {
		return err
	}
	if err := chairOnly(d, p.Links.Status, "set provision statuses"); err != nil {
		return err
	}
	v, err := s.pathVersion(c, d)
	if err != nil {
		return err
	}
	p.Data = &statusData{Version: v, Links: s.links(c, d), Statuses: provisionStatuses}
	return s.render(c, http.StatusOK, "statuses", p)
}

func (s *Server) setStatuses(c echo.Context) error {
	p, d, err := s.docPage(c, "Provision status")
	if err != nil {
		return err
	}
	v, err := s.pathVersion(c, d)
	if err != nil {
		return err
	}
	var failed error
	for i, pr := range v.Provisions {
		want := c.FormValue("status." + pr.ID)
		cur := pr.Status
		if cur == "" {
			cur = drafts.ProvisionPending
		}
		if want == "" || want == cur {
			continue
		}
		if _, _, err := s.Service.SetProvisionStatus(ctx(c), d.ID, v.Number, pr.ID, want, ""); err != nil {
			failed = err
			p.Form["status."+pr.ID] = want
			continue
		}
		v.Provisions[i].Status = want
	}
	if failed != nil {
		p.Error = failed
		p.Data = &statusData{Version: v, Links: s.links(c, d), Statuses: provisionStatuses}
		return s.render(c, httpStatus(failed), "statuses", p)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/documents/%s/versions/%d", d.ID, v.Number))
}

type compilationData struct {
	Comp    *drafts.Compilation
	Version *drafts.Version
	Numbers map[string]string
	Count   int
	Dels    int
	Links   docLinks
}

func (s *Server) compile(c echo.Context, d *drafts.Document) (*drafts.Compilation, *drafts.Version, error) {
	n := 0
	if q := c.QueryParam("version"); q != "" {
		var err error
		if n, err = versionNumber(q, "version"); err != nil {
			return nil, nil, err
		}
	}
	return s.Service.Compile(ctx(c), d.ID, n)
}

func (s *Server) compilation(c echo.Context) error {
	p, d, err := s.docPage(c, "Compilation")
	if err != nil {
		return err
	}
	comp, v, err := s.compile(c, d)
	if err != nil {
		return err
	}
	props, dels := map[string]bool{}, map[string]bool{}
	for _, e := range comp.Entries {
		for _, cp := range e.Proposals {
			for _, id := range cp.Proposals {
				props[id] = true
			}
			for _, x := range cp.Delegations {
				dels[x] = true
			}
		}
	}
	p.Data = &compilationData{Comp: comp, Version: v, Numbers: numbers(v), Count: len(props), Dels: len(dels), Links: s.links(c, d)}
	return s.render(c, http.StatusOK, "compilation", p)
}

func (s *Server) compilationPDF(c echo.Context) error {
	n := 0
	if q := c.QueryParam("version"); q != "" {
		var err error
		if n, err = versionNumber(q, "version"); err != nil {
			return err
		}
	}
	pdf, err := s.Service.CompilationPDF(ctx(c), c.Param("doc"), n)
	if err != nil {
		return err
	}
	return sendPDF(c, pdf)
}

type eventsData struct {
	Items  []*drafts.Event
	Next   string
	Verify *drafts.Verification
	Links  docLinks
}

func (s *Server) events(c echo.Context) error {
	p, d, err := s.docPage(c, "Audit trail")
	if err != nil {
		return err
	}
	cursor := c.QueryParam("cursor")
	page, err := s.Service.ListEvents(ctx(c), d.ID, drafts.ListOptions{Limit: 200, Cursor: cursor})
	if err != nil {
		return err
	}
	ed := &eventsData{Items: page.Items, Next: page.NextCursor, Links: s.links(c, d)}
	if c.QueryParam("verify") != "" {
		if ed.Verify, err = s.Service.VerifyEvents(ctx(c), d.ID); err != nil {
			return err
		}
	}
	p.Data = ed
	return s.render(c, http.StatusOK, "events", p)
}

// renumber publishes the head with clean numbers (the chair's last step
// before adoption).
func (s *Server) renumber(c echo.Context) error {
	p, d, err := s.docPage(c, "Versions")
	if err != nil {
		return err
	}
	base, err := strconv.Atoi(c.FormValue("base"))
	if err != nil {
		err = &drafts.Error{Code: drafts.EINVALID, Message: "base: a version number", Fields: []drafts.FieldError{{Field: "base", Message: "a version number"}}}
	}
	var v *drafts.Version
	if err == nil {
		v, err = s.Service.RenumberVersion(ctx(c), d.ID, drafts.RenumberInput{Base: base, Message: c.FormValue("message")})
	}
	if err != nil {
		p.Error = err
		return s.versionsPage(c, p, d, httpStatus(err))
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/documents/%s/versions/%d/diff?against=%d", d.ID, v.Number, base))
}

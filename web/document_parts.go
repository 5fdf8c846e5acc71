package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// What the pages of one document share: their navigation, the document
// and version the path names, a tracked diff as shown, and refusals.

// docLinks says which sections of a document the user may use, for the
// document's navigation.
type docLinks struct {
	Propose, Merge, Status, OpenRound, Verify bool
	// Record: the chair may record a proposal a delegation made orally.
	Record bool
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
		Record:    open && s.may(c, drafts.ActProposalRecord, r),
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

// queryVersion reads the version number of the query parameter name, def
// when the request gives none.
func queryVersion(c echo.Context, name string, def int) (int, error) {
	q := c.QueryParam(name)
	if q == "" {
		return def, nil
	}
	return versionNumber(q, name)
}

// diffView is a tracked diff as the templates show it.
type diffView struct {
	Diff     *drafts.Diff
	Side     bool
	From, To int
	Base     string // the URL of the page, for the view switch
	Numbers  map[string]string
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

// excerpt is the first n characters of s, with an ellipsis if it is longer.
func excerpt(s string, n int) string {
	for i := range s { // i: where each character starts
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// sendPDF serves a PDF the service printed (and keeps).
func sendPDF(c echo.Context, pdf *drafts.PDF) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", pdf.Filename))
	return c.Blob(http.StatusOK, "application/pdf", pdf.Data)
}

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

// formsPage starts the data of a page of forms about a document: refused,
// as refuse says, when allowed (given the page's links) is false.
func (s *Server) formsPage(c echo.Context, title string, allowed func(docLinks) bool, why string) (*Page, *drafts.Document, error) {
	p, d, err := s.docPage(c, title)
	if err != nil {
		return nil, nil, err
	}
	if err := refuse(d, allowed(p.Links), why); err != nil {
		return nil, nil, err
	}
	return p, d, nil
}

// together runs fs side by side and returns the first of their errors,
// in the order given.
func together(fs ...func() error) error {
	errs := make([]error, len(fs))
	var wg sync.WaitGroup
	for i, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// meanwhile starts f and returns what waits for its result.
func meanwhile[T any](f func() (T, error)) func() (T, error) {
	var v T
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		v, err = f()
	}()
	return func() (T, error) { <-done; return v, err }
}

// listAll returns the items of every page of a list that the service
// pages, as far as 20 pages of 500.
func listAll[T any](list func(opt drafts.ListOptions) (*drafts.Page[T], error)) ([]T, error) {
	var all []T
	opt := drafts.ListOptions{Limit: 500}
	for i := 0; i < 20; i++ {
		page, err := list(opt)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			break
		}
		opt.Cursor = page.NextCursor
	}
	return all, nil
}

// doc returns the document of the route; one the user may not read does
// not exist for them (the service answers ENOTFOUND).
func (s *Server) doc(c echo.Context) (*drafts.Document, error) {
	return s.Service.GetDocument(ctx(c), c.Param("doc"))
}

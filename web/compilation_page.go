package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The compilation (GET /documents/{doc}/compilation) and its print
// (.../compilation/pdf).

type compilationData struct {
	Comp    *drafts.Compilation
	Version *drafts.Version
	Numbers map[string]string
	Count   int
	Dels    int
	// Entries are the entries as shown, each made once per what it shows
	// (template compilation-entry-shared, with Entry and Depths).
	Entries template.HTML
	Entry   *drafts.CompilationEntry
	Depths  map[string]int
}

func (s *Server) compile(c echo.Context, d *drafts.Document) (*drafts.Compilation, *drafts.Version, error) {
	n, err := queryVersion(c, "version", 0)
	if err != nil {
		return nil, nil, err
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
	x := &compilationData{Comp: comp, Version: v}
	p.Data = x
	// The compilation's key names the version (with its statuses) and
	// every open proposal: the page's content is made once for them, and
	// each entry once for what it holds, so that a new proposal remakes
	// its entry only. What only the content shows is counted then.
	return s.renderShared(c, http.StatusOK, "compilation", p, sharedData(comp.Key, s.itemsKey("compilation", "compilation-entry-shared", p)), func() error {
		x.Count, x.Dels = comp.Counts()
		x.Numbers = numbers(v)
		return s.compilationEntries(c, p, x)
	})
}

// compilationEntries makes the entries of the compilation page p shows.
// Each entry's part is named by what it shows, not by the version or the
// document as read: after a merge, only the entries the merge changed are
// made again. (Made again all, the 200 entries of a 300-provision text
// took 26 ms of the first reader's request, which the whole room waited
// for.) The part sees no more than its key names (entryPage).
func (s *Server) compilationEntries(c echo.Context, p *Page, x *compilationData) (err error) {
	x.Depths = provisionDepths(x.Version.Provisions)
	x.Entries, err = s.sharedList(c, "compilation", "compilation-entry-shared", len(x.Comp.Entries), func(i int) (*Page, string) {
		return entryPage(p, x, &x.Comp.Entries[i])
	})
	return err
}

// entryPage is the page an entry's part is made with, holding only what
// names it beside the entry's Key: the document by its id; the depth of
// the entry's provision, and the numbers of the provisions its changes
// name; the delegations' names it shows. It returns the page and the
// data of the part's key ("" when the entry has no Key: not shared).
func entryPage(p *Page, x *compilationData, e *drafts.CompilationEntry) (*Page, string) {
	ex := &compilationData{Comp: &drafts.Compilation{Delegations: map[string]drafts.Delegation{}}, Entry: e,
		Numbers: map[string]string{}, Depths: map[string]int{e.Provision.ID: x.Depths[e.Provision.ID]}}
	ep := itemPage(p, ex)
	var key strings.Builder
	key.WriteString(e.Key)
	fmt.Fprintf(&key, "/depth %d", x.Depths[e.Provision.ID])
	number := func(id string) {
		if _, ok := ex.Numbers[id]; !ok {
			ex.Numbers[id] = x.Numbers[id]
			fmt.Fprintf(&key, "/%q=%q", id, x.Numbers[id])
		}
	}
	named := map[string]bool{}
	name := func(code string) {
		if named[code] {
			return
		}
		named[code] = true
		if d, ok := x.Comp.Delegations[code]; ok {
			ex.Comp.Delegations[code] = d
		}
		fmt.Fprintf(&key, "/%q:%q:%q", code, p.DelegationName(code), drafts.DelegationNamed(ex.Comp.Delegations, code).NameIn(string(p.L)))
	}
	if len(e.Proposals) > 0 {
		number(e.Provision.ID)
	}
	var walk func(cps []drafts.CompiledProposal)
	walk = func(cps []drafts.CompiledProposal) {
		for _, cp := range cps {
			number(cp.After)
			for _, codes := range [][]string{cp.Delegations, cp.Cosponsors} {
				for _, code := range codes {
					name(code)
				}
			}
			for _, r := range cp.Refs {
				name(r.Delegation)
				for _, code := range r.Cosponsors {
					name(code)
				}
			}
			walk(cp.SubAmendments)
		}
	}
	walk(e.Proposals)
	for _, pos := range e.Positions {
		name(pos.Delegation)
	}
	if e.Key == "" {
		return ep, ""
	}
	return ep, key.String()
}

func (s *Server) compilationPDF(c echo.Context) error {
	n, err := queryVersion(c, "version", 0)
	if err != nil {
		return err
	}
	pdf, err := s.Service.CompilationPDF(ctx(c), c.Param("doc"), n)
	if err != nil {
		return err
	}
	return sendPDF(c, pdf)
}

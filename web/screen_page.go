package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The screen (GET /documents/{doc}/screen): the projection for the meeting
// room. The head's text in large type, each open proposal inline where it
// applies (alternatives in brackets, each credited to its delegations),
// the provision under discussion highlighted. live.js follows the chair's
// focus and reloads the text when a version or proposal arrives; without
// script, the page is current when reloaded.

// screenView is the screen's text.
type screenView struct {
	Version *drafts.Version
	// Leading are proposals inserting text before the first provision.
	Leading []screenAlt
	Items   []screenItem
}

// screenItem is one provision with what is proposed for it.
type screenItem struct {
	P     drafts.Provision
	Depth int
	// Number is the provision's number as shown; Label names it for the
	// chair's button ("paragraph 6" in words).
	Number, Label string
	// Alts replace, delete or move the provision; Inserts add text after it.
	Alts, Inserts []screenAlt
}

// screenAlt is one proposed change, credited.
type screenAlt struct {
	Op       string
	Text     string
	Segments []drafts.Segment
	// After is where a moved provision would go (its number).
	After string
	// By names the delegations, With the co-sponsors.
	By, With string
}

func (s *Server) screen(c echo.Context) error {
	p, d, err := s.docPage(c, "Screen")
	if err != nil {
		return err
	}
	comp, head, err := s.Service.Compile(ctx(c), d.ID, 0)
	if err != nil {
		return err
	}
	names, err := s.delegationNames(c)
	if err != nil {
		return err
	}
	after, err := s.Service.LastEvent(ctx(c), d.ID)
	if err != nil {
		return err
	}
	if p.Live, err = s.live(c, d, head, after); err != nil {
		return err
	}
	p.Title = d.Symbol
	p.Data = screenText(head, comp, names)
	return s.render(c, http.StatusOK, "screen", p)
}

// screenText lays a compilation out on its version's text.
func screenText(v *drafts.Version, comp *drafts.Compilation, names map[string]string) *screenView {
	sv := &screenView{Version: v}
	nums := numbers(v)
	byProv := map[string][]drafts.CompiledProposal{}
	for _, e := range comp.Entries {
		byProv[e.Provision.ID] = append(byProv[e.Provision.ID], e.Proposals...)
	}
	credit := func(codes []string) string {
		out := make([]string, len(codes))
		for i, code := range codes {
			out[i] = code
			if n, ok := names[code]; ok && n != "" {
				out[i] = n
			}
		}
		return strings.Join(out, ", ")
	}
	alts := func(cps []drafts.CompiledProposal) (alts, inserts []screenAlt) {
		for _, cp := range cps {
			a := screenAlt{Op: cp.Op, Text: cp.Text, Segments: cp.Segments, By: credit(cp.Delegations), With: credit(cp.Cosponsors)}
			if cp.After != "" {
				a.After = nums[cp.After]
			}
			if cp.Op == drafts.OpInsert {
				inserts = append(inserts, a)
			} else {
				alts = append(alts, a)
			}
		}
		return alts, inserts
	}
	_, sv.Leading = alts(byProv[""])
	var nesting drafts.Nesting
	for _, p := range v.Provisions {
		it := screenItem{P: p, Depth: nesting.Depth(p.Kind, p.Number), Label: nums[p.ID]}
		if numberedProvision(p.Number) {
			it.Number = p.Number
		}
		it.Alts, it.Inserts = alts(byProv[p.ID])
		sv.Items = append(sv.Items, it)
	}
	return sv
}

// numberedProvision reports whether a provision's number is shown.
func numberedProvision(n string) bool { return n != "" && !strings.HasPrefix(n, "#") }

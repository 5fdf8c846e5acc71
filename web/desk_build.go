package web

import (
	"slices"
	"strconv"
	"strings"

	"chancery/drafts"
)

// buildDesk makes the desk of the compilation comp of head, with the
// open proposals by id and the chair's input, for page p.
func buildDesk(p *Page, d *drafts.Document, comp *drafts.Compilation, head *drafts.Version, props map[string]*drafts.Proposal, in *deskInput) *deskData {
	dd := &deskData{Head: head, Filter: in.Filter, Numbers: numbers(head), Total: len(props)}
	sections, sectionOf := deskSections(head)
	dd.Sections = sections
	sectionLabels := map[string]string{}
	for _, s := range sections {
		sectionLabels[s.Value] = s.Label
	}
	alone, uncontested := deskAlone(comp)
	seenDel := map[string]bool{}
	rs := &deskRows{p: p, d: d, props: props, in: in, seenBox: make(map[string]int, len(props)), uncontested: uncontested, nums: dd.Numbers, dels: map[string]string{}}
	depth := provisionDepths(head.Provisions)
	for i, e := range comp.Entries {
		if len(e.Proposals) == 0 {
			continue
		}
		g := &deskGroup{P: e.Provision, Label: groupLabel(p.L, e.Provision), Section: sectionOf[e.Provision.ID], Depth: depth[e.Provision.ID]}
		switch {
		case alone[i]:
			g.State = stateUncontested
		case e.Colliding:
			g.State = stateColliding
		default:
			g.State = stateCompatible
		}
		codes := map[string]bool{}
		for _, cp := range deskChanges(e) {
			g.Rows = append(g.Rows, rs.row(cp))
			for _, code := range append(append([]string{}, cp.Delegations...), cp.Cosponsors...) {
				seenDel[code], codes[code] = true, true
			}
		}
		g.Codes = strings.Join(sortedKeys(codes), " ")
		if g.State == stateColliding {
			g.Collision = collisionOf(p, e, in)
		}
		dd.All = append(dd.All, g)
		if !dd.Filter.shows(g) {
			dd.hide(g, in)
			continue
		}
		dd.Groups = append(dd.Groups, g)
		if n := len(dd.Secs); n == 0 || dd.Secs[n-1].ID != g.Section {
			dd.Secs = append(dd.Secs, deskSec{ID: g.Section, Label: sectionLabels[g.Section]})
		}
		dd.Secs[len(dd.Secs)-1].Groups = append(dd.Secs[len(dd.Secs)-1].Groups, g)
		for _, r := range g.Rows {
			dd.Shown += len(r.Picks)
		}
	}
	for i := range dd.Secs {
		dd.Secs[i].HTML = groupsHTML(p.L, dd.Secs[i].Groups)
	}
	dd.Picked = len(in.Order)
	dd.choices(p, seenDel)
	return dd
}

// deskAlone reports which of the compilation's entries have one proposal
// (alone), and whether a proposal is uncontested: alone in every entry it
// is in.
func deskAlone(comp *drafts.Compilation) (alone []bool, uncontested func(string) bool) {
	alone = make([]bool, len(comp.Entries))
	groupsOf := map[string][]int{}
	for i, e := range comp.Entries {
		n := 0
		for _, cp := range deskChanges(e) {
			n += len(cp.Proposals)
			for _, id := range cp.Proposals {
				groupsOf[id] = append(groupsOf[id], i)
			}
		}
		alone[i] = n == 1
	}
	return alone, func(id string) bool {
		for _, i := range groupsOf[id] {
			if !alone[i] {
				return false
			}
		}
		return true
	}
}

// choices fills the filters' choices: the delegations seen, the states.
func (dd *deskData) choices(p *Page, seenDel map[string]bool) {
	for _, code := range sortedKeys(seenDel) {
		dd.Dels = append(dd.Dels, deskOption{Value: code, Label: p.Del(code)})
	}
	dd.States = []deskOption{{stateUncontested, p.L.T("Uncontested")}, {stateCompatible, p.L.T("Several, compatible")}, {stateColliding, p.L.T("Colliding")}}
}

// deskRows makes the desk's rows: the page, document, open proposals and
// chair's input they are of, the checkboxes made so far (their ids are
// unique on the page), and the delegations named so far (dels).
type deskRows struct {
	p           *Page
	d           *drafts.Document
	props       map[string]*drafts.Proposal
	in          *deskInput
	seenBox     map[string]int
	uncontested func(string) bool
	nums        map[string]string
	dels        map[string]string
}

// names names delegations as Page.Dels does, each code looked up once a
// desk.
func (rs *deskRows) names(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		n, ok := rs.dels[c]
		if !ok {
			n = rs.p.Del(c)
			rs.dels[c] = n
		}
		out[i] = n
	}
	return strings.Join(out, ", ")
}

// row is the row of one compiled change.
func (rs *deskRows) row(cp drafts.CompiledProposal) deskRow {
	p, in, nums := rs.p, rs.in, rs.nums
	r := deskRow{Op: cp.Op, Names: rs.names(cp.Delegations), Cosponsors: rs.names(cp.Cosponsors)}
	switch cp.Op {
	case drafts.OpReplace:
		r.Line = segsHTML(oneLine(cp.Segments, 4))
	case drafts.OpInsert:
		r.Text = cp.Text
	case drafts.OpMove:
		r.Where = p.L.T("the start of the text")
		if cp.After != "" {
			r.Where = nums[cp.After]
		}
	}
	r.Picks = make([]deskPick, 0, len(cp.Proposals))
	for _, id := range cp.Proposals {
		ref := id
		pk := deskPick{ID: id, Picked: in.Picked[id], Uncontested: rs.uncontested(id), Name: id}
		if pr, ok := rs.props[id]; ok {
			pk.Name, ref = p.ProposalName(pr), proposalRef(pr)
		}
		pk.URL = "/documents/" + rs.d.ID + "/proposals/" + ref
		pk.Box = "pick-" + ref
		if n := rs.seenBox[id]; n > 0 {
			pk.Box += "-" + strconv.Itoa(n)
		}
		rs.seenBox[id]++
		r.Picks = append(r.Picks, pk)
	}
	return r
}

// collisionOf is a colliding entry's competing texts and the chair's
// compromise (the head's text until the chair starts one).
func collisionOf(p *Page, e drafts.CompilationEntry, in *deskInput) *deskCollision {
	col := &deskCollision{Provision: e.Provision.ID, Base: e.Provision.Text, Mode: in.Mode[e.Provision.ID], Text: e.Provision.Text}
	if t, ok := in.Res[e.Provision.ID]; ok {
		col.Text = t
	}
	for _, cp := range e.Proposals {
		if cp.Op != drafts.OpReplace && cp.Op != drafts.OpDelete {
			continue
		}
		col.Sides = append(col.Sides, deskSide{Names: p.Dels(cp.Delegations), Segments: cp.Segments, Text: cp.Text,
			Deleted: cp.Op == drafts.OpDelete, Index: len(col.Sides)})
	}
	return col
}

// shows reports whether the filter shows a group.
func (f deskFilter) shows(g *deskGroup) bool {
	if f.Section != "" && g.Section != f.Section || f.State != "" && g.State != f.State {
		return false
	}
	return f.Delegation == "" || slices.Contains(strings.Fields(g.Codes), f.Delegation)
}

// hide carries a hidden group's picks and compromise in the form.
func (dd *deskData) hide(g *deskGroup, in *deskInput) {
	for _, r := range g.Rows {
		for _, pk := range r.Picks {
			if pk.Picked {
				dd.Hidden = append(dd.Hidden, pk.ID)
			}
		}
	}
	if c := g.Collision; c != nil && (in.Mode[c.Provision] != "" || in.Res[c.Provision] != "") {
		dd.HiddenRes = append(dd.HiddenRes, *c)
	}
}

// deskSections returns the text's top-level sections (for the filter)
// and the section of each provision: the top-level heading it is under.
func deskSections(v *drafts.Version) ([]deskOption, map[string]string) {
	top := 0
	for _, p := range v.Provisions {
		if p.Kind == drafts.KindHeading {
			if l := drafts.HeadingLevel(p.Number); l > 0 && (top == 0 || l < top) {
				top = l
			}
		}
	}
	var opts []deskOption
	of := map[string]string{}
	cur := ""
	for _, p := range v.Provisions {
		if p.Kind == drafts.KindHeading && drafts.HeadingLevel(p.Number) == top {
			cur = p.ID
			label := drafts.Markup(p.Number, p.Text)
			if strings.HasPrefix(p.Number, "#") {
				label = p.Text // "# Cluster I" is the markup; the reader sees "Cluster I"
			}
			opts = append(opts, deskOption{Value: p.ID, Label: excerpt(label, 50)})
		}
		of[p.ID] = cur
	}
	return opts, of
}

func groupLabel(l Lang, p drafts.Provision) string {
	if p.ID == "" {
		return l.T("At the start of the text")
	}
	return provisionLabel(p)
}

// deskChanges are an entry's changes, each sub-amendment after the change
// it amends: the chair picks a sub-amendment on its own (it merges with
// the proposal it amends).
func deskChanges(e drafts.CompilationEntry) []drafts.CompiledProposal {
	var out []drafts.CompiledProposal
	for _, cp := range e.Proposals {
		out = append(out, cp)
		out = append(out, cp.SubAmendments...)
	}
	return out
}

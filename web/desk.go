package web

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"chancery/drafts"
)

// The merge desk's model: the compilation of the head grouped by
// provision in document order, each group with its state (one proposal,
// several that merge cleanly, or colliding), its section, and the
// chair's choices (proposals picked, compromises), filtered.
//
// The desk's fields, one form (kept as a saved form between steps):
//
//	proposals     the proposals picked (repeated)
//	mode.<id>     a collision's resolution: "" (still open), "text"
//	              (the compromise res.<id>) or "delete" (the provision goes)
//	res.<id>      the compromise text
//	tr.<id>       the original's text of a change made in a language
//	              version (desk_languages.go)
//	f.section, f.delegation, f.state   the filters
//	message       the new version's message

// Group states.
const (
	stateUncontested = "uncontested"
	stateCompatible  = "compatible"
	stateColliding   = "colliding"
)

type deskData struct {
	Head     *drafts.Version
	Sections []deskOption
	Dels     []deskOption
	States   []deskOption
	Groups   []*deskGroup // the groups the filters show
	Secs     []deskSec    // the same, by section
	All      []*deskGroup // every group
	// Hidden are the picks and compromises of groups the filters hide,
	// carried in the form.
	Hidden     []string
	HiddenRes  []deskCollision
	Filter     deskFilter
	Shown      int // proposals shown
	Total      int // proposals open
	Picked     int
	Preview    *diffView
	Open       []drafts.Collision // collisions the preview leaves open
	PreviewErr error
	FormID     string
	Numbers    map[string]string
	Merged     string // the version a done merge made
	// Langs are the open proposals written in a language version, and
	// Original names the document's language.
	Langs    []deskLang
	Original string
}

type deskOption struct{ Value, Label string }

type deskFilter struct{ Section, Delegation, State string }

// deskSec is a section of the desk and its groups shown, and those
// groups as the page shows them (groupsHTML).
type deskSec struct {
	ID, Label string
	Groups    []*deskGroup
	HTML      template.HTML
}

type deskGroup struct {
	P         drafts.Provision
	Codes     string // the delegations of its rows, "KZ IN"
	Label     string
	Section   string
	State     string
	Rows      []deskRow
	Collision *deskCollision
	Depth     int
}

// deskRow is one proposed change of a group (identical changes of
// several proposals are one row, one checkbox each).
type deskRow struct {
	Op         string
	Picks      []deskPick
	Names      string // the delegations, by name and code
	Cosponsors string
	Line       template.HTML // the change on one line, as tracked changes
	Text       string        // an inserted text
	Where      string        // where a moved provision goes
}

// deskPick is one proposal's checkbox.
type deskPick struct {
	ID, Name, URL, Box  string // Box is the checkbox's id
	Picked, Uncontested bool
}

// deskCollision is a colliding group's competing texts and compromise.
type deskCollision struct {
	Provision string
	Base      string
	Sides     []deskSide
	Mode      string
	Text      string
}

type deskSide struct {
	Names    string
	Segments []drafts.Segment
	Text     string
	Deleted  bool
	Index    int
}

// deskInput is the desk's form, read.
type deskInput struct {
	Picked  map[string]bool
	Order   []string
	Mode    map[string]string
	Res     map[string]string
	Tr      map[string]string
	Filter  deskFilter
	Message string
}

func readDesk(f url.Values) *deskInput {
	in := &deskInput{Picked: map[string]bool{}, Mode: map[string]string{}, Res: map[string]string{}, Tr: map[string]string{}, Message: f.Get("message"),
		Filter: deskFilter{Section: f.Get("f.section"), Delegation: f.Get("f.delegation"), State: f.Get("f.state")}}
	for _, id := range f["proposals"] {
		if !in.Picked[id] {
			in.Picked[id] = true
			in.Order = append(in.Order, id)
		}
	}
	for k, vs := range f {
		if id, ok := strings.CutPrefix(k, "mode."); ok && len(vs) > 0 {
			in.Mode[id] = vs[0]
		}
		if id, ok := strings.CutPrefix(k, "res."); ok && len(vs) > 0 {
			in.Res[id] = strings.TrimSpace(vs[0])
		}
		if id, ok := strings.CutPrefix(k, "tr."); ok && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			in.Tr[id] = strings.TrimSpace(vs[0])
		}
	}
	return in
}

func (in *deskInput) fields() url.Values {
	f := url.Values{"message": {in.Message}, "f.section": {in.Filter.Section}, "f.delegation": {in.Filter.Delegation}, "f.state": {in.Filter.State}}
	f["proposals"] = slices.Clone(in.Order)
	for id, m := range in.Mode {
		f.Set("mode."+id, m)
	}
	for id, t := range in.Res {
		f.Set("res."+id, t)
	}
	for id, t := range in.Tr {
		f.Set("tr."+id, t)
	}
	return f
}

func (in *deskInput) pick(id string) {
	if !in.Picked[id] {
		in.Picked[id] = true
		in.Order = append(in.Order, id)
	}
}

// resolutions are the compromises of the groups whose picked proposals
// they concern; a compromise chosen but left empty is an error naming
// it (deleting a provision is a choice of its own, never an empty box).
func (in *deskInput) resolutions(groups []*deskGroup) (map[string]string, error) {
	out := map[string]string{}
	var fields []drafts.FieldError
	for _, g := range groups {
		id := g.P.ID
		if !g.picksAny(in.Picked) {
			continue
		}
		switch in.Mode[id] {
		case "delete":
			out[id] = ""
		case "text":
			if in.Res[id] == "" {
				fields = append(fields, drafts.FieldError{Field: "res." + id, Message: fmt.Sprintf("the compromise for %s is empty: type it, or choose to delete the provision", g.Label)})
				continue
			}
			out[id] = in.Res[id]
		}
	}
	if len(fields) > 0 {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: fields[0].Message, Fields: fields}
	}
	return out, nil
}

// picksAny reports whether any of the group's proposals is picked.
func (g *deskGroup) picksAny(picked map[string]bool) bool {
	for _, r := range g.Rows {
		for _, p := range r.Picks {
			if picked[p.ID] {
				return true
			}
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

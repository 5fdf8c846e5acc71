package web

import (
	"net/url"
	"strings"

	"chancery/drafts"
)

// The in-place editor's state: what a delegate has changed, provision by
// provision, as the fields of one form (so that without JavaScript each
// step is a form post, and a saved form keeps it all):
//
//	open       the provisions opened for editing (repeated)
//	text.<id>  a provision's new text
//	del.<id>   "1": delete it
//	ins.<id>   provisions to insert after it (markup: "6 bis. Text"),
//	           ins.^start before the first
//	move.<id>  the provision to move it after (^start: to the start)

// editorState is the editor's fields, read.
type editorState struct {
	Open          map[string]bool
	Text, Ins     map[string]string
	Move          map[string]string
	Del           map[string]bool
	Justification string
	// OnBehalfOf is the delegation that made the proposal orally, when
	// the chair records it ("" for the user's own).
	OnBehalfOf string
}

func newEditorState() *editorState {
	return &editorState{Open: map[string]bool{}, Text: map[string]string{}, Ins: map[string]string{}, Move: map[string]string{}, Del: map[string]bool{}}
}

// readEditor reads the editor's fields.
func readEditor(f url.Values) *editorState {
	st := newEditorState()
	st.Justification = f.Get("justification")
	st.OnBehalfOf = strings.TrimSpace(f.Get("on_behalf_of"))
	for _, id := range f["open"] {
		st.Open[id] = true
	}
	for k, vs := range f {
		if len(vs) == 0 {
			continue
		}
		v := vs[0]
		kind, id, ok := strings.Cut(k, ".")
		if !ok || id == "" {
			continue
		}
		switch kind {
		case "text":
			st.Text[id] = strings.TrimSpace(v)
		case "ins":
			if v = strings.TrimSpace(v); v != "" {
				st.Ins[id] = v
			}
		case "move":
			if v != "" {
				st.Move[id] = v
			}
		case "del":
			st.Del[id] = v != ""
		}
	}
	return st
}

// fields writes the state back as form fields.
func (st *editorState) fields() url.Values {
	f := url.Values{"justification": {st.Justification}}
	if st.OnBehalfOf != "" {
		f.Set("on_behalf_of", st.OnBehalfOf)
	}
	for id := range st.Open {
		f.Add("open", id)
	}
	for id, t := range st.Text {
		f.Set("text."+id, t)
	}
	for id, t := range st.Ins {
		f.Set("ins."+id, t)
	}
	for id, t := range st.Move {
		f.Set("move."+id, t)
	}
	for id, d := range st.Del {
		if d {
			f.Set("del."+id, "1")
		}
	}
	return f
}

// discard forgets the changes to provision id and closes it.
func (st *editorState) discard(id string) {
	delete(st.Open, id)
	delete(st.Text, id)
	delete(st.Ins, id)
	delete(st.Move, id)
	delete(st.Del, id)
}

// changed reports whether the state changes provision p.
func (st *editorState) changed(p drafts.Provision) bool {
	t, typed := st.Text[p.ID]
	return typed && t != p.Text || st.Del[p.ID] || st.Ins[p.ID] != "" || st.Move[p.ID] != ""
}

// operations are the state's changes to base, in an order that applies:
// insertions (each after a provision that is still there), replacements,
// moves, then deletions.
func (st *editorState) operations(base *drafts.Version) []drafts.Operation {
	var ins, rep, mov, del []drafts.Operation
	if t := st.Ins[startMarker]; t != "" {
		ins = append(ins, drafts.Operation{Op: drafts.OpInsert, Text: t})
	}
	for _, p := range base.Provisions {
		id := p.ID
		if t := st.Ins[id]; t != "" {
			ins = append(ins, drafts.Operation{Op: drafts.OpInsert, After: id, Text: t})
		}
		if st.Del[id] {
			del = append(del, drafts.Operation{Op: drafts.OpDelete, Provision: id})
			continue
		}
		if t, ok := st.Text[id]; ok && t != p.Text {
			rep = append(rep, drafts.Operation{Op: drafts.OpReplace, Provision: id, Text: t})
		}
		if after := st.Move[id]; after != "" {
			if after == startMarker {
				after = ""
			}
			mov = append(mov, drafts.Operation{Op: drafts.OpMove, Provision: id, After: after})
		}
	}
	// Fields for provisions the base does not have: the service names them.
	known := map[string]bool{startMarker: true}
	for _, p := range base.Provisions {
		known[p.ID] = true
	}
	for _, id := range sortedKeys(keysOf(st.Text, st.Ins)) {
		if !known[id] {
			rep = append(rep, drafts.Operation{Op: drafts.OpReplace, Provision: id, Text: st.Text[id] + st.Ins[id]})
		}
	}
	return append(append(append(ins, rep...), mov...), del...)
}

// keysOf is the set of keys of maps.
func keysOf(ms ...map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			out[k] = true
		}
	}
	return out
}

// editorOf is the state of an existing proposal's operations.
func editorOf(pr *drafts.Proposal) *editorState {
	st := newEditorState()
	st.Justification = pr.Justification
	for _, o := range pr.Operations {
		switch o.Op {
		case drafts.OpReplace:
			st.Text[o.Provision], st.Open[o.Provision] = o.Text, true
		case drafts.OpDelete:
			st.Del[o.Provision], st.Open[o.Provision] = true, true
		case drafts.OpMove:
			after := o.After
			if after == "" {
				after = startMarker
			}
			st.Move[o.Provision], st.Open[o.Provision] = after, true
		case drafts.OpInsert:
			at := o.After
			if at == "" {
				at = startMarker
			}
			text := o.Text
			if prev := st.Ins[at]; prev != "" {
				text = prev + "\n\n" + text
			}
			st.Ins[at], st.Open[at] = text, true
		}
	}
	return st
}

// input is the proposal the state makes on base: the user's own, or one
// a delegation made orally that the chair records.
func (st *editorState) input(base *drafts.Version) drafts.ProposalInput {
	return oral(drafts.ProposalInput{Base: base.Number, Justification: st.Justification, Operations: st.operations(base)}, st.OnBehalfOf)
}

// oral makes in a proposal made orally by delegation by, which the chair
// records ("" leaves it the user's own).
func oral(in drafts.ProposalInput, by string) drafts.ProposalInput {
	if by != "" {
		in.OnBehalfOf, in.Source = by, drafts.SourceOral
	}
	return in
}

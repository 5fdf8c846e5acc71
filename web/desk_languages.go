package web

import (
	"cmp"
	"fmt"
	"slices"

	"chancery/drafts"
	"chancery/internal/wording"
)

// Proposals written in a language version (issue 27) are merged with the
// chair's text in the original language of each provision they replace
// or insert (drafts.MergeInput.Translations). The desk lists them apart,
// each change with the delegation's words and a box for the original's
// text (tr.<id>, the provision's id or, for an insertion, the id the
// proposal gives it); the boxes of the proposals picked go with the
// merge.

// deskLang is an open proposal written in a language version.
type deskLang struct {
	ID, Name, URL string
	Language      string // the language's code
	Boxes         []deskTr
}

// deskTr is one text of such a proposal to give in the original.
type deskTr struct {
	ID    string // the field is tr.<ID>
	Label string // the provision it replaces, or where it inserts
	Words string // the proposal's own words
	Text  string // the chair's text so far
}

// deskLanguages lists the open proposals written in a language version,
// by number, with the chair's texts of in.
func deskLanguages(p *Page, d *drafts.Document, head *drafts.Version, props map[string]*drafts.Proposal, in *deskInput) []deskLang {
	var out []deskLang
	for _, pr := range props {
		if pr.Language == "" || pr.Language == d.Language {
			continue
		}
		dl := deskLang{ID: pr.ID, Name: p.ProposalName(pr), URL: fmt.Sprintf("/documents/%s/proposals/%s", d.ID, proposalRef(pr)), Language: pr.Language}
		for _, o := range pr.Operations {
			var label, id string
			switch o.Op {
			case drafts.OpReplace:
				id, label = o.Provision, p.L.T("Provision")+" "+provisionName(head, o.Provision)
			case drafts.OpInsert:
				id, label = o.ID, p.L.T("Inserted after %s", provisionName(head, o.Provision))
			default:
				continue
			}
			dl.Boxes = append(dl.Boxes, deskTr{ID: id, Label: label, Words: o.Text, Text: in.Tr[id]})
		}
		if len(dl.Boxes) > 0 {
			out = append(out, dl)
		}
	}
	slices.SortFunc(out, func(a, b deskLang) int {
		return cmp.Compare(props[a.ID].Number, props[b.ID].Number)
	})
	return out
}

// provisionName is how the desk names provision id of v: its number, or
// the start of its text ("the start of the text" for none).
func provisionName(v *drafts.Version, id string) string {
	if pr, i := v.Provision(id); i >= 0 {
		return provisionLabel(pr)
	}
	return "—"
}

// translations are the chair's texts in the original for the picked
// proposals written in a language version (empty boxes left out: the
// service names what is missing).
func (in *deskInput) translations(langs []deskLang) map[string]string {
	out := map[string]string{}
	for _, dl := range langs {
		if !in.Picked[dl.ID] {
			continue
		}
		for _, b := range dl.Boxes {
			if b.Text != "" {
				out[b.ID] = b.Text
			}
		}
	}
	return out
}

// originalName names the document's original language in the page's.
func originalName(l Lang, d *drafts.Document) string {
	return wording.For(string(l)).LanguageName(d.Language)
}

package render_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
)

// Fixture is a document in two versions, the diff between them, and a
// compilation of proposals on the first.
type Fixture struct {
	Doc         *drafts.Document
	V1, V2      *drafts.Version
	Diff        *drafts.Diff
	Compilation *drafts.Compilation
}

// renumber numbers the numbered paragraphs 1., 2., ... in order.
func renumber(ps []drafts.Provision) {
	n := 0
	for i := range ps {
		if ps[i].Kind == drafts.KindParagraph && ps[i].Number != "" {
			n++
			ps[i].Number = strconv.Itoa(n) + "."
		}
	}
}

// find returns the index of the provision whose text starts with prefix.
func find(tb testing.TB, ps []drafts.Provision, prefix string) int {
	tb.Helper()
	for i, p := range ps {
		if strings.HasPrefix(p.Text, prefix) {
			return i
		}
	}
	tb.Fatalf("no provision starts with %q", prefix)
	return -1
}

// MustRoadMap builds the English fixture from the corpus road map: in
// version 2 Kazakhstan amends paragraph 3, Russia amends paragraph 6 and
// inserts a paragraph after 5, China deletes paragraph 9, India moves
// paragraph 11 after 12, Türkiye changes a letter in paragraph 14;
// paragraph 13 is bracketed.
func MustRoadMap(tb testing.TB) *Fixture {
	tb.Helper()
	v1 := MustVersion(tb, MustCorpus(tb, "sample-draft-road-map.txt"), 1)
	v2 := MustVersion(tb, v1.Text(), 2)
	ps := v2.Provisions
	by := map[string]string{}

	i := find(tb, ps, "The Senior Officials Committee shall prepare")
	ps[i].Text = strings.Replace(ps[i].Text, "shall prepare the elements", "shall draft the elements", 1)
	ps[i].Text = strings.Replace(ps[i].Text, "the Almaty Act,", "the Almaty Act of 2002,", 1)
	by[ps[i].ID] = "KZ"

	i = find(tb, ps, "All decisions shall continue")
	ps[i].Text = "All decisions shall be taken by consensus, without a vote."
	by[ps[i].ID] = "RU"

	i = find(tb, ps, "The Special Working Group shall submit")
	inserted := drafts.Provision{ID: "n1", Kind: drafts.KindParagraph, Number: "0.", Text: "The Special Working Group shall meet at least twice a year & report <in writing> to the Committee."}
	ps = append(ps[:i+1], append([]drafts.Provision{inserted}, ps[i+1:]...)...)
	by["n1"] = "RU"

	i = find(tb, ps, "The Catalogue of Confidence Building Measures")
	by[ps[i].ID] = "CN"
	ps = append(ps[:i:i], ps[i+1:]...)

	i = find(tb, ps, "The Secretariat shall maintain the list")
	moved := ps[i]
	ps = append(ps[:i:i], ps[i+1:]...)
	j := find(tb, ps, "The Secretariat shall be headed")
	ps = append(ps[:j+1], append([]drafts.Provision{moved}, ps[j+1:]...)...)
	by[moved.ID] = "IN"

	i = find(tb, ps, "The Fund of the Conference")
	ps[i].Text = strings.Replace(ps[i].Text, "mobilise", "mobilize", 1)
	fundID := ps[i].ID
	by[fundID] = "TR"

	i = find(tb, ps, "The Secretariat shall consist")
	ps[i].Status = drafts.ProvisionBracketed

	renumber(ps)
	v2.Provisions = ps
	v2.Hash = drafts.HashText(v2.Text())
	v2.Delegation = "KZ"

	diff := MustDiff(tb, v1, v2, Edit{By: by, Moved: map[string]bool{moved.ID: true}})
	for k := range diff.Changes {
		c := &diff.Changes[k]
		if c.Provision == fundID {
			// A change inside a word, as a character diff gives it.
			at := strings.Index(c.OldText, "mobilise") + len("mobili")
			c.Segments = []drafts.Segment{
				{Op: drafts.SegEqual, Text: c.OldText[:at]},
				{Op: drafts.SegDelete, Text: "s", Delegation: "TR"},
				{Op: drafts.SegInsert, Text: "z", Delegation: "TR"},
				{Op: drafts.SegEqual, Text: c.OldText[at+1:]},
			}
		}
	}
	return &Fixture{Doc: FixtureDoc("en"), V1: v1, V2: v2, Diff: diff, Compilation: MustCompilation(tb, v1)}
}

// MustCompilation builds a compilation of proposals on the road map v.
func MustCompilation(tb testing.TB, v *drafts.Version) *drafts.Compilation {
	tb.Helper()
	c := &drafts.Compilation{Document: v.Document, Version: v.Number, Delegations: map[string]drafts.Delegation{
		"KZ": {ID: "KZ", Name: "Kazakhstan", NameRu: "Казахстан"}, "KG": {ID: "KG", Name: "Kyrgyzstan", NameRu: "Кыргызстан"},
		"TJ": {ID: "TJ", Name: "Tajikistan", NameRu: "Таджикистан"}, "CN": {ID: "CN", Name: "China", NameRu: "Китай"},
		"RU": {ID: "RU", Name: "Russian Federation", NameRu: "Российская Федерация"}, "IN": {ID: "IN", Name: "India", NameRu: "Индия"},
	}}
	ref := func(id string, n int, d string) drafts.ProposalRef {
		return drafts.ProposalRef{ID: id, Number: n, Delegation: d}
	}
	byText := func(prefix string) int { return find(tb, v.Provisions, prefix) }
	props := map[int][]drafts.CompiledProposal{}
	i := byText("The Senior Officials Committee shall prepare")
	old := v.Provisions[i].Text
	repl := strings.Replace(old, "shall prepare", "shall draft", 1)
	sub := strings.Replace(repl, "shall draft", "shall draft and table", 1)
	props[i] = append(props[i],
		drafts.CompiledProposal{
			Op: drafts.OpReplace, Proposals: []string{"P-1", "P-4"}, Delegations: []string{"KZ", "KG"}, Cosponsors: []string{"TJ"},
			Refs: []drafts.ProposalRef{ref("P-1", 7, "KZ"), ref("P-4", 8, "KG")},
			Text: repl, Segments: WordSegments(old, repl, ""),
			Justifications: []string{"“Draft” says what the Committee does.", ""},
			SubAmendments: []drafts.CompiledProposal{{
				Op: drafts.OpReplace, Proposals: []string{"P-9"}, Delegations: []string{"IN"},
				Refs: []drafts.ProposalRef{{ID: "P-9", Number: 9, Delegation: "IN", AmendsNumber: 7}},
				Text: sub, Segments: WordSegments(repl, sub, "IN"), Justifications: []string{"Drafts are tabled."},
			}},
		},
		drafts.CompiledProposal{
			Op: drafts.OpDelete, Proposals: []string{"P-2"}, Delegations: []string{"CN"}, Refs: []drafts.ProposalRef{ref("P-2", 2, "CN")},
			Justifications: []string{"The Charter is a matter for the Summit."},
		})
	i = byText("All decisions shall continue")
	props[i] = append(props[i], drafts.CompiledProposal{
		Op: drafts.OpInsert, Proposals: []string{"P-3"}, Delegations: []string{"RU"},
		Refs: []drafts.ProposalRef{{ID: "P-3", Number: 3, Delegation: "RU", Source: drafts.SourceOral}},
		Text: "6bis. Decisions on procedural matters may be taken by the Chairmanship after consultations.",
	})
	i = byText("The Secretariat shall maintain the list")
	props[i] = append(props[i], drafts.CompiledProposal{
		Op: drafts.OpMove, Proposals: []string{"P-5"}, Delegations: []string{"IN"}, Refs: []drafts.ProposalRef{ref("P-5", 5, "IN")},
		After: v.Provisions[byText("The Secretariat shall be headed")].ID,
	})
	for k, p := range v.Provisions {
		c.Entries = append(c.Entries, drafts.CompilationEntry{Provision: p, Proposals: props[k]})
	}
	return c
}

// AdoptedRound is a silence procedure that adopted version n.
func AdoptedRound(n int) *drafts.AdoptionRound {
	deadline := time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)
	return &drafts.AdoptionRound{ID: "r1", Document: "d1", Version: n, Procedure: drafts.ProcedureSilence, Deadline: &deadline, State: drafts.RoundAdopted, OpenedBy: "chair", OpenedAt: fixedTime}
}

// LongText builds a text of about pages A4 pages from the corpus road map,
// repeated under numbered parts, its paragraphs numbered throughout.
func LongText(tb testing.TB, pages int) string {
	tb.Helper()
	base := MustVersion(tb, MustCorpus(tb, "sample-draft-road-map.txt"), 1)
	var ps []drafts.Provision
	for part := 1; len(ps) < pages*20; part++ {
		for _, p := range base.Provisions {
			if p.Kind == drafts.KindHeading && strings.HasPrefix(p.Text, "Draft Road Map") {
				p.Text = "Part " + strconv.Itoa(part)
			}
			p.Gap = "\n\n"
			ps = append(ps, p)
		}
	}
	renumber(ps)
	return drafts.PrintProvisions(ps)
}

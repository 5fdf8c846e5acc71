package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"chancery/drafts"
)

// deskDelegations are the member delegations of a desk fixture, besides
// KZ and IN: a session's worth of names to read on the merge desk.
var deskDelegations = []drafts.Delegation{
	{ID: "CN", Name: "China", Status: "member"},
	{ID: "RU", Name: "Russian Federation", Status: "member"},
	{ID: "TR", Name: "Türkiye", Status: "member"},
	{ID: "MN", Name: "Mongolia", Status: "member"},
	{ID: "AZ", Name: "Azerbaijan", Status: "member"},
	{ID: "TH", Name: "Thailand", Status: "member"},
	{ID: "VN", Name: "Viet Nam", Status: "member"},
	{ID: "MV", Name: "Maldives", Status: "member"},
}

// deskFixture is a 300-provision document (a heading every ten
// paragraphs: 30 sections) with n open proposals by ten delegations:
// mostly replacements, every 13th an insertion, every 29th a deletion;
// every 10th proposal changes the same word of the same paragraph as the
// one before it, by another delegation (a collision), every 10th+5 a
// different word of it (a compatible second proposal). Every other
// paragraph is left to one proposal (uncontested) as far as n allows.
type deskFixture struct {
	e      *env
	doc    *drafts.Document
	head   *drafts.Version
	paras  []drafts.Provision
	cookie *http.Cookie
	csrf   string
	// Colliding is a pair of proposals that collide, and the paragraph.
	Colliding [2]*drafts.Proposal
	Target    drafts.Provision
}

// deskFixtures counts the fixtures made, for their symbols.
var deskFixtures int

// newDeskFixture builds a desk fixture on e with n proposals.
func newDeskFixture(tb testing.TB, e *env, n int) *deskFixture {
	tb.Helper()
	chair := e.as("chair")
	sec := e.as("secretariat")
	who := []context.Context{e.as("KZ"), e.as("IN")}
	for _, d := range deskDelegations {
		d := d
		if err := e.svc.CreateDelegation(sec, &d); err != nil && !drafts.IsCode(err, drafts.ECONFLICT) {
			tb.Fatal(err)
		}
		u := &drafts.User{Name: "Delegate of " + d.Name, Role: drafts.RoleDelegate, Delegation: d.ID}
		tok, err := e.svc.CreateUser(sec, u)
		if err != nil {
			tb.Fatal(err)
		}
		e.tokens[d.ID] = tok
		who = append(who, e.as(d.ID))
	}
	deskFixtures++
	d, v, err := e.svc.CreateDocument(chair, &drafts.Document{Symbol: fmt.Sprintf("CICA/SWG/2026/L.%d/%d", n, deskFixtures), Title: "Catalogue of confidence-building measures",
		Kind: "catalogue", Body: "SWG", Language: "en", Visibility: "members"}, bigText(300))
	if err != nil {
		tb.Fatal(err)
	}
	f := &deskFixture{e: e, doc: d, head: v}
	for _, p := range v.Provisions {
		if p.Kind == drafts.KindParagraph {
			f.paras = append(f.paras, p)
		}
	}
	// Paragraph k of the proposals: spread over every other paragraph
	// first, so that most are alone on theirs.
	prev := 0
	for k := 0; k < n; k++ {
		i := (k * 2) % len(f.paras)
		if k >= len(f.paras)/2 {
			i = (k*2 + 1) % len(f.paras)
		}
		word := 2
		switch {
		case k%10 == 9:
			i = prev // the same word as the one before: a collision
		case k%10 == 4:
			i, word = prev, 9 // another word: merges cleanly
		}
		prev = i
		p := f.paras[i]
		op := drafts.Operation{Op: drafts.OpReplace, Provision: p.ID}
		switch {
		case k%29 == 28:
			op = drafts.Operation{Op: drafts.OpDelete, Provision: p.ID}
		case k%13 == 12:
			op = drafts.Operation{Op: drafts.OpInsert, After: p.ID, Text: fmt.Sprintf("%s bis. The participating states shall exchange information on measure %d.", p.Number, k)}
		default:
			words := strings.Fields(p.Text)
			words[word] = fmt.Sprintf("amended%d", k)
			op.Text = strings.Join(words, " ")
		}
		pr, err := e.svc.CreateProposal(who[k%len(who)], d.ID, drafts.ProposalInput{Base: 1, Justification: fmt.Sprintf("Reason %d for the change.", k),
			Operations: []drafts.Operation{op}})
		if err != nil {
			tb.Fatalf("proposal %d: %v", k, err)
		}
		if k == 9 {
			f.Target = p
		}
		if k == 8 || k == 9 {
			f.Colliding[k-8] = pr
		}
	}
	ses, plain, err := e.svc.CreateSession(chair, "", 24*time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	f.cookie = &http.Cookie{Name: "chancery_session", Value: plain}
	f.csrf = ses.CSRF
	return f
}

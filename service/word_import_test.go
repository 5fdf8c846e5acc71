package service_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/service"
)

// markedUpFile is a Word file as the reader gives it: two paragraphs, and
// the views of Kazakhstan (paragraph 1 changed) and India (a paragraph
// inserted after paragraph 2).
func markedUpFile() drafts.WordImport {
	orig := []drafts.WordParagraph{{Markup: "1. All decisions by full consensus.", Origin: 0}, {Markup: "2. Records are kept.", Origin: 1}}
	return drafts.WordImport{
		File: &drafts.WordFile{
			Original: orig, Edited: orig, Tracked: true, Authors: []string{"Kazakhstan", "India"},
			Views: map[string][]drafts.WordParagraph{
				"KZ": {{Markup: "1. All decisions by consensus.", Origin: 0}, {Markup: "2. Records are kept.", Origin: 1}},
				"IN": {{Markup: "1. All decisions by full consensus.", Origin: 0}, {Markup: "2. Records are kept.", Origin: 1}, {Markup: "2 bis. In both languages.", Origin: -1}},
			},
		},
		Authors: map[string][]string{"KZ": {"Kazakhstan"}, "IN": {"India"}},
	}
}

// failingProposals fails the create of the n-th proposal (from 1).
type failingProposals struct {
	drafts.ObjectStore
	n     int32
	count atomic.Int32
}

func (s *failingProposals) Create(ctx context.Context, key string, data []byte) (string, error) {
	if strings.Contains(key, "/proposals/") && s.count.Add(1) == s.n {
		return "", drafts.Errorf(drafts.EUNAVAILABLE, "storage down")
	}
	return s.ObjectStore.Create(ctx, key, data)
}

func importService(t *testing.T, store drafts.ObjectStore) (*service.Service, context.Context) {
	t.Helper()
	svc := service.New(store, diffing.New(), MustPolicy(t))
	sec := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "sec", Role: drafts.RoleSecretariat})
	for _, d := range []drafts.Delegation{{ID: "KZ", Name: "Kazakhstan", Status: drafts.StatusMember}, {ID: "IN", Name: "India", Status: drafts.StatusMember}, {ID: "JP", Name: "Japan", Status: drafts.StatusObserver}} {
		if err := svc.CreateDelegation(sec, &d); err != nil {
			t.Fatal(err)
		}
	}
	return svc, sec
}

func newImportDoc(symbol string) *drafts.Document {
	return &drafts.Document{Symbol: symbol, Title: "Marked up", Kind: "other", Body: "SWG", Language: "en", Visibility: drafts.VisibilityMembers}
}

// TestImportWordDocument: version 1 and a proposal per delegation,
// credited to it and submitted by the caller, each with its event.
func TestImportWordDocument(t *testing.T) {
	svc, sec := importService(t, MustOpenLocal(t))
	doc, v, ps, err := svc.ImportWordDocument(sec, newImportDoc("M/1"), markedUpFile())
	if err != nil {
		t.Fatal(err)
	}
	if v.Text() != "1. All decisions by full consensus.\n\n2. Records are kept.\n" || doc.State != drafts.StateNegotiation {
		t.Errorf("version 1 %q, state %s", v.Text(), doc.State)
	}
	if len(ps) != 2 || ps[0].Delegation != "KZ" || ps[1].Delegation != "IN" || ps[0].Author != "sec" {
		t.Fatalf("proposals %+v", ps)
	}
	if o := ps[0].Operations; len(o) != 1 || o[0].Op != drafts.OpReplace || o[0].Provision != v.Provisions[0].ID || o[0].Text != "All decisions by consensus." {
		t.Errorf("Kazakhstan's operations %+v", o)
	}
	if o := ps[1].Operations; len(o) != 1 || o[0].Op != drafts.OpInsert || o[0].After != v.Provisions[1].ID || o[0].ID == "" {
		t.Errorf("India's operations %+v", o)
	}
	got, err := svc.GetProposal(sec, doc.ID, ps[1].ID)
	if err != nil || got.Delegation != "IN" {
		t.Fatalf("stored proposal %+v, %v", got, err)
	}
	if ps[0].Number != 1 || ps[1].Number != 2 {
		t.Errorf("numbers %d, %d, want 1, 2", ps[0].Number, ps[1].Number)
	}
	// Numbered as any proposal: the next one made is 3, and number 2 names India's.
	byNumber, err := svc.GetProposal(sec, doc.ID, "2")
	if err != nil || byNumber.ID != ps[1].ID {
		t.Errorf("proposal 2: %+v, %v", byNumber, err)
	}
	kz := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "kz", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember})
	next, err := svc.CreateProposal(kz, doc.ID, drafts.ProposalInput{Base: 1, Justification: "Shorter.", Text: "1. All decisions by consensus.\n\n2. Records are kept.\n"})
	if err != nil || next.Number != 3 {
		t.Fatalf("the next proposal: %+v, %v", next, err)
	}
	events, err := svc.ListEvents(sec, doc.ID, drafts.ListOptions{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var created []string
	for _, e := range events.Items {
		if e.Action == "proposal.create" {
			created = append(created, e.Ref+" "+e.Detail)
		}
	}
	want := []string{ps[0].ID + " Proposal 1 (Kazakhstan): base 1, 1 operations", ps[1].ID + " Proposal 2 (India): base 1, 1 operations", next.ID + " Proposal 3 (Kazakhstan): base 1, 1 operations"}
	if strings.Join(created, "\n") != strings.Join(want, "\n") {
		t.Errorf("proposal.create events:\n%s\nwant\n%s", strings.Join(created, "\n"), strings.Join(want, "\n"))
	}
	res, err := svc.VerifyEvents(sec, doc.ID)
	if err != nil || !res.OK {
		t.Errorf("audit trail: %+v, %v", res, err)
	}
}

// TestImportWordDocumentRussian: a document in Russian whose authors
// signed in Cyrillic, matched by the delegations' Russian names; the
// proposals' justifications are in Russian.
func TestImportWordDocumentRussian(t *testing.T) {
	svc := service.New(MustOpenLocal(t), diffing.New(), MustPolicy(t))
	sec := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "sec", Role: drafts.RoleSecretariat})
	dels := []*drafts.Delegation{{ID: "KZ", Name: "Kazakhstan", NameRu: "Казахстан", Status: drafts.StatusMember}, {ID: "IN", Name: "India", NameRu: "Индия", Status: drafts.StatusMember}}
	for _, d := range dels {
		if err := svc.CreateDelegation(sec, d); err != nil {
			t.Fatal(err)
		}
	}
	orig := []drafts.WordParagraph{{Markup: "1. Решения принимаются консенсусом.", Origin: 0}, {Markup: "2. Ведутся отчёты.", Origin: 1}}
	views, err := drafts.PlanWordImport([]string{"Делегация Казахстан", "ИНДИЯ"}, dels, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	in := drafts.WordImport{
		File: &drafts.WordFile{
			Original: orig, Edited: orig, Tracked: true, Authors: []string{"Делегация Казахстан", "ИНДИЯ"},
			Views: map[string][]drafts.WordParagraph{
				"KZ": {{Markup: "1. Решения принимаются только консенсусом.", Origin: 0}, orig[1]},
				"IN": {orig[0], orig[1], {Markup: "2-бис. На двух языках.", Origin: -1}},
			},
		},
		Authors: views.Groups,
	}
	d := newImportDoc("M/RU")
	d.Language, d.Title = "ru", "Правила процедуры"
	doc, v, ps, err := svc.ImportWordDocument(sec, d, in)
	if err != nil {
		t.Fatal(err)
	}
	if v.Text() != "1. Решения принимаются консенсусом.\n\n2. Ведутся отчёты.\n" || len(ps) != 2 {
		t.Fatalf("version 1 %q, proposals %+v", v.Text(), ps)
	}
	if ps[0].Delegation != "KZ" || ps[0].Number != 1 || ps[1].Delegation != "IN" || ps[1].Number != 2 {
		t.Errorf("proposals %s %d, %s %d", ps[0].Delegation, ps[0].Number, ps[1].Delegation, ps[1].Number)
	}
	if want := "Правка «Делегация Казахстан» в файле Word, из которого создан документ."; ps[0].Justification != want {
		t.Errorf("justification %q, want %q", ps[0].Justification, want)
	}
	if o := ps[1].Operations; len(o) != 1 || o[0].Op != drafts.OpInsert || !strings.HasSuffix(o[0].Text, "На двух языках.") {
		t.Errorf("India's operations %+v", o)
	}
	if res, err := svc.VerifyEvents(sec, doc.ID); err != nil || !res.OK {
		t.Errorf("audit trail: %+v, %v", res, err)
	}
}

// TestImportWordDocumentRefused: what cannot be imported is refused before
// anything is stored; a failure while storing the proposals takes the
// document back, freeing its symbol.
func TestImportWordDocumentRefused(t *testing.T) {
	store := &failingProposals{ObjectStore: MustOpenLocal(t), n: 2}
	svc, sec := importService(t, store)
	kz := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "kz", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember})
	observer := markedUpFile()
	observer.Authors = map[string][]string{"JP": {"Japan"}}
	observer.File.Views = map[string][]drafts.WordParagraph{"JP": observer.File.Views["KZ"]}
	nothing := markedUpFile()
	nothing.File.Views["KZ"] = nothing.File.Original
	tests := []struct {
		name string
		ctx  context.Context
		in   drafts.WordImport
		code string
		want string
	}{
		{"a delegate", kz, markedUpFile(), drafts.EFORBIDDEN, ""},
		{"an observer's changes", sec, observer, drafts.EINVALID, "observer"},
		{"changes that change nothing", sec, nothing, drafts.EINVALID, `"Kazakhstan" (for KZ)`},
		{"storage down at the second proposal", sec, markedUpFile(), drafts.EUNAVAILABLE, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := svc.ImportWordDocument(tt.ctx, newImportDoc("M/2"), tt.in)
			if !drafts.IsCode(err, tt.code) || !strings.Contains(drafts.ErrorMessage(err), tt.want) {
				t.Fatalf("error %v, want %s saying %q", err, tt.code, tt.want)
			}
			page, err := svc.ListDocuments(sec, drafts.ListOptions{})
			if err != nil || len(page.Items) != 0 {
				t.Errorf("documents left: %+v, %v", page, err)
			}
		})
	}
	objs, _, err := store.List(context.Background(), "texts/", "", 100)
	if err != nil || len(objs) != 0 {
		t.Errorf("objects left under texts/: %v, %v", objs, err)
	}
	// The symbol is free again.
	if _, _, err := svc.CreateDocument(sec, newImportDoc("M/2"), "1. One.\n"); err != nil {
		t.Errorf("the symbol of the document taken back: %v", err)
	}
}

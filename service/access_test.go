package service_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/accessrule"
	"chancery/render"
	"chancery/service"
)

// outcome of a call as far as access goes.
type outcome string

const (
	allowed outcome = "allowed"
	denied  outcome = "denied (EFORBIDDEN)"
	hidden  outcome = "hidden (ENOTFOUND)"
)

// subject is a user of the access matrix.
type subject struct {
	name     string
	user     drafts.User
	observer bool // an observer, or in an observer delegation
	member   bool // a delegate of a member delegation
	owner    bool // of the delegation that owns the proposal (KZ)
	chair    bool // chair of the documents' body (SWG)
	sec      bool
}

var matrixSubjects = []subject{
	{name: "secretariat", user: drafts.User{ID: "sec", Role: drafts.RoleSecretariat}, sec: true},
	{name: "chair", user: drafts.User{ID: "chair", Role: drafts.RoleChair, Body: "SWG"}, chair: true},
	{name: "soc-chair", user: drafts.User{ID: "soc", Role: drafts.RoleChair, Body: "SOC"}},
	{name: "KZ (own delegation)", user: drafts.User{ID: "kz", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}, member: true, owner: true},
	{name: "IN (other delegation)", user: drafts.User{ID: "in", Role: drafts.RoleDelegate, Delegation: "IN", DelegationStatus: drafts.StatusMember}, member: true},
	{name: "observer", user: drafts.User{ID: "obs", Role: drafts.RoleObserver, Delegation: "JP", DelegationStatus: drafts.StatusObserver}, observer: true},
	{name: "delegate of an observer delegation", user: drafts.User{ID: "jp", Role: drafts.RoleDelegate, Delegation: "JP", DelegationStatus: drafts.StatusObserver}, observer: true},
}

// expectedAccess is the access rule of DESIGN.md (package accessrule,
// written independently of the policy file) in this test's outcomes.
func expectedAccess(action string, s subject, membersOnly bool) outcome {
	switch accessrule.Expected(action, accessrule.Subject{Observer: s.observer, Member: s.member, Owner: s.owner, Chair: s.chair, Secretariat: s.sec}, membersOnly) {
	case accessrule.Allowed:
		return allowed
	case accessrule.Hidden:
		return hidden
	}
	return denied
}

// matrixDoc is one document of the matrix with a proposal by KZ.
type matrixDoc struct {
	id, proposal, provision string
	position                string // KZ's, visible to observers where the document is
}

// matrixCall is one service method performing action.
type matrixCall struct {
	action string
	name   string
	round  bool // needs an open consensus round
	call   func(ctx context.Context, svc *service.Service, d matrixDoc) error
}

var seq atomic.Int64

func matrixCalls(user, token string) []matrixCall {
	ops := drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: "PROV", Text: "Other words."}}}
	withProv := func(d matrixDoc) drafts.ProposalInput {
		in := ops
		in.Operations = []drafts.Operation{{Op: "replace", Provision: d.provision, Text: fmt.Sprintf("Other words %d.", seq.Add(1))}}
		return in
	}
	return append([]matrixCall{
		{action: drafts.ActMeRead, name: "Me", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error { _, err := svc.Me(ctx); return err }},
		{action: drafts.ActDelegationCreate, name: "CreateDelegation", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			return svc.CreateDelegation(ctx, &drafts.Delegation{ID: fmt.Sprintf("X%d", seq.Add(1)), Name: "X", Status: drafts.StatusMember})
		}},
		{action: drafts.ActDelegationList, name: "ListDelegations", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ListDelegations(ctx, drafts.ListOptions{})
			return err
		}},
		{action: drafts.ActDelegationList, name: "GetDelegation", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.GetDelegation(ctx, "KZ")
			return err
		}},
		{action: drafts.ActUserCreate, name: "CreateUser", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CreateUser(ctx, &drafts.User{Name: "n", Role: drafts.RoleDelegate, Delegation: "KZ"})
			return err
		}},
		{action: drafts.ActUserList, name: "ListUsers", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ListUsers(ctx, drafts.ListOptions{})
			return err
		}},
		{action: drafts.ActUserList, name: "GetUser", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.GetUser(ctx, user)
			return err
		}},
		{action: drafts.ActTokenCreate, name: "IssueToken", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, _, err := svc.IssueToken(ctx, user)
			return err
		}},
		{action: drafts.ActTokenRevoke, name: "RevokeToken", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.RevokeToken(ctx, token)
			return err
		}},
		{action: drafts.ActDocumentCreate, name: "CreateDocument", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, _, err := svc.CreateDocument(ctx, &drafts.Document{Symbol: nextSymbol(), Title: "T", Kind: "other", Body: "SWG", Visibility: drafts.VisibilityMembers}, "1. A.")
			return err
		}},
		{action: drafts.ActDocumentList, name: "ListDocuments", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ListDocuments(ctx, drafts.ListOptions{})
			return err
		}},
		{action: drafts.ActDocumentRead, name: "GetDocument", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.GetDocument(ctx, d.id)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "GetVersion", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.GetVersion(ctx, d.id, 1)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "GetVersion of a version that does not exist", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.GetVersion(ctx, d.id, 99)
			if drafts.IsCode(err, drafts.ENOTFOUND) && !strings.HasPrefix(drafts.ErrorMessage(err), "no document") {
				return nil // the document is visible: its versions may be missing
			}
			return err
		}},
		{action: drafts.ActDocumentRead, name: "ListVersions", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ListVersions(ctx, d.id, drafts.ListOptions{})
			return err
		}},
		{action: drafts.ActDocumentRead, name: "VersionDiff", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, _, _, err := svc.VersionDiff(ctx, d.id, 1, 0)
			if drafts.IsCode(err, drafts.EINVALID) {
				return nil // seen, and refused for its input
			}
			return err
		}},
		{action: drafts.ActDocumentRead, name: "ListProposals", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ListProposals(ctx, d.id, drafts.ProposalFilter{}, drafts.ListOptions{})
			return err
		}},
		{action: drafts.ActDocumentRead, name: "OpenProposals", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.OpenProposals(ctx, d.id)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "GetProposal", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.GetProposal(ctx, d.id, d.proposal)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "ProposalDiff", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ProposalDiff(ctx, d.id, d.proposal, "head")
			return err
		}},
		{action: drafts.ActDocumentRead, name: "Compile", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, _, err := svc.Compile(ctx, d.id, 0)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "GetAdoption", round: true, call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.GetAdoption(ctx, d.id)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "ListEvents", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ListEvents(ctx, d.id, drafts.ListOptions{})
			return err
		}},
		{action: drafts.ActDocumentRead, name: "VersionPDF", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.VersionPDF(ctx, d.id, 1, 0)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "VersionPDF of changes", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.VersionPDF(ctx, d.id, 1, 1)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "CompilationPDF", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CompilationPDF(ctx, d.id, 0)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "CompilationHTML", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CompilationHTML(ctx, d.id, 0)
			return err
		}},
		{action: drafts.ActVersionCreate, name: "CreateVersion", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CreateVersion(ctx, d.id, 1, "1. One.\n\n2. Two.\n\n3. Three.\n", "m")
			return err
		}},
		{action: drafts.ActVersionCreate, name: "RenumberVersion", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.RenumberVersion(ctx, d.id, drafts.RenumberInput{Base: 1})
			return err // ECONFLICT when allowed: the numbers are clean already
		}},
		{action: drafts.ActStatusSet, name: "SetProvisionStatus", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, _, err := svc.SetProvisionStatus(ctx, d.id, 1, d.provision, drafts.ProvisionAgreed, "")
			return err
		}},
		{action: drafts.ActProposalCreate, name: "CreateProposal", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CreateProposal(ctx, d.id, withProv(d))
			return err
		}},
		{action: drafts.ActProposalRecord, name: "RecordOralProposal", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			in := withProv(d)
			in.OnBehalfOf, in.Source = "KZ", drafts.SourceOral
			_, err := svc.CreateProposal(ctx, d.id, in)
			return err
		}},
		{action: drafts.ActProposalWithdraw, name: "EditProposal", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.EditProposal(ctx, d.id, d.proposal, withProv(d), "")
			return err
		}},
		{action: drafts.ActProposalWithdraw, name: "WithdrawProposal", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.WithdrawProposal(ctx, d.id, d.proposal, "")
			return err
		}},
		{action: drafts.ActProposalCosponsor, name: "CosponsorProposal", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CosponsorProposal(ctx, d.id, d.proposal, "")
			return err
		}},
		{action: drafts.ActProposalComment, name: "CommentProposal", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CommentProposal(ctx, d.id, d.proposal, "A comment.", "")
			return err
		}},
		{action: drafts.ActProposalReject, name: "RejectProposal", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.RejectProposal(ctx, d.id, d.proposal, "No.", "")
			return err
		}},
		{action: drafts.ActMerge, name: "Merge", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.Merge(ctx, d.id, drafts.MergeInput{Base: 1, Proposals: []string{d.proposal}})
			return err
		}},
		{action: drafts.ActAdoptionOpen, name: "OpenAdoption", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.OpenAdoption(ctx, d.id, drafts.AdoptionInput{Version: 1, Procedure: drafts.ProcedureConsensus})
			return err
		}},
		{action: drafts.ActAdoptionConsent, name: "Consent", round: true, call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.Consent(ctx, d.id)
			return err
		}},
		{action: drafts.ActAdoptionObject, name: "Object", round: true, call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.Object(ctx, d.id, "No.")
			return err
		}},
		{action: drafts.ActAdoptionClose, name: "CloseAdoption", round: true, call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CloseAdoption(ctx, d.id)
			return err
		}},
		{action: drafts.ActEventsVerify, name: "VerifyEvents", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.VerifyEvents(ctx, d.id)
			return err
		}},
	}, append(append(liveCalls(), positionCalls()...), languageCalls()...)...)
}

// liveCalls are the matrix's calls of the live services (issue 24).
func liveCalls() []matrixCall {
	hook := func(svc *service.Service) (string, error) {
		w, _, err := svc.CreateWebhook(drafts.NewSystemContext(context.Background()), drafts.WebhookInput{URL: "https://portal.example.org/chancery"})
		if err != nil {
			return "", err
		}
		return w.ID, nil
	}
	return []matrixCall{
		{action: drafts.ActDocumentRead, name: "GetFocus", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.GetFocus(ctx, d.id)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "LastEvent", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.LastEvent(ctx, d.id)
			return err
		}},
		{action: drafts.ActDocumentRead, name: "Subscribe", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			sub, err := svc.Subscribe(ctx, d.id, drafts.LiveFromNow)
			if err == nil {
				sub.Close()
			}
			return err
		}},
		{action: drafts.ActFocusSet, name: "SetFocus", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.SetFocus(ctx, d.id, d.provision)
			return err
		}},
		{action: drafts.ActWebhookManage, name: "CreateWebhook", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, _, err := svc.CreateWebhook(ctx, drafts.WebhookInput{URL: "https://portal.example.org/chancery", Documents: []string{d.id}})
			return err
		}},
		{action: drafts.ActWebhookManage, name: "ListWebhooks", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ListWebhooks(ctx, drafts.ListOptions{})
			return err
		}},
		{action: drafts.ActWebhookManage, name: "ListDeliveries", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			id, err := hook(svc)
			if err != nil {
				return err
			}
			_, err = svc.ListDeliveries(ctx, id, drafts.ListOptions{})
			return err
		}},
		{action: drafts.ActWebhookManage, name: "DeleteWebhook", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			id, err := hook(svc)
			if err != nil {
				return err
			}
			return svc.DeleteWebhook(ctx, id)
		}},
	}
}

// positionCalls are the calls of positions and the state of play (issue
// 22).
func positionCalls() []matrixCall {
	read := func(name string, f func(ctx context.Context, svc *service.Service, doc string) error) matrixCall {
		return matrixCall{action: drafts.ActDocumentRead, name: name, call: func(ctx context.Context, svc *service.Service, d matrixDoc) error { return f(ctx, svc, d.id) }}
	}
	return []matrixCall{
		{action: drafts.ActPositionCreate, name: "RecordPosition", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.RecordPosition(ctx, d.id, drafts.PositionInput{Provision: d.provision, Kind: drafts.PositionSupport})
			if drafts.IsCode(err, drafts.ECONFLICT) {
				return nil // recorded by another delegate of the delegation already
			}
			return err
		}},
		{action: drafts.ActPositionWithdraw, name: "ConfirmPosition", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.ConfirmPosition(ctx, d.id, d.position, "")
			return err
		}},
		{action: drafts.ActPositionWithdraw, name: "WithdrawPosition", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.WithdrawPosition(ctx, d.id, d.position)
			if drafts.IsCode(err, drafts.ECONFLICT) {
				return nil // withdrawn by another delegate of the delegation already
			}
			return err
		}},
		read("ListPositions", func(ctx context.Context, svc *service.Service, doc string) error {
			_, err := svc.ListPositions(ctx, doc, 0, drafts.ListOptions{})
			return err
		}),
		read("StateOfPlay", func(ctx context.Context, svc *service.Service, doc string) error {
			_, err := svc.StateOfPlay(ctx, doc)
			return err
		}),
		read("StateOfPlayPDF", func(ctx context.Context, svc *service.Service, doc string) error {
			_, err := svc.StateOfPlayPDF(ctx, doc)
			return err
		}),
		read("StateOfPlaySVG", func(ctx context.Context, svc *service.Service, doc string) error {
			_, err := svc.StateOfPlaySVG(ctx, doc)
			return err
		}),
		read("StateOfPlayHTML", func(ctx context.Context, svc *service.Service, doc string) error {
			_, err := svc.StateOfPlayHTML(ctx, doc)
			return err
		}),
	}
}

// languageCalls are the calls of the matrix on language versions: the
// reads on the original language (every document has one), and the
// translations sent, on a Russian version the chair adds first.
func languageCalls() []matrixCall {
	chair := drafts.NewContextWithUser(context.Background(), &matrixSubjects[1].user)
	withRussian := func(svc *service.Service, d matrixDoc) error {
		_, err := svc.AddLanguage(chair, d.id, "ru", "1. Один.\n\n2. Два.\n")
		return err
	}
	return []matrixCall{
		{action: drafts.ActDocumentRead, name: "GetVersionIn", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			if err := withRussian(svc, d); err != nil {
				return err
			}
			_, err := svc.GetVersionIn(ctx, d.id, 1, "ru")
			return err
		}},
		{action: drafts.ActDocumentRead, name: "VersionDiffIn", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, _, _, err := svc.VersionDiffIn(ctx, d.id, 1, 1, "en")
			return err
		}},
		{action: drafts.ActDocumentRead, name: "CompileIn", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, _, err := svc.CompileIn(ctx, d.id, 0, "en")
			return err
		}},
		{action: drafts.ActDocumentRead, name: "VersionPDFIn", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			if err := withRussian(svc, d); err != nil {
				return err
			}
			_, err := svc.VersionPDFIn(ctx, d.id, 1, 0, []string{"en", "ru"})
			return err
		}},
		{action: drafts.ActDocumentRead, name: "CompilationPDFIn", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CompilationPDFIn(ctx, d.id, 0, "en")
			return err
		}},
		{action: drafts.ActDocumentRead, name: "CompilationHTMLIn", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.CompilationHTMLIn(ctx, d.id, 0, "en")
			return err
		}},
		{action: drafts.ActTranslationSet, name: "AddLanguage", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			_, err := svc.AddLanguage(ctx, d.id, "ru", "1. Один.\n\n2. Два.\n")
			return err
		}},
		{action: drafts.ActTranslationSet, name: "SetTranslation", call: func(ctx context.Context, svc *service.Service, d matrixDoc) error {
			if err := withRussian(svc, d); err != nil {
				return err
			}
			_, _, err := svc.SetTranslation(ctx, d.id, 1, d.provision, "ru", "Два, уточнено.", "")
			return err
		}},
	}
}

// TestServiceAccessMatrix calls every service method as every kind of
// user (role × own or other delegation × member or observer delegation)
// on a members-only and an observers-visible document, without HTTP: the
// service checks the policy itself, so every caller passes the same
// checks. Each case gets a fresh document, so that one subject's change
// does not decide another's outcome.
func TestServiceAccessMatrix(t *testing.T) {
	store := MustOpenLocal(t)
	svc := service.New(store, diffing.New(), MustPolicy(t))
	svc.Renderer = render.New(render.WithDeterministic(true))
	sys := drafts.NewSystemContext(context.Background())
	for _, d := range []drafts.Delegation{{ID: "KZ", Name: "Kazakhstan", Status: drafts.StatusMember}, {ID: "IN", Name: "India", Status: drafts.StatusMember}, {ID: "JP", Name: "Japan", Status: drafts.StatusObserver}} {
		if err := svc.CreateDelegation(sys, &d); err != nil {
			t.Fatal(err)
		}
	}
	throwaway := &drafts.User{Name: "throwaway", Role: drafts.RoleDelegate, Delegation: "KZ"}
	if _, err := svc.CreateUser(sys, throwaway); err != nil {
		t.Fatal(err)
	}
	chair := drafts.NewContextWithUser(context.Background(), &matrixSubjects[1].user)
	kz := drafts.NewContextWithUser(context.Background(), &matrixSubjects[3].user)
	newDoc := func(t *testing.T, vis string, round bool) matrixDoc {
		t.Helper()
		doc, v, err := svc.CreateDocument(chair, &drafts.Document{Symbol: nextSymbol(), Title: "T", Kind: "other", Body: "SWG", Language: "en", Visibility: vis}, "1. One.\n\n2. Two.\n")
		if err != nil {
			t.Fatal(err)
		}
		p, err := svc.CreateProposal(kz, doc.ID, drafts.ProposalInput{Base: 1, Operations: []drafts.Operation{{Op: "replace", Provision: v.Provisions[0].ID, Text: "Changed."}}})
		if err != nil {
			t.Fatal(err)
		}
		if round {
			if _, err := svc.OpenAdoption(chair, doc.ID, drafts.AdoptionInput{Procedure: drafts.ProcedureConsensus}); err != nil {
				t.Fatal(err)
			}
		}
		pos, err := svc.RecordPosition(kz, doc.ID, drafts.PositionInput{Provision: v.Provisions[1].ID, Kind: drafts.PositionAdRef, Visibility: drafts.VisibilityObservers})
		if err != nil {
			t.Fatal(err)
		}
		return matrixDoc{id: doc.ID, proposal: p.ID, provision: v.Provisions[1].ID, position: pos.ID}
	}
	actions := map[string]bool{}
	for _, c := range matrixCalls(throwaway.ID, "") {
		actions[c.action] = true
	}
	for _, want := range []string{drafts.ActMeRead, drafts.ActDelegationCreate, drafts.ActDelegationList, drafts.ActUserCreate, drafts.ActUserList,
		drafts.ActTokenCreate, drafts.ActTokenRevoke, drafts.ActDocumentCreate, drafts.ActDocumentList, drafts.ActDocumentRead, drafts.ActVersionCreate,
		drafts.ActStatusSet, drafts.ActProposalCreate, drafts.ActProposalWithdraw, drafts.ActProposalCosponsor, drafts.ActProposalComment,
		drafts.ActProposalReject, drafts.ActMerge, drafts.ActAdoptionOpen, drafts.ActAdoptionConsent, drafts.ActAdoptionObject,
		drafts.ActAdoptionClose, drafts.ActEventsVerify, drafts.ActFocusSet, drafts.ActWebhookManage,
		drafts.ActPositionCreate, drafts.ActPositionWithdraw, drafts.ActProposalRecord, drafts.ActTranslationSet} {
		if !actions[want] {
			t.Errorf("no call of the matrix performs %s", want)
		}
	}
	for _, membersOnly := range []bool{true, false} {
		vis := drafts.VisibilityObservers
		if membersOnly {
			vis = drafts.VisibilityMembers
		}
		for _, c := range matrixCalls(throwaway.ID, "") {
			name := c.name + "/" + vis
			t.Run(name, func(t *testing.T) {
				d := newDoc(t, vis, c.round)
				if err := c.call(context.Background(), svc, d); !drafts.IsCode(err, drafts.EUNAUTHORIZED) {
					t.Errorf("without a user: %v, want EUNAUTHORIZED", err)
				}
				for _, s := range matrixSubjects {
					// A token of its own for every revocation.
					tok, _, err := svc.IssueToken(sys, throwaway.ID)
					if err != nil {
						t.Fatal(err)
					}
					call := c.call
					if c.action == drafts.ActTokenRevoke {
						call = matrixCalls(throwaway.ID, tok.ID)[8].call
					}
					ctx := drafts.NewContextWithUser(context.Background(), &s.user)
					err = call(ctx, svc, d)
					got := allowed
					switch {
					case drafts.IsCode(err, drafts.EFORBIDDEN):
						got = denied
						e := drafts.AsError(err)
						if e.Permission != c.action || strings.Contains(e.Message, c.action) {
							t.Errorf("%s: refusal %q (permission %q) is not in words or names the wrong permission", s.name, e.Message, e.Permission)
						}
					case drafts.IsCode(err, drafts.ENOTFOUND) && strings.HasPrefix(drafts.ErrorMessage(err), "no document"):
						got = hidden
					case drafts.IsCode(err, drafts.EUNAUTHORIZED), drafts.IsCode(err, drafts.EINTERNAL), drafts.IsCode(err, drafts.ENOTFOUND):
						t.Fatalf("%s: %v", s.name, err)
					}
					if want := expectedAccess(c.action, s, membersOnly); got != want {
						t.Errorf("%s as %s: %s (%v), want %s", c.name, s.name, got, err, want)
					}
				}
			})
		}
	}
}

// TestObserversDoNotSeeMembersOnlyDocumentsInLists, through the service.
func TestObserversDoNotSeeMembersOnlyDocumentsInLists(t *testing.T) {
	svc := service.New(MustOpenLocal(t), diffing.New(), MustPolicy(t))
	chair := drafts.NewContextWithUser(context.Background(), &matrixSubjects[1].user)
	var open string
	for i, vis := range []string{drafts.VisibilityMembers, drafts.VisibilityObservers, drafts.VisibilityMembers} {
		d, _, err := svc.CreateDocument(chair, &drafts.Document{Symbol: fmt.Sprintf("S/%d", i), Title: "T", Kind: "other", Body: "SWG", Visibility: vis}, "1. A.")
		if err != nil {
			t.Fatal(err)
		}
		if vis == drafts.VisibilityObservers {
			open = d.ID
		}
	}
	for _, s := range matrixSubjects {
		ctx := drafts.NewContextWithUser(context.Background(), &s.user)
		// A page of one still finds the visible document behind hidden ones.
		page, err := svc.ListDocuments(ctx, drafts.ListOptions{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		var all []*drafts.Document
		for {
			all = append(all, page.Items...)
			if page.NextCursor == "" {
				break
			}
			if page, err = svc.ListDocuments(ctx, drafts.ListOptions{Limit: 1, Cursor: page.NextCursor}); err != nil {
				t.Fatal(err)
			}
		}
		want := 3
		if s.observer {
			want = 1
			if len(all) != 1 || all[0].ID != open {
				t.Errorf("%s sees %d documents", s.name, len(all))
			}
		}
		if len(all) != want {
			t.Errorf("%s sees %d documents, want %d", s.name, len(all), want)
		}
	}
}

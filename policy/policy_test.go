package policy_test

import (
	"slices"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/policy"
)

// allActions lists the drafts.Act* constants, written out here rather than
// taken from the policy, so that a policy that forgets one fails the test.
var allActions = []string{
	drafts.ActMeRead,
	drafts.ActDelegationCreate, drafts.ActDelegationList,
	drafts.ActUserCreate, drafts.ActUserList,
	drafts.ActTokenCreate, drafts.ActTokenRevoke,
	drafts.ActDocumentCreate, drafts.ActDocumentList, drafts.ActDocumentRead,
	drafts.ActVersionCreate, drafts.ActStatusSet,
	drafts.ActProposalCreate, drafts.ActProposalWithdraw, drafts.ActProposalCosponsor,
	drafts.ActProposalComment, drafts.ActProposalReject, drafts.ActMerge, drafts.ActProposalRecord,
	drafts.ActAdoptionOpen, drafts.ActAdoptionConsent, drafts.ActAdoptionObject, drafts.ActAdoptionClose,
	drafts.ActEventsVerify,
	drafts.ActFocusSet, drafts.ActWebhookManage,
	drafts.ActPositionCreate, drafts.ActPositionWithdraw,
	drafts.ActTranslationSet, drafts.ActTranslationList,
}

// expected is the role policy of DESIGN.md and API.md written in Go,
// independently of policy.csv: the table test compares the two.
func expected(s drafts.Subject, action string, r drafts.Resource) bool {
	var (
		secretariat    = s.Role == drafts.RoleSecretariat
		chair          = s.Role == drafts.RoleChair
		memberDelegate = s.Role == drafts.RoleDelegate && s.DelegationStatus == drafts.StatusMember
		chairHere      = chair && s.Body != "" && s.Body == r.Body
		ownProposal    = s.Delegation != "" && s.Delegation == r.Delegation
		otherProposal  = r.Delegation != "" && r.Delegation != s.Delegation
	)
	// Observers, and anyone of an observer delegation, read only what
	// observers may read; the Secretariat, chairs and member delegates
	// read everything; users of no known role (and delegates without a
	// known delegation) read nothing.
	var (
		knownRole     = slices.Contains([]string{drafts.RoleSecretariat, drafts.RoleChair, drafts.RoleDelegate, drafts.RoleObserver}, s.Role)
		observersOnly = s.Role == drafts.RoleObserver || s.DelegationStatus == drafts.StatusObserver
		readable      bool
	)
	switch {
	case !knownRole:
	case observersOnly:
		readable = r.Visibility == drafts.VisibilityObservers
	case secretariat, chair, memberDelegate:
		readable = true
	}

	switch action {
	case drafts.ActMeRead, drafts.ActDelegationList, drafts.ActDocumentList:
		return true
	case drafts.ActDelegationCreate, drafts.ActUserCreate, drafts.ActUserList, drafts.ActTokenCreate, drafts.ActTokenRevoke:
		return secretariat
	case drafts.ActDocumentCreate:
		return secretariat || chairHere
	case drafts.ActDocumentRead, drafts.ActEventsVerify:
		return readable
	case drafts.ActVersionCreate, drafts.ActStatusSet, drafts.ActProposalReject, drafts.ActMerge,
		drafts.ActAdoptionOpen, drafts.ActAdoptionClose, drafts.ActProposalRecord:
		return chairHere
	case drafts.ActProposalCreate:
		return memberDelegate
	case drafts.ActProposalWithdraw:
		return s.Role == drafts.RoleDelegate && ownProposal
	case drafts.ActProposalCosponsor:
		return memberDelegate && otherProposal
	case drafts.ActProposalComment:
		return memberDelegate || chairHere
	case drafts.ActAdoptionConsent, drafts.ActAdoptionObject:
		return memberDelegate
	case drafts.ActFocusSet:
		return chairHere
	case drafts.ActWebhookManage:
		return secretariat
	case drafts.ActPositionCreate:
		return memberDelegate
	case drafts.ActPositionWithdraw:
		return memberDelegate && ownProposal
	case drafts.ActTranslationSet:
		return secretariat || chairHere
	case drafts.ActTranslationList:
		return secretariat || chair
	}
	return false
}

// MustNew returns the default enforcer.
func MustNew(tb testing.TB) *policy.Enforcer {
	tb.Helper()
	e, err := policy.New()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// TestAuthorize checks every action for every kind of user against every
// kind of resource: role × own, other or no delegation × member, observer
// or no delegation status × chair of this body, of another, or none ×
// members-only or observers-visible document.
func TestAuthorize(t *testing.T) {
	e := MustNew(t)
	roles := []string{drafts.RoleSecretariat, drafts.RoleChair, drafts.RoleDelegate, drafts.RoleObserver, "", "admin"}
	type status struct{ delegation, status string }
	statuses := []status{{"KZ", drafts.StatusMember}, {"KZ", drafts.StatusObserver}, {"", ""}, {"KZ", "suspended"}}
	subjectBodies := []string{"SWG", ""}
	resourceDelegations := []string{"KZ", "IN", ""}
	resourceBodies := []string{"SWG", "SOC", ""}
	visibilities := []string{drafts.VisibilityMembers, drafts.VisibilityObservers, ""}
	resourceTypes := map[string]string{}
	for _, a := range allActions {
		typ, _, _ := strings.Cut(a, ":")
		resourceTypes[a] = typ
	}

	allowed := map[string]int{}
	cases := 0
	for _, role := range roles {
		for _, st := range statuses {
			for _, sb := range subjectBodies {
				s := drafts.Subject{User: "u-1", Role: role, Delegation: st.delegation, DelegationStatus: st.status, Body: sb}
				for _, rd := range resourceDelegations {
					for _, rb := range resourceBodies {
						for _, vis := range visibilities {
							r := drafts.Resource{Body: rb, Visibility: vis, Delegation: rd}
							if rd != "" {
								r.Sponsors = []string{"TR"}
							}
							for _, act := range allActions {
								r.Type = resourceTypes[act]
								cases++
								want := expected(s, act, r)
								err := e.Authorize(s, act, r)
								if got := err == nil; got != want {
									t.Errorf("Authorize(%+v, %q, %+v) allowed = %v, want %v (err %v)", s, act, r, got, want, err)
									continue
								}
								if err == nil {
									allowed[act]++
									continue
								}
								checkDenial(t, err, act)
							}
						}
					}
				}
			}
		}
	}
	// Every action is allowed to someone, and the table is not vacuous.
	for _, act := range allActions {
		if allowed[act] == 0 {
			t.Errorf("%s: allowed to nobody", act)
		}
	}
	if t.Failed() {
		return
	}
	t.Logf("%d decisions checked", cases)
}

func checkDenial(t *testing.T, err error, act string) {
	t.Helper()
	de := drafts.AsError(err)
	if de == nil {
		t.Fatalf("%s: error %v is not a *drafts.Error", act, err)
	}
	if got, want := de.Code, drafts.EFORBIDDEN; got != want {
		t.Fatalf("%s: code %q, want %q (%v)", act, got, want, err)
	}
	if got, want := de.Permission, act; got != want {
		t.Fatalf("%s: Permission %q, want %q", act, got, want)
	}
	if strings.Contains(de.Message, act) || !strings.Contains(de.Message, " may") {
		t.Fatalf("%s: message %q is not in words (it names the permission, or does not say who may)", act, de.Message)
	}
	for _, internal := range []string{"p,", "r.sub", "r.obj", "eft", "casbin", "policy.csv", "own", "allow", "deny"} {
		if strings.Contains(de.Message, internal) {
			t.Fatalf("%s: message %q shows the policy's internals (%q)", act, de.Message, internal)
		}
	}
}

// TestAuthorizeScenarios spells out the cases the issue names, as people
// would describe them.
func TestAuthorizeScenarios(t *testing.T) {
	e := MustNew(t)
	var (
		secretariat = drafts.Subject{User: "s", Role: drafts.RoleSecretariat}
		swgChair    = drafts.Subject{User: "c1", Role: drafts.RoleChair, Body: "SWG"}
		socChair    = drafts.Subject{User: "c2", Role: drafts.RoleChair, Body: "SOC"}
		kz          = drafts.Subject{User: "d1", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}
		in          = drafts.Subject{User: "d2", Role: drafts.RoleDelegate, Delegation: "IN", DelegationStatus: drafts.StatusMember}
		un          = drafts.Subject{User: "o1", Role: drafts.RoleObserver, Delegation: "UN", DelegationStatus: drafts.StatusObserver}
		obsDelegate = drafts.Subject{User: "o2", Role: drafts.RoleDelegate, Delegation: "JP", DelegationStatus: drafts.StatusObserver}

		membersDoc   = drafts.Resource{Type: "document", Body: "SWG", Visibility: drafts.VisibilityMembers}
		observersDoc = drafts.Resource{Type: "document", Body: "SWG", Visibility: drafts.VisibilityObservers}
		kzProposal   = drafts.Resource{Type: "proposal", Body: "SWG", Visibility: drafts.VisibilityObservers, Delegation: "KZ"}
	)
	tests := []struct {
		name string
		s    drafts.Subject
		act  string
		r    drafts.Resource
		want bool
	}{
		{"secretariat creates a delegation", secretariat, drafts.ActDelegationCreate, drafts.Resource{Type: "directory"}, true},
		{"chair cannot create a delegation", swgChair, drafts.ActDelegationCreate, drafts.Resource{Type: "directory"}, false},
		{"observer reads itself", un, drafts.ActMeRead, drafts.Resource{}, true},
		{"secretariat creates a document", secretariat, drafts.ActDocumentCreate, membersDoc, true},
		{"SWG chair creates an SWG document", swgChair, drafts.ActDocumentCreate, membersDoc, true},
		{"SOC chair cannot create an SWG document", socChair, drafts.ActDocumentCreate, membersDoc, false},
		{"delegate cannot create a document", kz, drafts.ActDocumentCreate, membersDoc, false},
		{"member delegate reads a members-only document", kz, drafts.ActDocumentRead, membersDoc, true},
		{"SOC chair reads an SWG document", socChair, drafts.ActDocumentRead, membersDoc, true},
		{"observer cannot read a members-only document", un, drafts.ActDocumentRead, membersDoc, false},
		{"observer reads an observers-visible document", un, drafts.ActDocumentRead, observersDoc, true},
		{"observer delegation's delegate cannot read a members-only document", obsDelegate, drafts.ActDocumentRead, membersDoc, false},
		{"observer delegation's delegate reads an observers-visible document", obsDelegate, drafts.ActDocumentRead, observersDoc, true},
		{"observer verifies an observers-visible trail", un, drafts.ActEventsVerify, observersDoc, true},
		{"observer cannot verify a members-only trail", un, drafts.ActEventsVerify, membersDoc, false},
		{"SWG chair merges", swgChair, drafts.ActMerge, membersDoc, true},
		{"SOC chair cannot merge into an SWG document", socChair, drafts.ActMerge, membersDoc, false},
		{"secretariat cannot merge", secretariat, drafts.ActMerge, membersDoc, false},
		{"SWG chair opens adoption", swgChair, drafts.ActAdoptionOpen, membersDoc, true},
		{"member delegate proposes", kz, drafts.ActProposalCreate, membersDoc, true},
		{"observer delegation's delegate cannot propose", obsDelegate, drafts.ActProposalCreate, observersDoc, false},
		{"observer cannot propose", un, drafts.ActProposalCreate, observersDoc, false},
		{"KZ withdraws its proposal", kz, drafts.ActProposalWithdraw, kzProposal, true},
		{"IN cannot withdraw KZ's proposal", in, drafts.ActProposalWithdraw, kzProposal, false},
		{"SWG chair cannot withdraw KZ's proposal", swgChair, drafts.ActProposalWithdraw, kzProposal, false},
		{"IN co-sponsors KZ's proposal", in, drafts.ActProposalCosponsor, kzProposal, true},
		{"KZ cannot co-sponsor its own proposal", kz, drafts.ActProposalCosponsor, kzProposal, false},
		{"observer delegation cannot co-sponsor", obsDelegate, drafts.ActProposalCosponsor, kzProposal, false},
		{"IN comments on KZ's proposal", in, drafts.ActProposalComment, kzProposal, true},
		{"SWG chair comments", swgChair, drafts.ActProposalComment, kzProposal, true},
		{"SOC chair cannot comment on an SWG proposal", socChair, drafts.ActProposalComment, kzProposal, false},
		{"observer cannot comment", un, drafts.ActProposalComment, kzProposal, false},
		{"SWG chair rejects", swgChair, drafts.ActProposalReject, kzProposal, true},
		{"member delegate consents", kz, drafts.ActAdoptionConsent, membersDoc, true},
		{"member delegate objects", in, drafts.ActAdoptionObject, membersDoc, true},
		{"observer cannot object", un, drafts.ActAdoptionObject, observersDoc, false},
		{"observer delegation cannot consent", obsDelegate, drafts.ActAdoptionConsent, observersDoc, false},
		{"chair cannot consent", swgChair, drafts.ActAdoptionConsent, membersDoc, false},
		{"unknown action", secretariat, "document:destroy", membersDoc, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.Authorize(tt.s, tt.act, tt.r)
			if got := err == nil; got != tt.want {
				t.Fatalf("allowed = %v, want %v (err %v)", got, tt.want, err)
			}
			if err != nil {
				checkDenial(t, err, tt.act)
			}
		})
	}
}

func TestDenialMessage(t *testing.T) {
	e := MustNew(t)
	err := e.Authorize(drafts.Subject{User: "d", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember},
		drafts.ActMerge, drafts.Resource{Type: "document", Body: "SWG", Visibility: drafts.VisibilityMembers})
	if got, want := drafts.ErrorMessage(err), "only the chair of this document's body may merge proposals into it"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	err = e.Authorize(drafts.Subject{Role: drafts.RoleSecretariat}, "thing:do", drafts.Resource{})
	if got, want := drafts.ErrorMessage(err), "you may not do this"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestActions(t *testing.T) {
	got := policy.Actions()
	want := slices.Clone(allActions)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Actions() = %q\nwant %q", got, want)
	}
	if !slices.IsSorted(got) {
		t.Errorf("Actions() not sorted: %q", got)
	}
}

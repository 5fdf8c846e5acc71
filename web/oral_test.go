package web_test

import (
	"net/url"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestChairRecordsOralProposal: the chair, who proposes nothing of
// their own, opens the editor from the document page as "Record an oral
// proposal", changes a provision where it stands on behalf of Kazakhstan
// (a member; Japan, an observer, is not offered), previews and submits:
// the proposal is Kazakhstan's, made orally, and its page says so. A
// delegate's editor offers no such choice, and a delegate cannot send it.
func TestChairRecordsOralProposal(t *testing.T) {
	e := newEnv(t)
	doc := "/documents/" + e.Members.ID
	chair := newClient(t, e, "chair")
	if _, body := chair.get(doc); !strings.Contains(body, `href="`+doc+`/proposals/new">Record an oral proposal</a>`) {
		t.Fatal("the chair's document page offers no way to record an oral proposal")
	}
	st, body := chair.get(doc + "/proposals/new")
	if st != 200 || !strings.Contains(body, "<h1>Record an oral proposal</h1>") || !strings.Contains(body, `name="on_behalf_of"`) {
		t.Fatalf("the chair's editor (%d) has no choice of the delegation", st)
	}
	if !strings.Contains(body, `<option value="KZ">Kazakhstan (KZ)</option>`) || strings.Contains(body, `value="JP"`) || strings.Contains(body, "Your own delegation") {
		t.Errorf("the chair's choices are not the member delegations alone")
	}
	v, err := e.svc.GetVersion(e.as("KZ"), e.Members.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	target := v.Provisions[2]
	form := url.Values{"base": {"1"}, "open": {target.ID}, "text." + target.ID: {strings.Replace(target.Text, "eight clusters", "nine clusters", 1)},
		"justification": {"Said aloud."}, "on_behalf_of": {"KZ"}, "action": {"preview"}}
	if st, body = chair.post(doc+"/proposals", form); st != 200 || !strings.Contains(body, "nine") || !strings.Contains(body, `<option value="KZ" selected>`) {
		t.Fatalf("the chair's preview (%d) lost the change or the delegation", st)
	}
	form.Set("action", "submit")
	st, body = chair.post(doc+"/proposals", form)
	if st != 200 || !strings.Contains(body, "<h1>Proposal 1 (Kazakhstan)</h1>") || !strings.Contains(body, "made orally, recorded by the chair") ||
		!strings.Contains(body, "Proposal 1 (Kazakhstan) submitted.") {
		t.Fatalf("after submitting (%d, at %s) the page does not name Kazakhstan's oral proposal", st, chair.last)
	}
	p, err := e.svc.GetProposal(e.as("KZ"), e.Members.ID, "1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Delegation != "KZ" || p.Source != drafts.SourceOral {
		t.Errorf("stored as %s, source %q; want KZ, oral", p.Delegation, p.Source)
	}

	kz := newClient(t, e, "KZ")
	if _, body := kz.get(doc + "/proposals/new"); strings.Contains(body, `name="on_behalf_of"`) {
		t.Errorf("a delegate's editor offers to record oral proposals")
	}
	form.Set("on_behalf_of", "IN")
	form.Set("formkey", "")
	if st, _ := kz.post(doc+"/proposals", form); st != 403 {
		t.Errorf("a delegate recording an oral proposal for India: %d, want 403", st)
	}
}

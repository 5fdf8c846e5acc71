package web_test

import (
	"strings"
	"testing"

	"chancery/drafts"
)

// TestCompilationCounts: the compilation's heading counts its proposals
// and delegations in words that agree with the numbers, in English, and
// in the Russian form with the count after a colon.
func TestCompilationCounts(t *testing.T) {
	e := newEnv(t)
	kz, in := newClient(t, e, "KZ"), newClient(t, e, "IN")
	doc := e.Open.ID
	v, err := e.svc.GetVersion(e.as("KZ"), doc, 1)
	if err != nil {
		t.Fatal(err)
	}
	propose := func(who, text string) {
		t.Helper()
		if _, err := e.svc.CreateProposal(e.as(who), doc, drafts.ProposalInput{Base: 1, Justification: "why",
			Operations: []drafts.Operation{{Op: drafts.OpReplace, Provision: v.Provisions[0].ID, Text: text}}}); err != nil {
			t.Fatal(err)
		}
	}
	heading := func(c *client) string {
		t.Helper()
		_, body := c.get("/documents/" + doc + "/compilation")
		i := strings.Index(body, "Version 1 of ")
		if i < 0 {
			t.Fatalf("the compilation has no heading naming its version:\n%.2000s", body)
		}
		return body[i : i+strings.Index(body[i:], " ·")]
	}
	sym := e.Open.Symbol
	propose("KZ", "The Working Group met in Almaty.")
	if got, want := heading(kz), "Version 1 of "+sym+", 1 open proposal by 1 delegation"; got != want {
		t.Errorf("one proposal: %q, want %q", got, want)
	}
	propose("KZ", "The Working Group met in Aktau.")
	if got, want := heading(kz), "Version 1 of "+sym+", 2 open proposals by 1 delegation"; got != want {
		t.Errorf("two proposals of one delegation: %q, want %q", got, want)
	}
	propose("IN", "The Working Group met in Delhi.")
	if got, want := heading(in), "Version 1 of "+sym+", 3 open proposals by 2 delegations"; got != want {
		t.Errorf("three proposals of two delegations: %q, want %q", got, want)
	}
	_, body := in.get("/lang?to=ru&next=/documents/" + doc + "/compilation")
	if !strings.Contains(body, "Редакция 1 документа "+sym+": открытых поправок 3 от делегаций: 2") {
		t.Errorf("the Russian heading does not give the counts after a colon")
	}
}

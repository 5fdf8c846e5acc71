package drafts_test

import (
	"fmt"
	"strings"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
)

// version makes version n of a text, its provisions with the given ids.
func testVersion(t *testing.T, n int, text string, ids ...string) *drafts.Version {
	t.Helper()
	parsed, err := drafts.ParseText(text, drafts.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed.Provisions) != len(ids) {
		t.Fatalf("%d provisions, %d ids", len(parsed.Provisions), len(ids))
	}
	for i := range parsed.Provisions {
		parsed.Provisions[i].ID = ids[i]
		parsed.Provisions[i].Status = drafts.ProvisionPending
	}
	return &drafts.Version{Document: "d", Number: n, Provisions: parsed.Provisions}
}

// TestCompileProposals: the compilation as a pure function, table by table.
func TestCompileProposals(t *testing.T) {
	v1 := testVersion(t, 1, "1. One.\n\n2. Two.\n\n3. Three.\n", "a", "b", "c")
	v2 := testVersion(t, 2, "1. One.\n\n2. Two, revised.\n\n3. Three.\n", "a", "b", "c")
	prop := func(id, delegation string, base int, ops ...drafts.Operation) *drafts.Proposal {
		return &drafts.Proposal{ID: id, Delegation: delegation, Base: base, Operations: ops, Justification: "by " + delegation}
	}
	replace := func(p, text string) drafts.Operation {
		return drafts.Operation{Op: "replace", Provision: p, Text: text}
	}
	tests := []struct {
		name string
		v    *drafts.Version
		open []*drafts.Proposal
		// want lists, per provision id ("" for before the first), its
		// entries as "op:text:delegations".
		want map[string][]string
	}{
		{name: "nothing open", v: v1, want: map[string][]string{}},
		{
			name: "identical changes are one entry",
			v:    v1,
			open: []*drafts.Proposal{prop("p1", "KZ", 1, replace("a", "Uno.")), prop("p2", "IN", 1, replace("a", "Uno."))},
			want: map[string][]string{"a": {"replace:Uno.:KZ,IN"}},
		},
		{
			name: "different changes are two",
			v:    v1,
			open: []*drafts.Proposal{prop("p1", "KZ", 1, replace("a", "Uno.")), prop("p2", "IN", 1, replace("a", "Eins."))},
			want: map[string][]string{"a": {"replace:Uno.:KZ", "replace:Eins.:IN"}},
		},
		{
			name: "an insertion goes under the provision it follows",
			v:    v1,
			open: []*drafts.Proposal{prop("p1", "KZ", 1, drafts.Operation{Op: "insert", After: "b", Text: "2bis. New.", ID: "n1"})},
			want: map[string][]string{"b": {"insert:2bis. New.:KZ"}},
		},
		{
			name: "a deletion",
			v:    v1,
			open: []*drafts.Proposal{prop("p1", "TR", 1, drafts.Operation{Op: "delete", Provision: "c"})},
			want: map[string][]string{"c": {"delete::TR"}},
		},
		{
			name: "a proposal on an older base is rebased onto the version",
			v:    v2,
			open: []*drafts.Proposal{prop("p1", "KZ", 1, replace("c", "Drei."))},
			want: map[string][]string{"c": {"replace:Drei.:KZ"}},
		},
		{
			name: "a proposal whose base is unknown is left out",
			v:    v1,
			open: []*drafts.Proposal{prop("p1", "KZ", 7, replace("a", "Uno."))},
			want: map[string][]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bases := map[int]*drafts.Version{1: v1, tt.v.Number: tt.v}
			n := 0
			newID := func() string { n++; return fmt.Sprintf("x%d", n) }
			c := drafts.CompileProposals(diffing.New(), drafts.Limits{}, newID, tt.v, bases, tt.open)
			if c.Version != tt.v.Number || c.Document != "d" {
				t.Errorf("compilation of %s version %d", c.Document, c.Version)
			}
			got := map[string][]string{}
			ids := []string{}
			for _, e := range c.Entries {
				ids = append(ids, e.Provision.ID)
				for _, cp := range e.Proposals {
					got[e.Provision.ID] = append(got[e.Provision.ID], cp.Op+":"+cp.Text+":"+strings.Join(cp.Delegations, ","))
				}
			}
			if strings.Join(ids, ",") != "a,b,c" {
				t.Errorf("entries for %v, want one per provision in order", ids)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

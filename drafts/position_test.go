package drafts_test

import (
	"strings"
	"testing"

	"chancery/drafts"
)

// TestPositionStanding: a position stands on the text while its
// provision's words are unchanged (renumbering aside), on an earlier text
// once they change, and on a removed provision once it is gone; a
// position on the whole text follows every provision's words.
func TestPositionStanding(t *testing.T) {
	v1 := &drafts.Version{Number: 1, Provisions: []drafts.Provision{{ID: "a", Number: "6.", Text: "Consensus."}, {ID: "b", Number: "7.", Text: "Silence."}}}
	on := func(id string) *drafts.Position {
		h, _ := drafts.PositionTextHash(v1, id)
		return &drafts.Position{ID: "x" + id, Provision: id, Since: 1, Version: 1, TextHash: h, State: drafts.PositionOpen}
	}
	ps := []*drafts.Position{on("a"), on("b"), on("")}
	tests := []struct {
		name string
		v    *drafts.Version
		want []string
	}{
		{"same text", v1, []string{"current", "current", "current"}},
		{"renumbered", &drafts.Version{Number: 2, Provisions: []drafts.Provision{{ID: "a", Number: "5.", Text: "Consensus."}, {ID: "b", Number: "6.", Text: "Silence."}}}, []string{"current", "current", "current"}},
		{"b changed", &drafts.Version{Number: 2, Provisions: []drafts.Provision{{ID: "a", Number: "6.", Text: "Consensus."}, {ID: "b", Number: "7.", Text: "Silence, if any."}}}, []string{"current", "earlier-text", "earlier-text"}},
		{"b removed", &drafts.Version{Number: 2, Provisions: []drafts.Provision{{ID: "a", Number: "6.", Text: "Consensus."}}}, []string{"current", "provision-removed", "earlier-text"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := drafts.PositionsIn(tt.v, ps, "")
			for i, p := range got {
				if p.Standing != tt.want[i] {
					t.Errorf("%s: %s, want %s", p.ID, p.Standing, tt.want[i])
				}
			}
			if ps[0].Standing != "" {
				t.Errorf("PositionsIn changed what it was given")
			}
		})
	}
	withdrawn := &drafts.Position{Since: 1, State: drafts.PositionWithdrawn, WithdrawnIn: 3}
	for n, want := range map[int]bool{1: true, 2: true, 3: false, 4: false} {
		if got := withdrawn.OpenIn(n); got != want {
			t.Errorf("withdrawn while version 3 was the head: open in %d = %v", n, got)
		}
	}
}

// TestPositionNote: the footnotes of the adopted text, in the forum's
// words, in English and Russian; support and ad ref are not recorded.
func TestPositionNote(t *testing.T) {
	kz := &drafts.Position{Delegation: "KZ", DelegationName: "Kazakhstan", Kind: drafts.PositionReservation}
	in := &drafts.Position{Delegation: "IN", DelegationName: "India", Kind: drafts.PositionStatement, Text: "A political commitment"}
	stale := *kz
	stale.Standing, stale.Text = drafts.StandingEarlierText, "Only by consensus."
	tests := []struct {
		lang, kind string
		p          *drafts.Position
		want       string
	}{
		{"en", drafts.KindParagraph, kz, "The delegation of Kazakhstan reserved its position on this paragraph."},
		{"en", "", in, "Statement by the delegation of India: A political commitment."},
		{"en", drafts.KindItem, &stale, "The delegation of Kazakhstan reserved its position on an earlier text of this subparagraph: Only by consensus."},
		{"ru", drafts.KindParagraph, kz, "Делегация (Kazakhstan) оговорила свою позицию по данному пункту."},
		{"ru", "", in, "Заявление делегации (India): A political commitment."},
		{"ru", drafts.KindParagraph, &stale, "Делегация (Kazakhstan) оговорила свою позицию в отношении прежней редакции данного пункта: Only by consensus."},
		{"en", drafts.KindParagraph, &drafts.Position{Kind: drafts.PositionAdRef, Delegation: "CN"}, ""},
		{"en", drafts.KindParagraph, &drafts.Position{Kind: drafts.PositionSupport, Delegation: "CN"}, ""},
	}
	for _, tt := range tests {
		if got := drafts.PositionNote(tt.lang, tt.p, tt.kind); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.lang, tt.p.Kind, got, tt.want)
		}
	}
}

// TestNotAgreedError names what keeps a text from adoption, in words.
func TestNotAgreedError(t *testing.T) {
	if drafts.NotAgreedError(nil) != nil {
		t.Fatal("nothing in the way, yet an error")
	}
	v := &drafts.Version{Provisions: []drafts.Provision{{ID: "a", Kind: drafts.KindParagraph, Number: "7.", Status: drafts.ProvisionBracketed},
		{ID: "h", Kind: drafts.KindHeading, Number: "#", Text: "Cluster II. Decision-making", Status: drafts.ProvisionBracketed}}}
	ps := []*drafts.Position{{Delegation: "KZ", DelegationName: "Kazakhstan", Kind: drafts.PositionCannotJoin, Text: "Too short.", Standing: drafts.StandingEarlierText},
		{Delegation: "IN", Kind: drafts.PositionReservation}}
	err := drafts.NotAgreedError(drafts.NotAgreed(v, ps))
	e := drafts.AsError(err)
	if e == nil || e.Code != drafts.ENOTAGREED || len(e.NotAgreed) != 3 {
		t.Fatalf("err = %v", err)
	}
	for _, w := range []string{"paragraph 7 is in square brackets", "“Cluster II. Decision-making” is in square brackets",
		"Kazakhstan (KZ) cannot join consensus on the text (on an earlier text: the delegation may confirm or withdraw it): “Too short.”"} {
		if !strings.Contains(e.Message, w) {
			t.Errorf("%q lacks %q", e.Message, w)
		}
	}
}

// TestPositionInput: the kinds and the words each needs.
func TestPositionInput(t *testing.T) {
	for _, tt := range []struct {
		in    drafts.PositionInput
		field string
	}{
		{drafts.PositionInput{Kind: "support"}, ""},
		{drafts.PositionInput{Kind: "ad-ref"}, ""},
		{drafts.PositionInput{Kind: "reservation"}, "text"},
		{drafts.PositionInput{Kind: "statement", Text: "  "}, "text"},
		{drafts.PositionInput{Kind: "cannot-join", Text: "Too short."}, ""},
		{drafts.PositionInput{Kind: "veto"}, "kind"},
		{drafts.PositionInput{Kind: "support", Visibility: "public"}, "visibility"},
	} {
		err := tt.in.Validate()
		var got string
		if e := drafts.AsError(err); e != nil && len(e.Fields) > 0 {
			got = e.Fields[0].Field
		}
		if got != tt.field {
			t.Errorf("%+v: field %q (%v), want %q", tt.in, got, err, tt.field)
		}
	}
}

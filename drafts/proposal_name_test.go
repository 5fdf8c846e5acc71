package drafts_test

import (
	"testing"

	"chancery/drafts"
)

func TestProposalName(t *testing.T) {
	kz := &drafts.Delegation{ID: "KZ", Name: "Kazakhstan", NameRu: "Казахстан", Status: drafts.StatusMember}
	in := &drafts.Delegation{ID: "IN", Name: "India", Status: drafts.StatusMember}
	p7 := &drafts.Proposal{ID: "abc", Number: 7, Delegation: "KZ"}
	p9 := &drafts.Proposal{ID: "def", Number: 9, Delegation: "IN", Amends: "abc", AmendsNumber: 7}
	tests := []struct {
		name, got, want string
	}{
		{"english", p7.Name("en", kz), "Proposal 7 (Kazakhstan)"},
		{"russian", p7.Name("ru", kz), "Предложение 7 (Казахстан)"},
		{"russian region", p7.Name("ru-RU", kz), "Предложение 7 (Казахстан)"},
		{"no directory entry: the code", p7.Name("en", nil), "Proposal 7 (KZ)"},
		{"no Russian name: the name", p9.Name("ru", in), "Предложение 9 (India), поправка к предложению 7"},
		{"sub-amendment", p9.Name("en", in), "Proposal 9 (India), amending Proposal 7"},
		{"ref", p9.Ref().Name("en", in), "Proposal 9 (India), amending Proposal 7"},
		{"no delegation", drafts.ProposalName("en", 3, "", 0), "Proposal 3"},
		{"other language: English", drafts.ProposalName("fr", 3, "Inde", 0), "Proposal 3 (Inde)"},
		{"oral", drafts.OralNote("en"), "made orally, recorded by the chair"},
		{"oral, Russian", drafts.OralNote("ru"), "внесено устно, записано председателем"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestProposalNumber(t *testing.T) {
	for ref, want := range map[string]int{"7": 7, "0007": 0, "123456789": 123456789, "0": 0, "": 0, "7a": 0, "rkbjlxlz7q": 0, "1234567890": 0, "-1": 0} {
		n, ok := drafts.ProposalNumber(ref)
		if n != want || ok != (want > 0) {
			t.Errorf("ProposalNumber(%q) = %d, %v; want %d", ref, n, ok, want)
		}
	}
}

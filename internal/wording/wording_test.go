package wording_test

import (
	"testing"
	"time"

	"chancery/drafts"
	"chancery/internal/wording"
)

func TestAdoption(t *testing.T) {
	on := time.Date(2024, 4, 2, 10, 0, 0, 0, time.UTC)
	v := &drafts.Version{Number: 2}
	doc := &drafts.Document{}
	adopted := &drafts.Document{Adopted: 2, AdoptedBy: drafts.ProcedureConsensus, AdoptedAt: &on}
	consensus := &drafts.AdoptionRound{Version: 2, State: drafts.RoundAdopted, Procedure: drafts.ProcedureConsensus, ClosedAt: &on}
	silence := &drafts.AdoptionRound{Version: 2, State: drafts.RoundAdopted, Procedure: drafts.ProcedureSilence, Deadline: &on}
	open := &drafts.AdoptionRound{Version: 2, State: drafts.RoundOpen, Procedure: drafts.ProcedureSilence, Deadline: &on}
	for _, c := range []struct {
		name, lang string
		doc        *drafts.Document
		round      *drafts.AdoptionRound
		want       string
	}{
		{"draft", "en", doc, nil, "Draft, not adopted."},
		{"consensus", "en", doc, consensus, "Adopted by consensus on 2 April 2024."},
		{"consensus in Russian: one full stop after г.", "ru", doc, consensus, "Принято консенсусом 2 апреля 2024 г."},
		{"silence", "en", doc, silence, "Adopted by silence procedure; the silence period ended on 2 April 2024, 10:00 UTC."},
		{"open silence", "en", doc, open, "Draft under silence procedure until 2 April 2024, 10:00 UTC."},
		{"adopted, round gone", "ru", adopted, nil, "Принято консенсусом 2 апреля 2024 г."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := wording.For(c.lang).Adoption(c.doc, v, c.round); got != c.want {
				t.Errorf("Adoption = %q, want %q", got, c.want)
			}
		})
	}
}

package service

import (
	"testing"
	"time"

	"chancery/drafts"
)

// TestKeysReadBack: every key the service makes for a document's objects
// reads back as what it was made from.
func TestKeysReadBack(t *testing.T) {
	const doc = "d1"
	for _, n := range []int{1, 7, 12345678, 123456789} {
		if got, err := numberOfKey(versionKey(doc, n), versionsPrefix(doc)); err != nil || got != n {
			t.Errorf("numberOfKey(versionKey(%d)) = %d, %v", n, got, err)
		}
		if got, err := numberOfKey(statusKey(doc, n), statusesPrefix(doc)); err != nil || got != n {
			t.Errorf("numberOfKey(statusKey(%d)) = %d, %v", n, got, err)
		}
	}
	for _, seq := range []int64{1, 42, 999999999999} {
		if got, err := eventOfKey(eventKey(doc, seq), eventsPrefix(doc)); err != nil || got != seq {
			t.Errorf("eventOfKey(eventKey(%d)) = %d, %v", seq, got, err)
		}
		if got, err := eventOfKey(directoryEventKey(seq), directoryEventsPrefix); err != nil || got != seq {
			t.Errorf("eventOfKey(directoryEventKey(%d)) = %d, %v", seq, got, err)
		}
	}
	for _, key := range []string{proposalKey(doc, "p1x"), legacyProposalKey(doc, "p1x")} {
		if got, err := proposalOfKey(key, proposalsPrefix(doc)); err != nil || got != "p1x" {
			t.Errorf("proposalOfKey(%s) = %q, %v", key, got, err)
		}
	}
	if got, err := roundOfKey(roundKey(doc, "r9"), roundsPrefix(doc)); err != nil || got != "r9" {
		t.Errorf("roundOfKey = %q, %v", got, err)
	}
	if got, err := documentOfKey(documentKey(doc)); err != nil || got != doc {
		t.Errorf("documentOfKey = %q, %v", got, err)
	}
	deadline := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	at, d, r, err := dueOfKey(dueKey(&drafts.AdoptionRound{ID: "r9", Document: doc, Deadline: &deadline}))
	if err != nil || !at.Equal(deadline) || d != doc || r != "r9" {
		t.Errorf("dueOfKey = %v, %q, %q, %v", at, d, r, err)
	}
	for _, key := range []string{versionKey(doc, 2), eventHeadKey(doc), documentKey(doc), proposalKey(doc, "abc")} {
		if got, ok := documentOfAnyKey(key); !ok || got != doc {
			t.Errorf("documentOfAnyKey(%s) = %q, %v", key, got, ok)
		}
	}
	for _, key := range []string{tokenKey("t1"), sessionKey("s1"), symbolKey("S/1"), "texts/../x"} {
		if got, ok := documentOfAnyKey(key); ok {
			t.Errorf("documentOfAnyKey(%s) = %q, want none", key, got)
		}
	}
}

// TestUnreadableKeysAreErrors: a key under a prefix that is not one the
// service makes is an error, never taken for something else or skipped.
func TestUnreadableKeysAreErrors(t *testing.T) {
	const doc = "d1"
	number := func(prefix string) func(string) error {
		return func(key string) error { _, err := numberOfKey(key, prefix); return err }
	}
	event := func(key string) error { _, err := eventOfKey(key, eventsPrefix(doc)); return err }
	proposal := func(key string) error { _, err := proposalOfKey(key, proposalsPrefix(doc)); return err }
	round := func(key string) error { _, err := roundOfKey(key, roundsPrefix(doc)); return err }
	document := func(key string) error { _, err := documentOfKey(key); return err }
	due := func(key string) error { _, _, _, err := dueOfKey(key); return err }
	for _, c := range []struct {
		key  string
		read func(string) error
	}{
		{versionsPrefix(doc) + "latest.json", number(versionsPrefix(doc))},
		{versionsPrefix(doc) + "7.json", number(versionsPrefix(doc))},
		{versionKey(doc, 0), number(versionsPrefix(doc))},
		{versionsPrefix(doc) + "a/00000001.json", number(versionsPrefix(doc))},
		{statusesPrefix(doc) + "00000001.txt", number(statusesPrefix(doc))},
		{eventsPrefix(doc) + "1.json", event},
		{proposalsPrefix(doc) + "q/p1x.json", proposal},
		{proposalsPrefix(doc) + "P!.json", proposal},
		{roundsPrefix(doc) + "r9.bak", round},
		{documentsPrefix + "D 1.json", document},
		{roundsDuePrefix + "soon_d1_r9.json", due},
	} {
		if err := c.read(c.key); !drafts.IsCode(err, drafts.EINTERNAL) {
			t.Errorf("%s: got %v, want an internal error", c.key, err)
		}
	}
}

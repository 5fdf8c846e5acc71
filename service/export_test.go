package service

import (
	"strings"

	"chancery/drafts"
)

// DecodedRecord makes a new record of one kind that getMutable keeps
// decoded, and copies one as getMutable does.
type DecodedRecord struct {
	New   func() any
	Clone func(any) any
}

// DecodedRecords are the kinds of record getMutable and readListed keep
// decoded, so a test can check that their copies are whole and their own.
var DecodedRecords = map[string]DecodedRecord{
	"token":      {func() any { return new(drafts.Token) }, func(v any) any { return cloneToken(v.(*drafts.Token)) }},
	"document":   {func() any { return new(storedDocument) }, func(v any) any { return cloneStoredDocument(v.(*storedDocument)) }},
	"statuses":   {func() any { return new(provisionStatuses) }, func(v any) any { return cloneProvisionStatuses(v.(*provisionStatuses)) }},
	"version":    {func() any { return new(drafts.Version) }, func(v any) any { return cloneVersion(v.(*drafts.Version)) }},
	"proposal":   {func() any { return new(drafts.Proposal) }, func(v any) any { return cloneProposal(v.(*drafts.Proposal)) }},
	"user":       {func() any { return new(drafts.User) }, func(v any) any { return cloneUser(v.(*drafts.User)) }},
	"delegation": {func() any { return new(drafts.Delegation) }, func(v any) any { return cloneDelegation(v.(*drafts.Delegation)) }},
	"webhook":    {func() any { return new(storedWebhook) }, func(v any) any { return cloneStoredWebhook(v.(*storedWebhook)) }},
	"delivery":   {func() any { return new(drafts.Delivery) }, func(v any) any { return cloneDelivery(v.(*drafts.Delivery)) }},
	"positions":  {func() any { return new(storedPositions) }, func(v any) any { return clonePositions(v.(*storedPositions)) }},
}

// AfterPoll makes s call f after each poll of a live watcher (and its
// check of whether it retires).
func AfterPoll(s *Service, f func(doc string)) { s.live.afterPoll = f }

// FreshWaiting is how many callers wait for a shared read that has not
// begun yet (freshReads), over the keys containing part.
func FreshWaiting(s *Service, part string) int {
	s.fresh.mu.Lock()
	defer s.fresh.mu.Unlock()
	n := 0
	for key, st := range s.fresh.state {
		if st.next != nil && strings.Contains(key, part) {
			n += st.next.callers
		}
	}
	return n
}

// CarriedOver is how many proposals' diffs s's compilations took over
// from the version before.
func CarriedOver(s *Service) int64 { return s.carried.Load() }

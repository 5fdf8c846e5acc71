package service

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"chancery/drafts"
)

// This file lists the stored changes of a trail, each with the event it
// owes, for completion and verification: every kind of object that a
// change writes is listed here, and nothing else may hold a change. A
// stored key a lister cannot read is an error: no change may drop out of
// the audit unnoticed.

// storedChange is a stored change: its name, when it was made, and the
// event it owes.
type storedChange struct {
	name  string
	at    time.Time
	entry func(context.Context) (*drafts.AuditEntry, error)
}

// entryChange is the stored change an entry records.
func entryChange(a drafts.AuditEntry) storedChange {
	return storedChange{name: a.Change, at: a.At, entry: func(context.Context) (*drafts.AuditEntry, error) { return &a, nil }}
}

// entriesChanges are the changes entries record.
func entriesChanges(entries []drafts.AuditEntry) []storedChange {
	out := make([]storedChange, len(entries))
	for i, a := range entries {
		out[i] = entryChange(a)
	}
	return out
}

// changeLister lists the stored changes of one kind of object of a
// trail, reading from st.
type changeLister func(ctx context.Context, st drafts.ObjectStore, t trail, sc *chainScan) ([]storedChange, error)

func (s *Service) listers(t trail) []changeLister {
	if t.doc == "" {
		return []changeLister{s.delegationChanges, s.userChanges, s.tokenChanges, s.webhookChanges, s.webhookRemovalChanges}
	}
	return []changeLister{s.documentChanges, s.versionChanges, s.proposalChanges, s.roundChanges, s.statusChanges,
		s.positionChanges, s.translationChanges, s.focusChanges, s.numberingChanges}
}

// storedChanges lists every stored change of a trail in the order the
// changes were made (as far as stored times tell).
func (s *Service) storedChanges(ctx context.Context, t trail, st drafts.ObjectStore, sc *chainScan) ([]storedChange, error) {
	var out []storedChange
	seen := map[string]bool{}
	for _, list := range s.listers(t) {
		changes, err := list(ctx, st, t, sc)
		if err != nil {
			return nil, err
		}
		// A change two objects carry (a removed webhook's creation, kept
		// with its removal) is one change.
		for _, c := range changes {
			if !seen[c.name] {
				seen[c.name] = true
				out = append(out, c)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out, nil
}

// unrecorded returns the stored changes of a trail that no event of the
// scanned chain records.
func (s *Service) unrecorded(ctx context.Context, t trail, st drafts.ObjectStore, sc *chainScan) ([]storedChange, error) {
	all, err := s.storedChanges(ctx, t, st, sc)
	if err != nil {
		return nil, err
	}
	var missing []storedChange
	for _, c := range all {
		if !sc.recorded(c.name) {
			missing = append(missing, c)
		}
	}
	return missing, nil
}

// Change names. Each names one change, forever.

func versionChange(n int) string { return versionRefChange(strconv.Itoa(n)) }

func versionRefChange(ref string) string { return "version/" + ref }

func documentChange(id string) string { return "document/" + id }

func proposalChange(id string) string { return "proposal/" + id }

// proposalOfChange returns the proposal a change's name names, and the
// revision it made: n of "proposal/<id>/<n>", 1 of "proposal/<id>" (its
// creation).
func proposalOfChange(change string) (id string, rev int, ok bool) {
	rest, ok := strings.CutPrefix(change, "proposal/")
	if !ok {
		return "", 0, false
	}
	id, n, more := strings.Cut(rest, "/")
	if !drafts.ValidID(id) {
		return "", 0, false
	}
	if !more {
		return id, 1, true
	}
	rev, err := strconv.Atoi(n)
	if err != nil || rev < 1 {
		return "", 0, false
	}
	return id, rev, true
}

// proposalNextChange names the change of p after those it has.
func proposalNextChange(p *drafts.Proposal) string {
	return fmt.Sprintf("proposal/%s/%d", p.ID, len(p.Audit)+1)
}

func roundChange(id string) string { return "round/" + id }

func roundEndChange(id string) string { return "round/" + id + "/end" }

// roundNextChange names the change of r after those it has.
func roundNextChange(r *drafts.AdoptionRound) string {
	return fmt.Sprintf("round/%s/%d", r.ID, len(r.Audit)+1)
}

func statusChangeOf(n, rev int) string { return fmt.Sprintf("status/%d/%d", n, rev) }

func delegationChange(id string) string { return "delegation/" + id }

func userChange(id string) string { return "user/" + id }

func tokenChange(id string) string { return "token/" + id }

func tokenRevokeChange(id string) string { return "token/" + id + "/revoke" }

// readAllIn reads every object under prefix from st, several at a time,
// into new Ts, after checking each key with check, and returns them with
// their keys; an object removed since it was listed is left out.
func readAllIn[T any](ctx context.Context, s *Service, st drafts.ObjectStore, prefix string, check func(key string) error) ([]string, []*T, error) {
	keys, err := s.allKeysIn(ctx, st, prefix)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range keys {
		if err := check(k); err != nil {
			return nil, nil, err
		}
	}
	out := make([]*T, len(keys))
	err = s.inParallel(ctx, len(keys), func(ctx context.Context, i int) error {
		obj, err := st.Get(ctx, keys[i])
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil
		}
		if err != nil {
			return err
		}
		v := new(T)
		if err := json.Unmarshal(obj.Data, v); err != nil {
			return drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", keys[i])
		}
		out[i] = v
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var keptKeys []string
	var kept []*T
	for i, v := range out {
		if v != nil {
			keptKeys, kept = append(keptKeys, keys[i]), append(kept, v)
		}
	}
	return keptKeys, kept, nil
}

// readOne reads the object at key from st into a new T; nil if there is
// none.
func readOne[T any](ctx context.Context, st drafts.ObjectStore, key string) (*T, error) {
	obj, err := st.Get(ctx, key)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(obj.Data, v); err != nil {
		return nil, drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", key)
	}
	return v, nil
}

// documentChanges lists the changes the document object records (its
// creation).
func (s *Service) documentChanges(ctx context.Context, st drafts.ObjectStore, t trail, _ *chainScan) ([]storedChange, error) {
	sd, err := readOne[storedDocument](ctx, st, documentKey(t.doc))
	if err != nil || sd == nil {
		return nil, err
	}
	return entriesChanges(sd.Audit), nil
}

// versionChanges lists the stored versions of a document: their names
// from the listing, their entries read only for the versions whose
// event is missing.
func (s *Service) versionChanges(ctx context.Context, st drafts.ObjectStore, t trail, _ *chainScan) ([]storedChange, error) {
	numbers, err := s.numbersIn(ctx, st, versionsPrefix(t.doc))
	if err != nil {
		return nil, err
	}
	out := make([]storedChange, len(numbers))
	for i, n := range numbers {
		out[i] = storedChange{name: versionChange(n), entry: func(ctx context.Context) (*drafts.AuditEntry, error) {
			return s.versionEntry(ctx, st, t.doc, n)
		}}
	}
	return out, nil
}

// versionEntry reads the entry of version n; a version stored before
// versions carried theirs gets the one it would have had.
func (s *Service) versionEntry(ctx context.Context, st drafts.ObjectStore, doc string, n int) (*drafts.AuditEntry, error) {
	obj, err := st.Get(ctx, versionKey(doc, n))
	if err != nil {
		return nil, err
	}
	var sv storedVersion
	if err := json.Unmarshal(obj.Data, &sv); err != nil || sv.Version == nil {
		return nil, drafts.WrapError(drafts.EINTERNAL, err, "stored object %s is damaged", obj.Key)
	}
	if len(sv.Audit) > 0 {
		return &sv.Audit[0], nil
	}
	v := sv.Version
	action, detail := "version.create", v.Hash
	if len(v.Merged) > 0 {
		action, detail = "merge", strings.Join(v.Merged, ",")
	}
	return &drafts.AuditEntry{Change: versionChange(n), At: v.CreatedAt, Actor: v.Author, Delegation: v.Delegation,
		Action: action, Ref: strconv.Itoa(n), Detail: detail}, nil
}

// proposalChanges lists the changes of a document's proposals; a
// proposal stored before proposals carried their entries has its
// creation. The proposals are read without the whole text a delegation
// sent (a trail never shows it): every proposal of the document is held
// at once, and at start, when every trail is completed, 32 proposals
// sent as a 2 MB text each held 100 MB.
func (s *Service) proposalChanges(ctx context.Context, st drafts.ObjectStore, t trail, _ *chainScan) ([]storedChange, error) {
	prefix := proposalsPrefix(t.doc)
	_, sps, err := readAllIn[proposalSansText](ctx, s, st, prefix, func(k string) error { _, err := proposalOfKey(k, prefix); return err })
	if err != nil {
		return nil, err
	}
	var out []storedChange
	for _, sp := range sps {
		p := sp.storedProposal.proposal()
		switch {
		case p == nil:
		case len(p.Audit) > 0:
			out = append(out, entriesChanges(p.Audit)...)
		default:
			e := drafts.AuditEntry{Change: proposalChange(p.ID), At: p.CreatedAt, Actor: p.Author,
				Delegation: p.Delegation, Action: "proposal.create", Ref: p.ID, Detail: proposalDetail(s.proposalName(ctx, p), p)}
			if p.Source == drafts.SourceOral {
				e.Delegation = "" // the chair recorded it, as the event written at the time says
			}
			out = append(out, entryChange(e))
		}
	}
	return out, nil
}

// proposalDetail is the detail of a proposal's creation or edit event:
// its name, base and operations, and for an oral proposal that the chair
// recorded it ("Proposal 7 (Kazakhstan): base 1, 2 operations; made
// orally, recorded by the chair").
func proposalDetail(name string, p *drafts.Proposal) string {
	detail := fmt.Sprintf("%s: base %d, %d operations", name, p.Base, len(p.Operations))
	if p.Source == drafts.SourceOral {
		detail += "; " + drafts.OralNote("en")
	}
	return detail
}

// roundChanges lists the changes of a document's adoption rounds. A
// round stored before rounds carried their entries has its opening (but
// for rounds whose opening event was recorded before changes were named,
// which sc counts) and its end.
func (s *Service) roundChanges(ctx context.Context, st drafts.ObjectStore, t trail, sc *chainScan) ([]storedChange, error) {
	prefix := roundsPrefix(t.doc)
	_, srs, err := readAllIn[storedRound](ctx, s, st, prefix, func(k string) error { _, err := roundOfKey(k, prefix); return err })
	if err != nil {
		return nil, err
	}
	var out []storedChange
	legacyOpen := map[string]int{}
	for _, sr := range srs {
		r := sr.AdoptionRound
		switch {
		case r == nil:
		case len(sr.Audit) > 0:
			out = append(out, entriesChanges(sr.Audit)...)
		default:
			out = append(out, legacyRoundChanges(r, sc, legacyOpen)...)
		}
	}
	return out, nil
}

// legacyRoundChanges are the changes of a round stored before rounds
// carried their entries.
func legacyRoundChanges(r *drafts.AdoptionRound, sc *chainScan, legacyOpen map[string]int) []storedChange {
	var out []storedChange
	ref := strconv.Itoa(r.Version)
	if legacyOpen[ref] < sc.legacy["adoption.open "+ref] {
		legacyOpen[ref]++
	} else {
		out = append(out, entryChange(drafts.AuditEntry{Change: roundChange(r.ID), At: r.OpenedAt, Actor: r.OpenedBy,
			Action: "adoption.open", Ref: ref, Detail: roundDetail(r)}))
	}
	if r.State != drafts.RoundOpen && r.ClosedAt != nil {
		out = append(out, entryChange(drafts.AuditEntry{Change: roundEndChange(r.ID), At: *r.ClosedAt, Actor: "system",
			Action: roundEndAction(r.State), Ref: ref, Detail: r.Procedure}))
	}
	return out
}

// roundDetail is the detail of a round's opening event.
func roundDetail(r *drafts.AdoptionRound) string {
	detail := r.Procedure
	if r.Deadline != nil {
		detail += " until " + r.Deadline.Format(time.RFC3339)
	}
	return detail
}

// roundEndAction is the action of the event of a round's end.
func roundEndAction(state string) string {
	if state == drafts.RoundAdopted {
		return "adoption.adopted"
	}
	return "adoption.failed"
}

// statusChanges lists the changes of provision statuses of a document.
func (s *Service) statusChanges(ctx context.Context, st drafts.ObjectStore, t trail, _ *chainScan) ([]storedChange, error) {
	prefix := statusesPrefix(t.doc)
	keys, sts, err := readAllIn[provisionStatuses](ctx, s, st, prefix, func(k string) error {
		_, err := numberOfKey(k, prefix)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []storedChange
	for i, ps := range sts {
		n, _ := numberOfKey(keys[i], prefix)
		for _, c := range ps.Log {
			out = append(out, entryChange(c.entry(n)))
		}
	}
	return out, nil
}

// statusRef is the ref of the event of a status change.
func statusRef(n int, provision string) string { return fmt.Sprintf("%d/%s", n, provision) }

// delegationChanges, userChanges and tokenChanges list the changes of
// the directory; records stored before they carried entries have none.
func (s *Service) delegationChanges(ctx context.Context, st drafts.ObjectStore, _ trail, _ *chainScan) ([]storedChange, error) {
	return recordChanges(ctx, s, st, delegationsPrefix, "a delegation", func(d *storedDelegation) []drafts.AuditEntry { return d.Audit })
}

func (s *Service) userChanges(ctx context.Context, st drafts.ObjectStore, _ trail, _ *chainScan) ([]storedChange, error) {
	return recordChanges(ctx, s, st, usersPrefix, "a user", func(u *storedUser) []drafts.AuditEntry { return u.Audit })
}

func (s *Service) tokenChanges(ctx context.Context, st drafts.ObjectStore, _ trail, _ *chainScan) ([]storedChange, error) {
	return recordChanges(ctx, s, st, tokensPrefix, "a token", func(t *storedToken) []drafts.AuditEntry { return t.Audit })
}

// recordChanges lists the changes the records under prefix (each what)
// hold, as audit returns them.
func recordChanges[T any](ctx context.Context, s *Service, st drafts.ObjectStore, prefix, what string, audit func(*T) []drafts.AuditEntry) ([]storedChange, error) {
	_, records, err := readAllIn[T](ctx, s, st, prefix, directoryKeyCheck(prefix, what))
	var out []storedChange
	for _, r := range records {
		out = append(out, entriesChanges(audit(r))...)
	}
	return out, err
}

// directoryKeyCheck checks that a key listed under prefix is a record's.
func directoryKeyCheck(prefix, what string) func(string) error {
	return func(k string) error {
		if _, ok := nameUnder(k, prefix); !ok {
			return errKey(k, what)
		}
		return nil
	}
}

// numbersIn returns the version numbers of the objects under prefix
// (versionsPrefix or statusesPrefix of a document), listed from st.
func (s *Service) numbersIn(ctx context.Context, st drafts.ObjectStore, prefix string) ([]int, error) {
	keys, err := s.allKeysIn(ctx, st, prefix)
	if err != nil {
		return nil, err
	}
	numbers := make([]int, len(keys))
	for i, k := range keys {
		if numbers[i], err = numberOfKey(k, prefix); err != nil {
			return nil, err
		}
	}
	return numbers, nil
}

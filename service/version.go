package service

import (
	"context"
	"strconv"
	"strings"

	"chancery/drafts"
)

// GetVersion returns version n of a document with its provisions' statuses.
func (s *Service) GetVersion(ctx context.Context, doc string, n int) (_ *drafts.Version, err error) {
	defer markOp(&err, "service.GetVersion")
	_, v, err := s.readableVersion(ctx, doc, n)
	return v, err
}

// readableVersion reads version n of doc with its statuses, for a reader:
// the version is read while the document is, and dropped unless the
// document is there for the caller.
func (s *Service) readableVersion(ctx context.Context, doc string, n int) (*drafts.Document, *drafts.Version, error) {
	var v *drafts.Version
	var verr error = drafts.Errorf(drafts.ENOTFOUND, "no version %d of document %q", n, doc)
	done := make(chan struct{})
	if drafts.ValidID(doc) && n >= 1 {
		go func() {
			defer close(done)
			v, verr = s.getVersion(ctx, doc, n)
		}()
	} else {
		close(done)
	}
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	<-done
	if err != nil {
		return nil, nil, err
	}
	if verr != nil {
		return nil, nil, verr
	}
	return d, v, nil
}

// rawVersion reads version n as stored: the statuses it was made with.
func (s *Service) rawVersion(ctx context.Context, doc string, n int) (*drafts.Version, error) {
	v, err := s.storedVersion(ctx, doc, n)
	if err != nil {
		return nil, err
	}
	return cloneVersion(v), nil
}

// storedVersion is rawVersion as the cache holds it: read only.
func (s *Service) storedVersion(ctx context.Context, doc string, n int) (*drafts.Version, error) {
	if !drafts.ValidID(doc) || n < 1 {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no version %d of document %q", n, doc)
	}
	v, err := getImmutable(ctx, s, versionKey(doc, n), func(v *drafts.Version) *drafts.Version { return v })
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "no version %d of document %q", n, doc)
		}
		return nil, err
	}
	return v, nil
}

// getVersion reads version n with its provisions' statuses.
func (s *Service) getVersion(ctx context.Context, doc string, n int) (*drafts.Version, error) {
	v, _, err := s.versionAndStatuses(ctx, doc, n)
	return v, err
}

// versionAndStatuses is getVersion returning also the statuses it read,
// with their log: a copy of the caller's own.
func (s *Service) versionAndStatuses(ctx context.Context, doc string, n int) (*drafts.Version, *provisionStatuses, error) {
	v, st, err := s.versionView(ctx, doc, n)
	if err != nil {
		return nil, nil, err
	}
	return cloneVersion(v), st, nil
}

// versionView is version n of doc with its provisions' statuses, shared
// by every caller that reads it under the same statuses: read only. The
// callers that only read a version take it (a document's agreed share,
// the standing of its positions): every page of the room made two copies
// of a 300-provision head for them, some 80 KB that the collector then
// had to find.
func (s *Service) versionView(ctx context.Context, doc string, n int) (*drafts.Version, *provisionStatuses, error) {
	// A version not in memory (the room after a merge) is read while its
	// statuses are.
	readStatuses := func() (statusesOf, error) {
		st, etag, err := s.statuses(ctx, doc, n)
		return statusesOf{st, etag}, err
	}
	if drafts.ValidID(doc) && n >= 1 && !s.kept(versionKey(doc, n)) {
		readStatuses = meanwhile(readStatuses)
	}
	raw, err := s.storedVersion(ctx, doc, n)
	if err != nil {
		return nil, nil, err
	}
	read, err := readStatuses()
	if err != nil {
		return nil, nil, err
	}
	st, stETag := read.st, read.etag
	// The statuses' ETag names them as read: the version under other
	// statuses is another view.
	key := versionKey(doc, n) + "\x00statuses\x00" + stETag
	if v, ok := s.immutable().get(key); ok {
		return v.(*drafts.Version), st, nil
	}
	v := cloneVersion(raw)
	v.ETag = statusTag(v.Hash, stETag)
	applyStatuses(v, st)
	s.immutable().add(key, v, viewSize(v))
	return v, st, nil
}

// viewSize estimates the memory a version view holds.
func viewSize(v *drafts.Version) int64 {
	n := int64(256)
	for _, p := range v.Provisions {
		n += int64(len(p.ID)+len(p.Kind)+len(p.Number)+len(p.Text)+len(p.Gap)+len(p.Status)) + 136
	}
	return n
}

// statusesOf is what statuses returned.
type statusesOf struct {
	st   *provisionStatuses
	etag string
}

// applyStatuses sets the statuses of v's provisions: as st says, or as
// stored with the version (carried over when it was made), or pending.
func applyStatuses(v *drafts.Version, st *provisionStatuses) {
	for i := range v.Provisions {
		if v.Provisions[i].Status == "" {
			v.Provisions[i].Status = drafts.ProvisionPending // as stored: carried over when the version was made
		}
		if x, ok := st.Statuses[v.Provisions[i].ID]; ok {
			v.Provisions[i].Status = x
		}
	}
}

// ListVersions returns one page of a document's versions, oldest first,
// without their provisions.
func (s *Service) ListVersions(ctx context.Context, doc string, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Version], err error) {
	defer markOp(&err, "service.ListVersions")
	if _, _, err := s.documentFor(ctx, doc, drafts.ActDocumentRead); err != nil {
		return nil, err
	}
	// Summaries, not the versions: a page of 50 versions of a long text
	// would otherwise read megabytes.
	keys, next, err := s.listKeys(ctx, summariesPrefix(doc), opt)
	if err != nil {
		return nil, err
	}
	page := &drafts.Page[*drafts.Version]{Items: []*drafts.Version{}, NextCursor: next}
	for _, k := range keys {
		v, err := getImmutable(ctx, s, k, cloneVersion)
		if err != nil {
			return nil, err
		}
		v.Provisions = []drafts.Provision{}
		page.Items = append(page.Items, v)
	}
	return page, nil
}

// storeSummary writes the version's summary (no text) for listings, once.
func (s *Service) storeSummary(ctx context.Context, v *drafts.Version) error {
	sum := *v
	sum.Provisions, sum.Lead, sum.Attribution, sum.Obsolete, sum.MergedETags, sum.Translated = nil, "", nil, nil, nil, nil
	if _, err := s.createJSON(ctx, summaryKey(v.Document, v.Number), &sum); err != nil && !drafts.IsCode(err, drafts.ECONFLICT) {
		return err
	}
	return nil
}

// CreateVersion stores the chair's revised text as the new head. ECONFLICT
// if base is not the head (or another version was created meanwhile), or
// the document is adopted.
func (s *Service) CreateVersion(ctx context.Context, doc string, base int, text, message string) (_ *drafts.Version, err error) {
	defer markOp(&err, "service.CreateVersion")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActVersionCreate, true)
	if err != nil {
		return nil, err
	}
	if base != d.Head {
		return nil, drafts.Errorf(drafts.ECONFLICT, "base version %d is not the head (version %d); start again from the head", base, d.Head)
	}
	if err := drafts.CheckNote("message", message, 2000, false); err != nil {
		return nil, err
	}
	// Aligning the text to the base is heavy: in the work limit, with the
	// base loaded in it.
	var baseV *drafts.Version
	var t *drafts.Text
	err = s.Work(ctx, func(ctx context.Context) error {
		if baseV, err = s.getVersion(ctx, doc, base); err != nil {
			return err
		}
		if t, err = drafts.ParseText(text, s.TextLimits); err != nil {
			return err
		}
		s.alignIDs(baseV.Provisions, t.Provisions)
		return nil
	})
	if err != nil {
		return nil, err
	}
	v := &drafts.Version{
		Document: doc, Number: base + 1, Parent: base, Author: u.ID, Delegation: u.Delegation,
		Message: message, CreatedAt: s.now(), Merged: []string{}, Lead: t.Lead, Provisions: t.Provisions,
	}
	if _, err := s.publishVersion(ctx, d, baseV, v, "version.create", nil); err != nil {
		return nil, err
	}
	return v, nil
}

// publishVersion stores v, the chair's, after base as the new head of d,
// with its audit entry (action: "merge", "version.create" or
// "version.renumber"), completes it (known are proposals this request
// read already) and commits the version's event with those of the
// proposals it settled, in one batch. It returns the proposals v made
// obsolete, with the reasons.
func (s *Service) publishVersion(ctx context.Context, d *drafts.Document, base, v *drafts.Version, action string, known map[string]*drafts.Proposal) (map[string]string, error) {
	tx, err := s.beginChange(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	return s.publishVersionIn(ctx, tx, d, base, v, action, known)
}

// publishVersionIn is publishVersion in the change tx began.
func (s *Service) publishVersionIn(ctx context.Context, tx *changeTx, d *drafts.Document, base, v *drafts.Version, action string, known map[string]*drafts.Proposal) (map[string]string, error) {
	nd, entry, err := s.storeVersion(ctx, d, base, v, action)
	if err != nil {
		return nil, err
	}
	// Once the version is stored its event is owed, whatever follows:
	// completeVersion commits it with the settlements' entries.
	_, obsolete, err := s.completeVersion(ctx, tx, v, nd, known, entry)
	return obsolete, err
}

// alignIDs gives edited provisions the ids of the base provisions they
// continue, and new ids to new ones.
func (s *Service) alignIDs(base, edited []drafts.Provision) {
	match := s.Differ.Align(base, edited)
	used := map[string]bool{}
	for i := range edited {
		if j := match[i]; j >= 0 && j < len(base) && !used[base[j].ID] {
			edited[i].ID = base[j].ID
			used[base[j].ID] = true
		} else {
			edited[i].ID = s.NewID()
		}
	}
}

// storeVersion writes v (create-only, so of two concurrent writers of one
// number only one succeeds) with the provision statuses carried over from
// base for unchanged provisions. The document records v as pending first,
// so that readers know to look for it; the create-only write is the commit
// point: the caller then calls completeVersion, which is done again by the
// next reader of the document if the request fails on the way. It returns
// the document as it updated it, and the version's audit entry (action).
func (s *Service) storeVersion(ctx context.Context, d *drafts.Document, base, v *drafts.Version, action string) (*drafts.Document, drafts.AuditEntry, error) {
	v.Hash = drafts.HashText(v.Text())
	detail := v.Hash
	if action == "merge" {
		detail = strings.Join(v.Merged, ",")
	}
	entry := s.auditEntry(ctx, versionChange(v.Number), action, strconv.Itoa(v.Number), detail)
	old := map[string]drafts.Provision{}
	for _, p := range base.Provisions {
		old[p.ID] = p
	}
	stored := *v
	stored.Provisions = make([]drafts.Provision, len(v.Provisions))
	for i, p := range v.Provisions {
		status := drafts.ProvisionPending
		if o, ok := old[p.ID]; ok && o.Text == p.Text && o.Status != "" {
			status = o.Status
		}
		v.Provisions[i].Status = status
		p.Status = status
		if status == drafts.ProvisionPending {
			p.Status = ""
		}
		stored.Provisions[i] = p
	}
	nd, err := s.updateDocumentFrom(ctx, d, func(d *drafts.Document) error {
		if d.Head != base.Number || d.Pending > v.Number {
			return drafts.Errorf(drafts.ECONFLICT, "version %d was created meanwhile; start again from the head", d.Head)
		}
		if err := checkNotInAdoption(d); err != nil {
			return err
		}
		if d.State == drafts.StateAdopted || d.State == drafts.StateWithdrawn {
			return drafts.Errorf(drafts.ECONFLICT, "document %s is %s", d.Symbol, d.State)
		}
		d.Pending = v.Number
		return nil
	})
	if err != nil {
		return nil, entry, err
	}
	if _, err := s.createJSON(ctx, versionKey(d.ID, v.Number), &storedVersion{Version: &stored, Audit: []drafts.AuditEntry{entry}}); err != nil {
		if drafts.IsCode(err, drafts.ECONFLICT) {
			// Made by a request that did not complete it: complete it
			// now, so the next attempt starts from it.
			if other, err := getImmutable(ctx, s, versionKey(d.ID, v.Number), cloneVersion); err == nil {
				if _, err := s.completeOthers(ctx, other, nil); err != nil {
					s.Log.Error("completing a version found in the way", "document", d.ID, "version", v.Number, "err", err)
				}
			}
			return nil, entry, drafts.Errorf(drafts.ECONFLICT, "version %d was created meanwhile; start again from the head", v.Number)
		}
		return nil, entry, err
	}
	return nd, entry, nil
}

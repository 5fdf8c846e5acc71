package service

import (
	"context"
	"fmt"

	"chancery/drafts"
)

// VersionDiff returns the tracked diff from version m to version n of a
// document, each change attributed to whoever made it in between: the
// delegation whose merged proposal made it, or the chair (ChairName) for a
// chair's revised version or compromise (see attributeVersions).
// EINVALID if m < 1 (version 1 against its predecessor).
func (s *Service) VersionDiff(ctx context.Context, doc string, n, m int) (_ *drafts.Diff, _ *drafts.Version, _ *drafts.Version, err error) {
	defer markOp(&err, "service.VersionDiff")
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, nil, nil, err
	}
	if m < 1 {
		return nil, nil, nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("against: version %d has no predecessor; give ?against=", n),
			Fields: []drafts.FieldError{{Field: "against", Message: "required"}}}
	}
	if s.kept(diffCacheKey(doc, n, m), versionKey(doc, n), versionKey(doc, m)) {
		return s.versionDiff(ctx, d, n, m) // all in memory: nothing heavy left
	}
	// Loaded and computed in a slot, once for everyone asking at once.
	type result struct {
		diff     *drafts.Diff
		from, to *drafts.Version
	}
	r, err := s.sharedWork(ctx, diffCacheKey(doc, n, m), func(ctx context.Context) (any, error) {
		diff, from, to, err := s.versionDiff(ctx, d, n, m)
		return result{diff, from, to}, err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	res := r.(result)
	return res.diff, res.from, res.to, nil
}

// versionPair reads versions m and n of doc, each with its statuses
// (read afresh), side by side.
func (s *Service) versionPair(ctx context.Context, doc string, m, n int) (*drafts.Version, *drafts.Version, error) {
	readFrom := meanwhile(func() (*drafts.Version, error) { return s.getVersion(ctx, doc, m) })
	to, err := s.getVersion(ctx, doc, n)
	from, fromErr := readFrom()
	if err == nil {
		err = fromErr
	}
	return from, to, err
}

// versionDiff is VersionDiff on a document already checked and read.
func (s *Service) versionDiff(ctx context.Context, dd *drafts.Document, n, m int) (*drafts.Diff, *drafts.Version, *drafts.Version, error) {
	from, to, err := s.versionPair(ctx, dd.ID, m, n)
	if err != nil {
		return nil, nil, nil, err
	}
	return s.diffOf(ctx, dd, from, to)
}

// diffOf is the diff from version from to version to of document dd.
// Versions are immutable, and so is their diff: it is computed once per
// process (one computation for concurrent callers, inside the work limit)
// and kept in the cache of immutable objects. The diff returned is
// shared: read only.
func (s *Service) diffOf(ctx context.Context, dd *drafts.Document, from, to *drafts.Version) (*drafts.Diff, *drafts.Version, *drafts.Version, error) {
	key := diffCacheKey(dd.ID, to.Number, from.Number)
	if d, ok := s.immutable().get(key); ok {
		return d.(*drafts.Diff), from, to, nil
	}
	d, err := s.flights.do(ctx, key, func() (any, error) {
		if d, ok := s.immutable().get(key); ok {
			return d, nil
		}
		d, err := s.computeVersionDiff(ctx, dd, from, to)
		if err != nil {
			return nil, err
		}
		s.immutable().add(key, d, diffSize(d))
		return d, nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return d.(*drafts.Diff), from, to, nil
}

// computeVersionDiff diffs two versions and attributes each change to the
// proposals merged between them.
func (s *Service) computeVersionDiff(ctx context.Context, dd *drafts.Document, from, to *drafts.Version) (*drafts.Diff, error) {
	var d *drafts.Diff
	if err := s.heavy(ctx, func() error {
		d = s.Differ.Provisions(from.Provisions, to.Provisions)
		return nil
	}); err != nil {
		return nil, err
	}
	if m, n := from.Number, to.Number; m < n {
		versions := []*drafts.Version{from}
		for k := m + 1; k < n; k++ {
			v, err := s.getVersion(ctx, dd.ID, k)
			if err != nil {
				return nil, err
			}
			versions = append(versions, v)
		}
		versions = append(versions, to)
		s.attributeVersions(ctx, d, versions, dd.Body, nil)
	}
	return d, nil
}

package service

import (
	"context"
	"sort"
	"sync"

	"chancery/drafts"
)

// StateOfPlay returns the state of play of the head as the caller may see
// it.
func (s *Service) StateOfPlay(ctx context.Context, doc string) (_ *drafts.StateOfPlay, err error) {
	defer markOp(&err, "service.StateOfPlay")
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	return s.stateOfPlay(ctx, u, d)
}

// stateOfPlay sums up the head of d for u. Besides the head it reads three
// objects, side by side: the listing of open proposals (whose contents the
// cache holds at the ETags listed), the positions, and the listing of the
// versions' statuses for their history (each version's tally computed once
// per statuses' ETag).
func (s *Service) stateOfPlay(ctx context.Context, u *drafts.User, d *drafts.Document) (*drafts.StateOfPlay, error) {
	doc := d.ID
	var (
		open []*drafts.Proposal
		sp   *storedPositions
		hist []drafts.HistoryPoint
		errs [3]error
		wg   sync.WaitGroup
	)
	wg.Add(3)
	go func() {
		defer wg.Done()
		open, errs[0] = s.allProposals(ctx, doc, drafts.ProposalFilter{Status: drafts.ProposalOpen})
	}()
	go func() { defer wg.Done(); sp, _, errs[1] = s.positions(ctx, doc) }()
	go func() { defer wg.Done(); hist, errs[2] = s.history(ctx, doc, d.Head) }()
	head, st, err := s.versionAndStatuses(ctx, doc, d.Head)
	wg.Wait()
	for _, e := range append([]error{err}, errs[:]...) {
		if e != nil {
			return nil, e
		}
	}
	sort.SliceStable(open, func(i, j int) bool { return open[i].CreatedAt.Before(open[j].CreatedAt) })
	positions := drafts.PositionsIn(head, s.visiblePositions(u, d, sp.Positions), "")
	state := drafts.BuildStateOfPlay(head, open, positions, hist)
	if n := len(st.Log); n > 0 && st.Log[n-1].At.After(state.AsOf) {
		state.AsOf = st.Log[n-1].At
	}
	return state, nil
}

// history returns how much of each version before head was agreed, oldest
// first. A superseded version's statuses change no more, so each tally is
// kept in memory under its statuses' ETag: once computed, the history
// costs one listing.
func (s *Service) history(ctx context.Context, doc string, head int) ([]drafts.HistoryPoint, error) {
	if head <= 1 {
		return []drafts.HistoryPoint{}, nil
	}
	prefix := statusesPrefix(doc)
	infos, err := s.allInfos(ctx, prefix)
	if err != nil {
		return nil, err
	}
	listed := map[int]drafts.ObjectInfo{}
	for _, o := range infos {
		n, err := numberOfKey(o.Key, prefix)
		if err != nil {
			return nil, err
		}
		listed[n] = o
	}
	out := make([]drafts.HistoryPoint, head-1)
	var missing []int
	for n := 1; n < head; n++ {
		info, has := listed[n]
		if !has || info.ETag != "" {
			if hp, ok := s.immutable().get(tallyCacheKey(doc, n, info.ETag)); ok {
				out[n-1] = hp.(drafts.HistoryPoint)
				continue
			}
		}
		missing = append(missing, n)
	}
	err = s.inParallel(ctx, len(missing), func(ctx context.Context, i int) error {
		n := missing[i]
		info, has := listed[n]
		hp, err := s.versionTally(ctx, doc, n, info, has)
		if err == nil {
			out[n-1] = hp
			if !has || info.ETag != "" {
				key := tallyCacheKey(doc, n, info.ETag)
				s.immutable().add(key, hp, int64(len(key)+96))
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// versionTally counts the provisions of version n by status: as its
// statuses object (listed as info, if has) says, or as stored with it.
func (s *Service) versionTally(ctx context.Context, doc string, n int, info drafts.ObjectInfo, has bool) (drafts.HistoryPoint, error) {
	v, err := s.rawVersion(ctx, doc, n)
	if err != nil {
		return drafts.HistoryPoint{}, err
	}
	st := &provisionStatuses{}
	if has {
		read, _, err := readListed(ctx, s, []drafts.ObjectInfo{info}, cloneProvisionStatuses)
		if err != nil {
			return drafts.HistoryPoint{}, err
		}
		if read[0] != nil {
			st = read[0]
		}
	}
	applyStatuses(v, st)
	return drafts.HistoryPoint{Version: n, Created: v.CreatedAt, Tally: drafts.TallyOf(v.Provisions)}, nil
}

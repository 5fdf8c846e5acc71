package service

import (
	"context"
	"sort"

	"chancery/drafts"
)

// Compile returns the compilation of version n (0 for the head): every open
// proposal, rebased onto that version where it was made on another, grouped
// under the provision it touches in document order, identical changes by
// several delegations grouped into one entry.
func (s *Service) Compile(ctx context.Context, doc string, n int) (_ *drafts.Compilation, _ *drafts.Version, err error) {
	defer markOp(&err, "service.Compile")
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, nil, err
	}
	var comp *drafts.Compilation
	var v *drafts.Version
	err = s.Work(ctx, func(ctx context.Context) error {
		comp, v, err = s.compile(ctx, d, n)
		return err
	})
	return comp, v, err
}

// compile is Compile on a document already checked. It is heavy work from
// its start (call it in the work limit): it loads a version and every open
// proposal.
func (s *Service) compile(ctx context.Context, d *drafts.Document, n int) (*drafts.Compilation, *drafts.Version, error) {
	doc := d.ID
	var err error
	if n == 0 {
		n = d.Head
	}
	// The version and the open proposals are read side by side.
	var open []*drafts.Proposal
	var openErr error
	listed := make(chan struct{})
	go func() {
		defer close(listed)
		open, openErr = s.allProposals(ctx, doc, drafts.ProposalFilter{Status: drafts.ProposalOpen})
	}()
	v, err := s.getVersion(ctx, doc, n)
	<-listed
	if err != nil {
		return nil, nil, err
	}
	if openErr != nil {
		return nil, nil, openErr
	}
	sort.SliceStable(open, func(i, j int) bool { return open[i].CreatedAt.Before(open[j].CreatedAt) })
	bases := map[int]*drafts.Version{n: v}
	for _, p := range open {
		if _, ok := bases[p.Base]; !ok {
			// Its text only: a base's statuses play no part.
			base, err := s.rawVersion(ctx, doc, p.Base)
			if err != nil {
				return nil, nil, err
			}
			bases[p.Base] = base
		}
	}
	// The diffs of every open proposal are the heavy part: inside the work limit.
	var comp *drafts.Compilation
	if err := s.heavy(ctx, func() error {
		comp = drafts.CompileProposals(s.Differ, s.TextLimits, s.NewID, v, bases, open)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	return comp, v, nil
}

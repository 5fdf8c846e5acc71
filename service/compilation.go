package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"sort"
	"sync"

	"chancery/drafts"
)

// Compile returns the compilation of version n (0 for the head): every open
// proposal, rebased onto that version where it was made on another, grouped
// under the provision it touches in document order, identical changes by
// several delegations grouped into one entry.
//
// The compilation returned is shared with every caller that asks for the
// same inputs (see compile): read only.
func (s *Service) Compile(ctx context.Context, doc string, n int) (_ *drafts.Compilation, _ *drafts.Version, err error) {
	defer markOp(&err, "service.Compile")
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, nil, err
	}
	return s.compile(ctx, d, n)
}

// compile is Compile on a document already checked. Every call reads the
// version and lists the open proposals (so nothing stale is served); the
// compilation of those inputs is then made once: callers asking for the
// same inputs at once share one computation, and the result is kept in
// the cache of immutable objects under a key naming the inputs
// (compilationKey), as Compilation.Key. Each proposal's part is kept too
// (compiledKey), so a new proposal costs its own diff, not everyone's.
// The compilation does not depend on who asks: whoever may read the
// document sees all of it.
func (s *Service) compile(ctx context.Context, d *drafts.Document, n int) (*drafts.Compilation, *drafts.Version, error) {
	doc := d.ID
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
	key := compilationKey(v, open)
	if c, ok := s.immutable().get(key); ok {
		return c.(*drafts.Compilation), v, nil
	}
	c, err := s.flights.do(ctx, key, func() (any, error) {
		if c, ok := s.immutable().get(key); ok {
			return c, nil
		}
		comp, err := s.compileInputs(ctx, v, open)
		if err != nil {
			return nil, err
		}
		comp.Key = key
		nameEntries(comp, v, open)
		s.immutable().add(key, comp, compilationSize(comp))
		return comp, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c.(*drafts.Compilation), v, nil
}

// compileInputs compiles version v from the open proposals: the bases
// they were made on read together, each proposal's changes from the
// cache or computed (inside the work limit, on every CPU), then grouped.
func (s *Service) compileInputs(ctx context.Context, v *drafts.Version, open []*drafts.Proposal) (*drafts.Compilation, error) {
	changes := make([][]drafts.ProposalChange, len(open))
	var todo []int
	for i, p := range open {
		if p.ETag != "" {
			if c, ok := s.immutable().get(compiledKey(v.Document, v.Number, p)); ok {
				changes[i] = c.([]drafts.ProposalChange)
				continue
			}
		}
		todo = append(todo, i)
	}
	if len(todo) > 0 {
		bases, err := s.compilationBases(ctx, v, open, todo)
		if err != nil {
			return nil, err
		}
		if err := s.heavy(ctx, func() error {
			s.compileEach(v, bases, open, todo, changes)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return drafts.AssembleCompilation(v, open, changes), nil
}

// compilationBases reads the versions the proposals todo were made on,
// other than v, several at once (their texts only: a base's statuses play
// no part).
func (s *Service) compilationBases(ctx context.Context, v *drafts.Version, open []*drafts.Proposal, todo []int) (map[int]*drafts.Version, error) {
	var numbers []int
	seen := map[int]bool{v.Number: true}
	for _, i := range todo {
		if b := open[i].Base; !seen[b] {
			seen[b] = true
			numbers = append(numbers, b)
		}
	}
	read := make([]*drafts.Version, len(numbers))
	err := s.inParallel(ctx, len(numbers), func(ctx context.Context, j int) error {
		var err error
		read[j], err = s.rawVersion(ctx, v.Document, numbers[j])
		return err
	})
	if err != nil {
		return nil, err
	}
	bases := map[int]*drafts.Version{v.Number: v}
	for j, b := range read {
		bases[numbers[j]] = b
	}
	return bases, nil
}

// compileEach computes the changes of the proposals todo, one goroutine
// per CPU, and keeps each in the cache.
func (s *Service) compileEach(v *drafts.Version, bases map[int]*drafts.Version, open []*drafts.Proposal, todo []int, changes [][]drafts.ProposalChange) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(todo)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := open[i]
				base, ok := bases[p.Base]
				if !ok {
					continue
				}
				changes[i] = drafts.CompileProposal(s.Differ, s.TextLimits, s.NewID, v, base, p)
				if p.ETag != "" {
					s.immutable().add(compiledKey(v.Document, v.Number, p), changes[i], changesSize(changes[i]))
				}
			}
		}()
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
}

// changesSize estimates the memory one proposal's changes hold.
func changesSize(cs []drafts.ProposalChange) int64 {
	n := int64(64)
	for _, c := range cs {
		n += int64(len(c.Under)+len(c.Change.Text)+len(c.Change.After)) + 96
		for _, sg := range c.Change.Segments {
			n += int64(len(sg.Text)) + 64
		}
	}
	return n
}

// compilationSize estimates the memory a compilation holds.
func compilationSize(c *drafts.Compilation) int64 {
	n := int64(64)
	for _, e := range c.Entries {
		n += int64(len(e.Provision.Text)) + 128
		for _, p := range e.Proposals {
			n += int64(len(p.Text)) + 128
			for _, sg := range p.Segments {
				n += int64(len(sg.Text)) + 64
			}
			for _, j := range p.Justifications {
				n += int64(len(j))
			}
		}
	}
	return n
}

// nameEntries sets each entry's Key: the version as read (its ETag names
// the provision's text, number and status), the provision, and each
// change in it with the proposals it groups at their ETags. A proposal
// without an ETag leaves the entries without keys.
func nameEntries(comp *drafts.Compilation, v *drafts.Version, open []*drafts.Proposal) {
	etags := make(map[string]string, len(open))
	for _, p := range open {
		if p.ETag == "" {
			return
		}
		etags[p.ID] = p.ETag
	}
	for i := range comp.Entries {
		e := &comp.Entries[i]
		h := sha256.New()
		for _, s := range []string{v.ETag, e.Provision.ID} {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
		for _, cp := range e.Proposals {
			h.Write([]byte(cp.Op))
			h.Write([]byte{1})
			for _, id := range cp.Proposals {
				h.Write([]byte(id + "\x00" + etags[id] + "\x00"))
			}
		}
		e.Key = hex.EncodeToString(h.Sum(nil)[:16])
	}
}

package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"runtime"
	"sync"

	"chancery/drafts"
)

// Compile returns the compilation of version n (0 for the head): every open
// proposal, rebased onto that version where it was made on another, grouped
// under the provision it touches in document order, identical changes by
// several delegations grouped into one entry; with the positions the user
// may see.
func (s *Service) Compile(ctx context.Context, doc string, n int) (_ *drafts.Compilation, _ *drafts.Version, err error) {
	defer markOp(&err, "service.Compile")
	// The proposals' keys are read while the document is (dropped unless
	// it is there for the caller): a round trip less for the room.
	var listed <-chan keyPage
	if drafts.ValidID(doc) {
		listed = s.indexedProposals(ctx, doc)
	}
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, nil, err
	}
	if n == 0 {
		n = d.Head
	}
	var comp *drafts.Compilation
	var v *drafts.Version
	err = s.withCompilation(ctx, u, d, n, "", listed, func(_ context.Context, c *drafts.Compilation, cv *drafts.Version) error {
		comp, v = c, cv
		return nil
	})
	return comp, v, err
}

// withCompilation hands use the compilation of version n of d in lang as u
// sees it (listed: see compile). The room reading a version shares its
// compilation (its heavy part takes a slot itself); a version still to be
// loaded is loaded first, in a slot of the work limit, once for all
// asking. One too large to keep in memory is compiled, and used, in the
// reader's own slot, so that what the readers hold is bounded by the
// slots.
func (s *Service) withCompilation(ctx context.Context, u *drafts.User, d *drafts.Document, n int, lang string, listed <-chan keyPage, use func(context.Context, *drafts.Compilation, *drafts.Version) error) error {
	kept, err := s.loadVersionShared(ctx, d.ID, n)
	if err != nil {
		return err
	}
	compileAndUse := func(ctx context.Context) error {
		comp, v, err := s.readerCompile(ctx, u, d, n, lang, listed)
		if err != nil {
			return err
		}
		return use(ctx, comp, v)
	}
	if kept {
		return compileAndUse(ctx)
	}
	return s.Work(ctx, compileAndUse)
}

// loadVersionShared loads version n of doc into memory, if it is not
// there, in a slot of the work limit, once for all the callers asking at
// the same time, and reports whether it is kept there (a version larger
// than the cache takes is not).
func (s *Service) loadVersionShared(ctx context.Context, doc string, n int) (bool, error) {
	if s.kept(versionKey(doc, n)) {
		return true, nil
	}
	_, err := s.sharedWork(ctx, versionKey(doc, n), func(ctx context.Context) (any, error) {
		return s.getVersion(ctx, doc, n)
	})
	return err == nil && s.kept(versionKey(doc, n)), err
}

// readerCompile is the compilation of version n of d in lang ("" for the
// original) as u sees it: the shared compilation (compile), with the
// positions u may see. Its Key and its entries' name the positions too:
// readers who see the same positions share what is made of it. Its
// entries are the shared ones, read only, unless u sees positions on
// them: the room reading a long text held a copy of every entry each
// (about 1 MB per reader on a text of 4,929 provisions).
func (s *Service) readerCompile(ctx context.Context, u *drafts.User, d *drafts.Document, n int, lang string, listed <-chan keyPage) (*drafts.Compilation, *drafts.Version, error) {
	// The positions are read while the compilation is made.
	positions := meanwhile(func() (*storedPositions, error) {
		sp, _, err := s.positions(ctx, d.ID)
		return sp, err
	})
	shared, v, err := s.compile(ctx, d, n, lang, listed)
	sp, posErr := positions()
	if err != nil {
		return nil, nil, err
	}
	if posErr != nil {
		return nil, nil, posErr
	}
	comp := *shared
	s.compilePositions(u, d, &comp, v, sp)
	namePositions(&comp)
	return &comp, v, nil
}

// namePositions adds to the keys of comp and of its entries the positions
// they show (as the reader sees them).
func namePositions(comp *drafts.Compilation) {
	digest := func(ps []*drafts.Position) string {
		data, err := json.Marshal(ps)
		if err != nil {
			return "!" // never equal to another's: not shared
		}
		sum := sha256.Sum256(data)
		return hex.EncodeToString(sum[:12])
	}
	if comp.Key != "" && len(comp.WholeText) > 0 {
		comp.Key += "/whole/" + digest(comp.WholeText)
	}
	for i := range comp.Entries {
		e := &comp.Entries[i]
		if len(e.Positions) == 0 {
			continue
		}
		if e.Key != "" {
			e.Key += "/" + digest(e.Positions)
		}
		if comp.Key != "" {
			comp.Key += "/" + e.Provision.ID + "/" + digest(e.Positions)
		}
	}
}

// compile is the compilation of version n of a document already checked,
// the same for every reader. Every call reads the version and the open
// proposals' keys and ETags, as current as a listing (so nothing stale is
// served; see proposalInfos and openToCompile); the compilation of those
// inputs is then made once: callers asking for the same inputs at once
// share one computation, and the result is kept in the cache of immutable
// objects under a key naming the inputs (compilationKey), as
// Compilation.Key. Each proposal's diff is kept too (compiledKey), so a
// new proposal costs its own diff, not everyone's. The compilation
// returned is shared: read only. A compilation in a language version, or
// with proposals written in one, is made afresh for each caller
// (compileInLanguages), with no Key. listed, when not nil, gives the
// proposals' keys, read while the document was (Compile).
func (s *Service) compile(ctx context.Context, d *drafts.Document, n int, lang string, listed <-chan keyPage) (*drafts.Compilation, *drafts.Version, error) {
	doc := d.ID
	if n == 0 {
		n = d.Head
	}
	// The version and the proposals' keys are read side by side.
	if listed == nil {
		listed = s.indexedProposals(ctx, doc)
	}
	v, err := s.getVersion(ctx, doc, n)
	kp := <-listed
	if err != nil {
		return nil, nil, err
	}
	if kp.err != nil {
		return nil, nil, kp.err
	}
	infos := kp.objs
	// The open proposals among infos, numbered and in order, with their
	// digest: made once for the requests that read the same keys and ETags
	// (the room after a merge). The key names the version as read, with
	// its statuses: agreeing a provision changes no proposal.
	open, digest, err := s.openInputs(ctx, doc, infos)
	if err != nil {
		return nil, nil, err
	}
	key := compilationKey(v, digest)
	if c, ok := s.immutable().get(key); ok {
		return c.(*drafts.Compilation), v, nil
	}
	if lang != "" && lang != d.Language || hasLanguageProposals(open) {
		names := s.namesMeanwhile(ctx)
		bases, err := s.compilationBases(ctx, v, open)
		if err != nil {
			return nil, nil, err
		}
		comp, view, err := s.compileInLanguages(ctx, d, v, bases, open, lang)
		if err != nil {
			return nil, nil, err
		}
		comp.Delegations = namedIn(comp, names())
		return comp, view, nil
	}
	c, err := s.flights.do(ctx, key, func() (any, error) {
		if c, ok := s.immutable().get(key); ok {
			return c, nil
		}
		names := s.namesMeanwhile(ctx)
		comp, err := s.compileInputs(ctx, v, open)
		if err != nil {
			return nil, err
		}
		comp.Delegations = namedIn(comp, names())
		comp.Key = key
		nameEntries(comp, open)
		s.immutable().add(key, comp, compilationSize(comp))
		return comp, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c.(*drafts.Compilation), v, nil
}

// namesMeanwhile reads the delegations' names (delegationNames) while
// the caller compiles: the read of the directory's trail it takes is a
// round trip the room waited for after every compilation made.
func (s *Service) namesMeanwhile(ctx context.Context) func() map[string]drafts.Delegation {
	names := meanwhile(func() (map[string]drafts.Delegation, error) { return s.delegationNames(ctx), nil })
	return func() map[string]drafts.Delegation {
		m, _ := names()
		return m
	}
}

// namedIn returns the delegations of all that the compilation names
// (proposing, co-sponsoring, amending).
func namedIn(comp *drafts.Compilation, all map[string]drafts.Delegation) map[string]drafts.Delegation {
	out := map[string]drafts.Delegation{}
	var walk func(cps []drafts.CompiledProposal)
	walk = func(cps []drafts.CompiledProposal) {
		for _, cp := range cps {
			for _, code := range append(append([]string{}, cp.Delegations...), cp.Cosponsors...) {
				if d, ok := all[code]; ok {
					out[code] = d
				}
			}
			walk(cp.SubAmendments)
		}
	}
	for _, e := range comp.Entries {
		walk(e.Proposals)
	}
	return out
}

// compileInputs compiles version v from the open proposals: the bases
// they were made on read together, each proposal's diff from the cache or
// computed (inside the work limit, on every CPU), then grouped.
func (s *Service) compileInputs(ctx context.Context, v *drafts.Version, open []*drafts.Proposal) (*drafts.Compilation, error) {
	var comp *drafts.Compilation
	err := s.Work(ctx, func(ctx context.Context) error {
		var err error
		comp, err = s.compileInSlot(ctx, v, open)
		return err
	})
	return comp, err
}

// compileInSlot is compileInputs in a slot of the work limit: the bases
// are loaded in it.
func (s *Service) compileInSlot(ctx context.Context, v *drafts.Version, open []*drafts.Proposal) (*drafts.Compilation, error) {
	bases, err := s.compilationBases(ctx, v, open)
	if err != nil {
		return nil, err
	}
	diffs := make(map[string]drafts.ProposalDiff, len(open))
	var todo []*drafts.Proposal
	for _, p := range open {
		if p.Amends != "" {
			continue // a sub-amendment is compiled with the proposal it amends
		}
		if d, ok := s.immutable().get(compiledKey(v.Document, v.Number, p)); ok && p.ETag != "" {
			diffs[p.ID] = d.(drafts.ProposalDiff)
			continue
		}
		todo = append(todo, p)
	}
	if todo, err = s.carryOver(ctx, v, bases, todo, diffs); err != nil {
		return nil, err
	}
	s.diffEach(v, bases, todo, diffs)
	comp := drafts.CompileProposalsWith(s.Differ, s.TextLimits, s.NewID, v, bases, open, func(p *drafts.Proposal) (drafts.ProposalDiff, bool) {
		d, ok := diffs[p.ID]
		return d, ok
	})
	comp.MarkCollisions(s.Differ)
	return comp, nil
}

// carryOver takes into diffs the diffs of the proposals todo on the
// version before v that hold on v too (drafts.Carry), keeps them
// for v, and returns the proposals left to diff. After a merge, most open
// proposals touch provisions the merge left alone: the room's first
// compilation of the new version diffs only the others.
func (s *Service) carryOver(ctx context.Context, v *drafts.Version, bases map[int]*drafts.Version, todo []*drafts.Proposal, diffs map[string]drafts.ProposalDiff) ([]*drafts.Proposal, error) {
	if v.Number <= 1 {
		return todo, nil
	}
	prev := bases[v.Number-1]
	var carry *drafts.Carry // the two versions compared once, for every proposal
	left := todo[:0:0]
	for _, p := range todo {
		d, ok := s.immutable().get(compiledKey(v.Document, v.Number-1, p))
		if !ok || p.ETag == "" {
			left = append(left, p)
			continue
		}
		if prev == nil {
			var err error
			if prev, err = s.rawVersion(ctx, v.Document, v.Number-1); err != nil {
				return nil, err
			}
		}
		if carry == nil {
			carry = drafts.NewCarry(prev, v)
		}
		pd := d.(drafts.ProposalDiff)
		if !carry.Over(pd, p) {
			left = append(left, p)
			continue
		}
		diffs[p.ID] = pd
		s.carried.Add(1)
		s.immutable().add(compiledKey(v.Document, v.Number, p), pd, diffSize(pd.Diff)+int64(len(pd.Result))*256)
	}
	return left, nil
}

// compilationBases reads the versions the open proposals were made on,
// other than v, several at once (their texts only: a base's statuses play
// no part).
func (s *Service) compilationBases(ctx context.Context, v *drafts.Version, open []*drafts.Proposal) (map[int]*drafts.Version, error) {
	var numbers []int
	seen := map[int]bool{v.Number: true}
	for _, p := range open {
		if !seen[p.Base] {
			seen[p.Base] = true
			numbers = append(numbers, p.Base)
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

// diffEach computes the diffs of the proposals todo into diffs, one
// goroutine per CPU, and keeps each in the cache.
func (s *Service) diffEach(v *drafts.Version, bases map[int]*drafts.Version, todo []*drafts.Proposal, diffs map[string]drafts.ProposalDiff) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan *drafts.Proposal)
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(todo)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				d, ok := drafts.DiffProposal(s.Differ, s.TextLimits, s.NewID, v, bases, p)
				if !ok {
					continue
				}
				mu.Lock()
				diffs[p.ID] = d
				mu.Unlock()
				if p.ETag != "" {
					s.immutable().add(compiledKey(v.Document, v.Number, p), d, diffSize(d.Diff)+int64(len(d.Result))*256)
				}
			}
		}()
	}
	for _, p := range todo {
		next <- p
	}
	close(next)
	wg.Wait()
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

// nameEntries sets each entry's Key: what the entry holds (the provision
// as the version has it, each change in it with its proposals, texts,
// justifications and sub-amendments), not the version or the proposals
// as read. After a merge, most entries of the new version hold what they
// held in the one before: what was made of them (a page's part) is kept
// under the same Key, and only the entries the merge changed are made
// again. A proposal without an ETag (nothing names it as read) leaves
// the entries without keys, as the compilation has none either.
func nameEntries(comp *drafts.Compilation, open []*drafts.Proposal) {
	for _, p := range open {
		if p.ETag == "" {
			return
		}
	}
	h := sha256.New()
	enc := json.NewEncoder(h)
	for i := range comp.Entries {
		e := &comp.Entries[i]
		h.Reset()
		if err := enc.Encode(struct {
			Provision drafts.Provision
			Proposals []drafts.CompiledProposal
			Colliding bool
		}{e.Provision, e.Proposals, e.Colliding}); err != nil {
			continue // no Key: not shared
		}
		e.Key = hex.EncodeToString(h.Sum(nil)[:16])
	}
}

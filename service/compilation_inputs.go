package service

import (
	"context"
	"sort"
	"sync"

	"chancery/drafts"
)

// The inputs of a compilation (the open proposals, numbered and in
// order), made once per state of the proposal index and shared.

// openInputs returns the open proposals among infos (doc's proposals'
// keys and ETags) as compileInputsOf makes them, once for every caller
// with the same infos (shared: read only).
func (s *Service) openInputs(ctx context.Context, doc string, infos []drafts.ObjectInfo) ([]*drafts.Proposal, string, error) {
	return s.lastCompiled.inputs(doc, infos).get(func() ([]*drafts.Proposal, string, error) {
		return s.compileInputsOf(ctx, doc, infos)
	})
}

// compileInputsOf returns the open proposals among infos (doc's
// proposals' keys and ETags), numbered and in the order they were made,
// and their digest (proposalsDigest).
func (s *Service) compileInputsOf(ctx context.Context, doc string, infos []drafts.ObjectInfo) ([]*drafts.Proposal, string, error) {
	open, err := s.openToCompile(ctx, infos)
	if err != nil {
		return nil, "", err
	}
	if open, err = s.numbered(ctx, doc, open); err != nil {
		return nil, "", err
	}
	sort.SliceStable(open, func(i, j int) bool { return open[i].CreatedAt.Before(open[j].CreatedAt) })
	return open, proposalsDigest(open), nil
}

// compiledFrom keeps, per document, the open proposals as a compilation
// reads them, made from the proposals' keys and ETags as proposalInfos
// last returned them (one slice for as long as none changed). The room
// asking for the compilation of the head had each read, copied, numbered
// and sorted the 230 open proposals, and hashed them into the key of the
// compilation already made: 6% of the server's time.
type compiledFrom struct {
	mu   sync.Mutex
	last map[string]compiledEntry
}

type compiledEntry struct {
	infos []drafts.ObjectInfo
	in    *openInputs
}

// openInputs are the open proposals of a compilation and their digest
// (proposalsDigest), made once (shared, read only).
type openInputs struct {
	once   sync.Once
	open   []*drafts.Proposal
	digest string
	err    error
}

// inputs returns the inputs made from infos, doc's proposals' keys and
// ETags, to be made if they are not.
func (c *compiledFrom) inputs(doc string, infos []drafts.ObjectInfo) *openInputs {
	if len(infos) == 0 {
		return &openInputs{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.last[doc]; ok && len(e.infos) == len(infos) && &e.infos[0] == &infos[0] {
		return e.in
	}
	if c.last == nil || len(c.last) >= maxIndexes {
		c.last = map[string]compiledEntry{}
	}
	in := &openInputs{}
	c.last[doc] = compiledEntry{infos: infos, in: in}
	return in
}

// get returns the inputs, made with build by the first caller. A caller
// after one whose making failed (its request ended, the storage failed)
// makes its own.
func (in *openInputs) get(build func() ([]*drafts.Proposal, string, error)) ([]*drafts.Proposal, string, error) {
	in.once.Do(func() { in.open, in.digest, in.err = build() })
	if in.err != nil {
		return build()
	}
	return in.open, in.digest, nil
}

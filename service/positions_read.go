package service

import (
	"context"
	"slices"

	"chancery/drafts"
)

// mayRead reports whether u may see position p of document d, which u
// sees: one visible to members only is hidden from observers.
func (s *Service) mayRead(u *drafts.User, d *drafts.Document, p *drafts.Position) bool {
	return s.authorize(u, drafts.ActDocumentRead, p.Resource(d)) == nil
}

// visiblePositions returns the positions of all that u may see.
func (s *Service) visiblePositions(u *drafts.User, d *drafts.Document, all []*drafts.Position) []*drafts.Position {
	out := make([]*drafts.Position, 0, len(all))
	for _, p := range all {
		if s.mayRead(u, d, p) {
			out = append(out, p)
		}
	}
	return out
}

// ListPositions returns one page of the positions open in version n (0
// for the head) that the caller may see, in the order they were recorded.
func (s *Service) ListPositions(ctx context.Context, doc string, n int, opt drafts.ListOptions) (_ *drafts.Page[*drafts.Position], err error) {
	defer markOp(&err, "service.ListPositions")
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		n = d.Head
	}
	if n < 1 || n > d.Head {
		return nil, drafts.Errorf(drafts.ENOTFOUND, "no version %d of document %s", n, d.Symbol)
	}
	// The positions' standing is read from the version: shared, read only.
	v, _, err := s.versionView(ctx, doc, n)
	if err != nil {
		return nil, err
	}
	sp, _, err := s.positions(ctx, doc)
	if err != nil {
		return nil, err
	}
	all := sp.Positions
	if opt.Cursor != "" {
		// The cursor names the last position of the page before: the list
		// goes on after it in the order of recording, which never changes.
		id, err := keyOfCursor(opt.Cursor)
		if err != nil {
			return nil, err
		}
		i := 0
		for i < len(all) && all[i].ID != id {
			i++
		}
		if i == len(all) {
			return nil, &drafts.Error{Code: drafts.EMALFORMED, Message: "cursor: not a cursor this server gave",
				Fields: []drafts.FieldError{{Field: "cursor", Message: "invalid"}}}
		}
		all = all[i+1:]
	}
	page := &drafts.Page[*drafts.Position]{Items: []*drafts.Position{}}
	want := pageSize(opt)
	for i, p := range all {
		if len(page.Items) == want {
			page.NextCursor = cursorOf(all[i-1].ID)
			break
		}
		if p.OpenIn(n) && s.mayRead(u, d, p) {
			page.Items = append(page.Items, p)
		}
	}
	page.Items = drafts.PositionsIn(v, page.Items, "")
	return page, nil
}

// compilePositions puts the positions open in v that u may see, of those
// sp holds, under the provisions of the compilation of v (those on the
// whole text apart).
// comp's entries and positions may be shared with other readers: they
// are copied before any position is put in them.
func (s *Service) compilePositions(u *drafts.User, d *drafts.Document, comp *drafts.Compilation, v *drafts.Version, sp *storedPositions) {
	visible := s.visiblePositions(u, d, sp.Positions)
	if len(visible) == 0 {
		return
	}
	comp.Entries, comp.WholeText = slices.Clone(comp.Entries), slices.Clip(comp.WholeText)
	at := map[string]int{}
	for i, e := range comp.Entries {
		if e.Provision.ID != "" {
			at[e.Provision.ID] = i
		}
	}
	for _, p := range drafts.PositionsIn(v, visible, "") {
		if i, ok := at[p.Provision]; ok {
			comp.Entries[i].Positions = append(comp.Entries[i].Positions, p)
		} else if p.Provision == "" {
			comp.WholeText = append(comp.WholeText, p)
		}
	}
}

// PositionNotes returns the footnotes that record positions with the
// adopted version n.
func (s *Service) PositionNotes(ctx context.Context, doc string, n int) (_ drafts.PrintNotes, err error) {
	defer markOp(&err, "service.PositionNotes")
	u, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return drafts.PrintNotes{}, err
	}
	v, err := s.getVersion(ctx, doc, n)
	if err != nil {
		return drafts.PrintNotes{}, err
	}
	return s.positionNotes(ctx, u, d, v)
}

// positionNotes are the footnotes of v's print that record the positions
// u may see: none unless v is the adopted version of d.
func (s *Service) positionNotes(ctx context.Context, u *drafts.User, d *drafts.Document, v *drafts.Version) (drafts.PrintNotes, error) {
	if d.Adopted == 0 || d.Adopted != v.Number {
		return drafts.PrintNotes{}, nil
	}
	sp, _, err := s.positions(ctx, d.ID)
	if err != nil {
		return drafts.PrintNotes{}, err
	}
	return drafts.PositionPrintNotes(d.Language, v, drafts.PositionsIn(v, s.visiblePositions(u, d, sp.Positions), "")), nil
}

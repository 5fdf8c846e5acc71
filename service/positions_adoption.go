package service

import (
	"context"

	"chancery/drafts"
)

// The adoption guard and the members still silent: a text is not put to
// adoption, nor adopted by consensus, while a provision is in square
// brackets or a member delegation cannot join (ENOTAGREED, naming them);
// a round lists the members that have not answered.

// checkAgreed refuses to adopt version n of doc while it is not agreed:
// every open position counts, whoever may see it (the chair sees all).
func (s *Service) checkAgreed(ctx context.Context, doc string, n int) error {
	v, err := s.getVersion(ctx, doc, n)
	if err != nil {
		return err
	}
	sp, _, err := s.positions(ctx, doc)
	if err != nil {
		return err
	}
	return drafts.NotAgreedError(drafts.NotAgreed(v, drafts.PositionsIn(v, sp.Positions, "")))
}

// withAwaiting completes a round read by a method (err its failure) with
// the member delegations that have neither consented nor objected. If the
// directory cannot be read, the round goes without (Awaiting nil), logged:
// the method's own work is done.
func (s *Service) withAwaiting(ctx context.Context, r *drafts.AdoptionRound, err error) (*drafts.AdoptionRound, error) {
	if err != nil || r == nil {
		return r, err
	}
	members, err := s.memberDelegations(ctx)
	if err != nil {
		s.Log.Warn("the round's silent members are not listed", "document", r.Document, "err", err)
		r.Awaiting = nil
		return r, nil
	}
	answered := map[string]bool{}
	for _, x := range append(append([]drafts.Response{}, r.Consents...), r.Objections...) {
		answered[x.Delegation] = true
	}
	r.Awaiting = []string{}
	for _, m := range members {
		if !answered[m] {
			r.Awaiting = append(r.Awaiting, m)
		}
	}
	return r, nil
}

// memberDelegations returns the ids of the member delegations, in order.
func (s *Service) memberDelegations(ctx context.Context) ([]string, error) {
	var out []string
	opt := drafts.ListOptions{Limit: 500}
	for {
		page, err := listDirectory(ctx, s, delegationsPrefix, opt, cloneDelegation)
		if err != nil {
			return nil, err
		}
		for _, d := range page.Items {
			if d.Status == drafts.StatusMember {
				out = append(out, d.ID)
			}
		}
		if page.NextCursor == "" {
			return out, nil
		}
		opt.Cursor = page.NextCursor
	}
}

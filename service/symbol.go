package service

import (
	"context"
	"fmt"
	"time"

	"chancery/drafts"
)

// A document symbol ("CICA/SWG/2026/R.1") names one document: delegations
// cite it, and two documents under one symbol would be two texts under
// one name. Each symbol is claimed by a create-only object, so that of two
// creations with one symbol, even on two replicas, exactly one succeeds.

// symbolClaim records which document holds a symbol.
type symbolClaim struct {
	Symbol   string    `json:"symbol"`
	Document string    `json:"document"`
	At       time.Time `json:"at"`
}

// claimSymbol claims d's symbol for d. ECONFLICT, naming the field, if
// another document holds it. A claim whose document was never made (its
// creation failed and could not take the claim back) is taken over once
// it is older than any creation takes.
func (s *Service) claimSymbol(ctx context.Context, d *drafts.Document) error {
	key := symbolKey(d.Symbol)
	claim := symbolClaim{Symbol: d.Symbol, Document: d.ID, At: d.CreatedAt}
	return retry(func() error {
		_, err := s.createJSON(ctx, key, claim)
		if !drafts.IsCode(err, drafts.ECONFLICT) {
			return err
		}
		var held symbolClaim
		etag, err := s.getJSON(ctx, key, &held)
		switch {
		case drafts.IsCode(err, drafts.ENOTFOUND):
			return drafts.Errorf(drafts.EPRECONDITION, "the claim of %s was taken back: claim it again", d.Symbol)
		case err != nil:
			return err
		}
		_, err = s.readDocument(ctx, held.Document)
		if err == nil || !drafts.IsCode(err, drafts.ENOTFOUND) || s.now().Sub(held.At) < pendingTimeout {
			if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
				return err
			}
			msg := fmt.Sprintf("another document has the symbol %s already", held.Symbol)
			return &drafts.Error{Code: drafts.ECONFLICT, Message: "symbol: " + msg, Fields: []drafts.FieldError{{Field: "symbol", Message: msg}}}
		}
		_, err = s.updateJSON(ctx, key, claim, etag)
		return err
	})
}

// claimStoredSymbol claims the symbol of a document stored before symbols
// were claimed; a symbol claimed already stays with its holder.
func (s *Service) claimStoredSymbol(ctx context.Context, d *drafts.Document) error {
	_, err := s.createJSON(ctx, symbolKey(d.Symbol), symbolClaim{Symbol: d.Symbol, Document: d.ID, At: d.CreatedAt})
	if drafts.IsCode(err, drafts.ECONFLICT) {
		return nil
	}
	return err
}

package service

import (
	"context"
	"time"

	"chancery/drafts"
)

// Webhook endpoints are changes of the directory, each with its event in
// the directory's trail (see audit.go). A registration carries its entry
// in the endpoint's object ("webhook/<id>"). A removal deletes that
// object, so it first writes, create-only, a removal record
// (webhookRemovalKey) carrying the removal's entry ("webhook/<id>/remove")
// and the registration's: the record is the change, the deletion follows
// it. A crash after the record and before the deletion leaves an endpoint
// whose removal is stored: completion deletes it before chaining the
// removal's event, so that the trail never records a removal the store
// contradicts.

// webhookRemoval is the record of an endpoint's removal.
type webhookRemoval struct {
	ID    string              `json:"id"`
	At    time.Time           `json:"at"`
	Audit []drafts.AuditEntry `json:"audit"`
}

func webhookChange(id string) string       { return "webhook/" + id }
func webhookRemoveChange(id string) string { return "webhook/" + id + "/remove" }

// registerWebhook stores w, a new endpoint, with its entry, and chains its
// event. If the event cannot be written the endpoint is removed again
// (its secret would never be shown) and the request fails.
func (s *Service) registerWebhook(ctx context.Context, w *storedWebhook) error {
	tx, err := s.beginDirectoryChange(ctx)
	if err != nil {
		return err
	}
	w.Audit = []drafts.AuditEntry{s.auditEntry(ctx, webhookChange(w.ID), "webhook.create", w.ID, w.URL)}
	if _, err := s.createJSON(ctx, webhookKey(w.ID), w); err != nil {
		return err
	}
	if err := s.commitChange(ctx, tx, w.Audit...); err != nil {
		s.discard(ctx, webhookKey(w.ID))
		return drafts.WrapError(drafts.EUNAVAILABLE, err, "the endpoint could not be registered: its entry in the audit trail could not be written (the storage did not answer); register it again")
	}
	return nil
}

// removeWebhook removes endpoint id: its removal record, then the
// endpoint, then the event.
func (s *Service) removeWebhook(ctx context.Context, id string) error {
	tx, err := s.beginDirectoryChange(ctx)
	if err != nil {
		return err
	}
	w, err := s.getWebhook(ctx, id)
	if err != nil {
		return err
	}
	rm := &webhookRemoval{ID: id, At: s.now(),
		Audit: append(w.Audit, s.auditEntry(ctx, webhookRemoveChange(id), "webhook.delete", id, ""))}
	if _, err := s.createJSON(ctx, webhookRemovalKey(id), rm); err != nil {
		if drafts.IsCode(err, drafts.ECONFLICT) {
			// Removed meanwhile, or a removal cut short: it is finished
			// (here or by completion, which also chains its event).
			_ = s.Store.Delete(ctx, webhookKey(id), "")
			s.owe(tx.t)
			return drafts.Errorf(drafts.ENOTFOUND, "no webhook %q", id)
		}
		return err
	}
	if err := s.Store.Delete(ctx, webhookKey(id), ""); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		s.owe(tx.t) // completion deletes it and chains the event
		return err
	}
	return s.commitChange(ctx, tx, rm.Audit[len(rm.Audit)-1])
}

// webhookChanges lists the registrations of the endpoints stored, from st.
func (s *Service) webhookChanges(ctx context.Context, st drafts.ObjectStore, _ trail, _ *chainScan) ([]storedChange, error) {
	return recordChanges(ctx, s, st, webhooksPrefix, "a webhook endpoint", func(w *storedWebhook) []drafts.AuditEntry { return w.Audit })
}

// webhookRemovalChanges lists the removals of endpoints, and the
// registrations their records keep, from st. The entry of a removal, when
// completion asks for it, first deletes the endpoint if it is still
// stored.
func (s *Service) webhookRemovalChanges(ctx context.Context, st drafts.ObjectStore, _ trail, _ *chainScan) ([]storedChange, error) {
	_, rms, err := readAllIn[webhookRemoval](ctx, s, st, webhookRemovalsPrefix, directoryKeyCheck(webhookRemovalsPrefix, "a webhook removal"))
	if err != nil {
		return nil, err
	}
	var out []storedChange
	for _, rm := range rms {
		for _, a := range rm.Audit {
			c := entryChange(a)
			if a.Change == webhookRemoveChange(rm.ID) {
				c.entry = func(ctx context.Context) (*drafts.AuditEntry, error) {
					if err := s.Store.Delete(ctx, webhookKey(rm.ID), ""); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
						return nil, err
					}
					return &a, nil
				}
			}
			out = append(out, c)
		}
	}
	return out, nil
}

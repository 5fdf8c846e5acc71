package service_test

import (
	"context"
	"encoding/json"
	"strings"

	"chancery/drafts"
)

// crashKindsOfMain are the kinds of change that came with proposal
// numbers and sub-amendments, positions, the focus, language versions and
// webhooks.
var crashKindsOfMain = []struct {
	name    string
	prepare func(w *crashWorld) error
	change  func(w *crashWorld) error
}{
	{"oral proposal", nil, func(w *crashWorld) error {
		_, err := w.svc.CreateProposal(w.chair, w.doc, drafts.ProposalInput{Base: 1, OnBehalfOf: "KZ", Source: drafts.SourceOral,
			Operations: []drafts.Operation{{Op: "replace", Provision: w.v.Provisions[3].ID, Text: "Four, orally."}}})
		return err
	}},
	{"sub-amendment made obsolete", func(w *crashWorld) error {
		_, err := w.svc.CreateProposal(w.in, w.doc, drafts.ProposalInput{Amends: w.proposals[0],
			Operations: []drafts.Operation{{Op: "replace", Provision: w.v.Provisions[0].ID, Text: "First changed, amended."}}})
		return err
	}, func(w *crashWorld) error {
		_, err := w.svc.WithdrawProposal(w.kz, w.doc, w.proposals[0], "")
		return err
	}},
	{"numbering", func(w *crashWorld) error { return unnumberAll(w.svc.Store, w.doc) }, func(w *crashWorld) error {
		_, err := w.svc.ListProposals(w.kz, w.doc, drafts.ProposalFilter{}, drafts.ListOptions{})
		return err
	}},
	{"position", nil, func(w *crashWorld) error { return w.recordPosition() }},
	{"position withdrawn", func(w *crashWorld) error { return w.recordPosition() }, func(w *crashWorld) error {
		_, err := w.svc.WithdrawPosition(w.kz, w.doc, w.position)
		return err
	}},
	{"focus", nil, func(w *crashWorld) error { _, err := w.svc.SetFocus(w.chair, w.doc, w.v.Provisions[1].ID); return err }},
	{"focus cleared", func(w *crashWorld) error { _, err := w.svc.SetFocus(w.chair, w.doc, w.v.Provisions[1].ID); return err },
		func(w *crashWorld) error { _, err := w.svc.SetFocus(w.chair, w.doc, ""); return err }},
	{"language version", nil, func(w *crashWorld) error { return w.addRussian() }},
	{"translation", func(w *crashWorld) error { return w.addRussian() }, func(w *crashWorld) error {
		_, _, err := w.svc.SetTranslation(w.chair, w.doc, 1, w.v.Provisions[0].ID, "ru", "1. Первый.", "")
		return err
	}},
	{"webhook", nil, func(w *crashWorld) error { return w.addHook() }},
	{"webhook removed", func(w *crashWorld) error { return w.addHook() }, func(w *crashWorld) error { return w.svc.DeleteWebhook(w.system, w.hook) }},
}

func (w *crashWorld) recordPosition() error {
	p, err := w.svc.RecordPosition(w.kz, w.doc, drafts.PositionInput{Provision: w.v.Provisions[1].ID, Kind: drafts.PositionReservation, Text: "Reserved."})
	if err == nil {
		w.position = p.ID
	}
	return err
}

func (w *crashWorld) addRussian() error {
	_, err := w.svc.AddLanguage(w.chair, w.doc, "ru", "1. Один.\n\n2. Два.\n\n3. Три.\n\n4. Четыре.\n")
	return err
}

func (w *crashWorld) addHook() error {
	h, _, err := w.svc.CreateWebhook(w.system, drafts.WebhookInput{URL: "https://hooks.example.org/chancery"})
	if err == nil {
		w.hook = h.ID
	}
	return err
}

// unnumberAll makes the document's proposals as a Chancery before numbers
// stored them: no number, no claims, no start of numbering.
func unnumberAll(store drafts.ObjectStore, doc string) error {
	ctx := context.Background()
	objs, _, err := store.List(ctx, "texts/"+doc+"/", "", 1000)
	if err != nil {
		return err
	}
	for _, o := range objs {
		switch {
		case strings.Contains(o.Key, "/numbers/") || strings.HasSuffix(o.Key, "/numbering.json"):
			err = store.Delete(ctx, o.Key, "")
		case strings.Contains(o.Key, "/proposals/"):
			var obj *drafts.Object
			if obj, err = store.Get(ctx, o.Key); err != nil {
				return err
			}
			var m map[string]any
			if err := json.Unmarshal(obj.Data, &m); err != nil {
				return err
			}
			delete(m, "number")
			data, _ := json.Marshal(m)
			_, err = store.Update(ctx, o.Key, data, obj.ETag)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

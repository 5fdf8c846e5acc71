package service

import (
	"context"
	"fmt"
	"strings"

	"chancery/drafts"
)

// Keeping language versions in step: every new version (a merge, a
// chair's revision, a renumbering) carries each language version over
// from the version it was made from (drafts.CarryOver), before the
// document's head moves to it; an adoption round needs every language
// version of the head current; a document read says how far each
// language is.

// keepLanguagesInStep carries every language version of v's document
// over from v's parent to v. d, when not nil, is the document as this
// request last read or wrote it. It is done again, harmlessly, by
// whoever completes v after a failure: a set carried over already stays.
func (s *Service) keepLanguagesInStep(ctx context.Context, v *drafts.Version, d *drafts.Document) error {
	if d == nil {
		var err error
		if d, err = s.readDocument(ctx, v.Document); err != nil {
			return err
		}
	}
	if len(d.LanguageVersions) == 0 || v.Parent < 1 {
		return nil
	}
	var from *drafts.Version
	for _, lang := range d.LanguageVersions {
		if _, _, err := s.translations(ctx, v.Document, lang, v.Number); err == nil {
			continue // carried over already
		} else if !drafts.IsCode(err, drafts.ENOTFOUND) {
			return err
		}
		prev, err := s.sealTranslations(ctx, v.Document, lang, v.Parent)
		if err != nil {
			return err
		}
		if from == nil {
			if from, err = s.rawVersion(ctx, v.Document, v.Parent); err != nil {
				return err
			}
		}
		ts := &translationSet{Language: lang, Version: v.Number,
			Translations: drafts.CarryOver(lang, prev, from.Provisions, v.Provisions, v.Translated[lang])}
		if _, err := s.createJSON(ctx, translationKey(v.Document, lang, v.Number), ts); err != nil && !drafts.IsCode(err, drafts.ECONFLICT) {
			return err
		}
	}
	return nil
}

// sealTranslations marks the language version lang of version n sealed,
// so that no revision changes it once a version was made from it, and
// returns its translations as sealed. A version with no set in lang
// (none was ever made: the language came later) has none.
func (s *Service) sealTranslations(ctx context.Context, doc, lang string, n int) (map[string]drafts.Translation, error) {
	var out map[string]drafts.Translation
	err := retry(func() error {
		ts, etag, err := s.translations(ctx, doc, lang, n)
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			out = nil
			return nil
		}
		if err != nil {
			return err
		}
		out = ts.Translations
		if ts.Sealed {
			return nil
		}
		ts.Sealed = true
		_, err = s.updateJSON(ctx, translationKey(doc, lang, n), ts, etag)
		return err
	})
	return out, err
}

// languageStates sums up each language of d's head: the original, every
// provision current; each language version, from its set.
func (s *Service) languageStates(ctx context.Context, d *drafts.Document, head *drafts.Version) ([]drafts.LanguageState, error) {
	out := []drafts.LanguageState{{Language: d.Language, Original: true, Current: len(head.Provisions)}}
	for _, lang := range d.LanguageVersions {
		ts, _, err := s.translations(ctx, d.ID, lang, head.Number)
		if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, err
		}
		var set map[string]drafts.Translation
		if ts != nil {
			set = ts.Translations
		}
		out = append(out, drafts.CountTranslations(lang, head, set))
	}
	return out, nil
}

// checkLanguagesInStep refuses an adoption round on the head of d while
// a language version of it is stale or missing anywhere: ELANGUAGES
// naming each such provision.
func (s *Service) checkLanguagesInStep(ctx context.Context, d *drafts.Document) error {
	if len(d.LanguageVersions) == 0 {
		return nil
	}
	head, err := s.rawVersion(ctx, d.ID, d.Head)
	if err != nil {
		return err
	}
	var fields []drafts.FieldError
	var names []string
	for _, lang := range d.LanguageVersions {
		ts, _, err := s.translations(ctx, d.ID, lang, head.Number)
		if err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
			return err
		}
		var set map[string]drafts.Translation
		if ts != nil {
			set = ts.Translations
		}
		tv := drafts.TranslateVersion(nil, head, d.Language, lang, set)
		for i, p := range tv.Provisions {
			if p.Translation == drafts.TranslationCurrent {
				continue
			}
			name := drafts.ProvisionNameIn(head.Provisions, i)
			names = append(names, fmt.Sprintf("%s %s (%s)", lang, name, p.Translation))
			fields = append(fields, drafts.FieldError{Field: "provisions." + p.ID,
				Message: fmt.Sprintf("%s: %s is %s", lang, name, stateWords(p.Translation))})
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &drafts.Error{Code: drafts.ELANGUAGES, Fields: fields,
		Message: fmt.Sprintf("the language versions of version %d are not in step with the original: %s; translate them before the text goes to adoption", head.Number, strings.Join(names, ", "))}
}

// stateWords says what a translation state means.
func stateWords(state string) string {
	switch state {
	case drafts.TranslationStale:
		return "stale: the original changed since it was translated"
	case drafts.TranslationMissing:
		return "missing: not translated yet"
	}
	return state
}

// translationChanges lists the revisions of the language versions of a
// document, read from st, for the audit (see changes.go): each revision
// in a set's log is a change, the log entry its audit entry.
func (s *Service) translationChanges(ctx context.Context, st drafts.ObjectStore, t trail, _ *chainScan) ([]storedChange, error) {
	prefix := translationsPrefix(t.doc)
	keys, sets, err := readAllIn[translationSet](ctx, s, st, prefix, func(k string) error {
		_, _, err := translationOfKey(k, prefix)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []storedChange
	for i, ts := range sets {
		lang, n, _ := translationOfKey(keys[i], prefix)
		for _, r := range ts.Log {
			if r.Detail == "" { // a revision stored before revisions kept their detail
				r.Detail = "text hash " + short(r.Hash)
				if r.Provision == "" {
					r.Detail = fmt.Sprintf("%d provisions, %s", len(ts.Translations), r.Detail)
				}
			}
			out = append(out, entryChange(translationEntry(lang, n, r)))
		}
	}
	return out, nil
}

// translationEntry is the audit entry of revision r of the language
// version lang of version n.
func translationEntry(lang string, n int, r translationRevision) drafts.AuditEntry {
	action := "translation.provision"
	if r.Provision == "" {
		action = "translation.text"
	}
	return drafts.AuditEntry{Change: translationChange(lang, n, r.Rev), At: r.At, Actor: r.Actor, Delegation: r.Delegation,
		Action: action, Ref: translationRef(lang, n, r.Provision), Detail: r.Detail}
}

// short is the first 12 characters of a hash.
func short(h string) string { return h[:min(12, len(h))] }

package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"chancery/drafts"
)

// Language versions (drafts.TranslationService). Each version of a
// document has, in each of its language versions, one translationSet: the
// translation of every provision. It is made when the language is added
// (on the head) or carried over from the version before when a version is
// made (translations_step.go); while its version is the head, the
// secretariat or the chair revise it, each revision logged with its
// audit event; when the next version is made from it, it is sealed and
// never changes again. Reading a version in a language costs one read
// more than reading it in the original: its set.

// translationSet is the language version of one version, as stored.
type translationSet struct {
	Language     string                        `json:"language"`
	Version      int                           `json:"version"`
	Translations map[string]drafts.Translation `json:"translations"`
	// Sealed is set when the next version was made from this one: no
	// revision may change it afterwards.
	Sealed bool `json:"sealed,omitempty"`
	// Rev counts the revisions; Log holds each, so that each has its
	// event. A set carried over from the version before has none.
	Rev int                   `json:"rev,omitempty"`
	Log []translationRevision `json:"log,omitempty"`
}

// translationRevision is one revision of a language version by a person:
// the whole text (Provision "") or one provision, whose translation
// before is kept (Previous).
type translationRevision struct {
	Rev        int                 `json:"rev"`
	Provision  string              `json:"provision,omitempty"`
	Previous   *drafts.Translation `json:"previous,omitempty"`
	Hash       string              `json:"hash"` // of the text sent
	Actor      string              `json:"actor"`
	Delegation string              `json:"delegation,omitempty"`
	At         time.Time           `json:"at"`
	// Detail is its audit event's detail (see translationEntry).
	Detail string `json:"detail,omitempty"`
}

func cloneTranslationSet(ts *translationSet) *translationSet {
	c := clonePtr(ts)
	c.Translations, c.Log = maps.Clone(ts.Translations), slices.Clone(ts.Log)
	return c
}

// cloneTranslated copies Version.Translated.
func cloneTranslated(m map[string]map[string]string) map[string]map[string]string {
	if m == nil {
		return nil
	}
	c := make(map[string]map[string]string, len(m))
	for k, v := range m {
		c[k] = maps.Clone(v)
	}
	return c
}

// translations reads the language version lang of version n and its
// ETag. ENOTFOUND if there is none.
func (s *Service) translations(ctx context.Context, doc, lang string, n int) (*translationSet, string, error) {
	ts, etag, err := getMutable(ctx, s, translationKey(doc, lang, n), cloneTranslationSet)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, "", drafts.Errorf(drafts.ENOTFOUND, "version %d has no %s version", n, lang)
	}
	if err != nil {
		return nil, "", err
	}
	if ts.Translations == nil {
		ts.Translations = map[string]drafts.Translation{}
	}
	return ts, etag, nil
}

// checkLanguageTag refuses a malformed language tag, naming the field.
func checkLanguageTag(lang string) error {
	if !drafts.ValidLanguage(lang) {
		return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("language: %q is not a language tag such as en or ru", lang),
			Fields: []drafts.FieldError{{Field: "language", Message: "a language tag such as en or ru"}}}
	}
	return nil
}

// languageVersionOf checks that lang is one of d's language versions (not
// its original language).
func languageVersionOf(d *drafts.Document, lang string) error {
	if err := checkLanguageTag(lang); err != nil {
		return err
	}
	if lang == d.Language {
		return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("language: %s is the original language of %s; its text changes by a revised version or a merge", lang, d.Symbol),
			Fields: []drafts.FieldError{{Field: "language", Message: "the original language"}}}
	}
	if !slices.Contains(d.LanguageVersions, lang) {
		return drafts.Errorf(drafts.ENOTFOUND, "document %s has no %s version", d.Symbol, lang)
	}
	return nil
}

// translatableHead checks that the head of d may take a translation: no
// new version being made.
func translatableHead(d *drafts.Document, n int) error {
	if n != d.Head {
		return drafts.Errorf(drafts.ECONFLICT, "version %d is superseded by version %d; only the head's translations can change", n, d.Head)
	}
	if d.Pending > d.Head {
		return drafts.Errorf(drafts.ECONFLICT, "a new version of the document is being made; try again in a moment")
	}
	return nil
}

// reviseTranslations applies change to the language version lang of
// version n (an empty one if there is none yet) as revision rev, and
// stores it: create-only when new, else if unchanged since read.
// ECONFLICT if the version is superseded (its set sealed). It returns
// the set, its new ETag, and whether this revision created it.
func (s *Service) reviseTranslations(ctx context.Context, doc, lang string, n int, rev translationRevision, change func(ts *translationSet, etag string, rev *translationRevision) error) (*translationSet, string, bool, error) {
	var ts *translationSet
	var etag string
	created := false
	err := retry(func() error {
		var err error
		ts, etag, err = s.translations(ctx, doc, lang, n)
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			ts, etag, err = &translationSet{Language: lang, Version: n, Translations: map[string]drafts.Translation{}}, "", nil
		}
		if err != nil {
			return err
		}
		if ts.Sealed {
			return drafts.Errorf(drafts.ECONFLICT, "version %d is superseded; send the translation of the head", n)
		}
		r := rev
		if err := change(ts, etag, &r); err != nil {
			return err
		}
		ts.Rev++
		r.Rev = ts.Rev
		ts.Log = append(ts.Log, r)
		key := translationKey(doc, lang, n)
		if etag == "" {
			etag, err = s.createJSON(ctx, key, ts)
			if drafts.IsCode(err, drafts.ECONFLICT) {
				return drafts.Errorf(drafts.EPRECONDITION, "the %s version was made meanwhile", lang)
			}
			created = err == nil
			return err
		}
		etag, err = s.updateJSON(ctx, key, ts, etag)
		return err
	})
	return ts, etag, created, err
}

// revision is a revision by the user of ctx of a text that hashes to hash.
func (s *Service) revision(u *drafts.User, provision, text string) translationRevision {
	return translationRevision{Provision: provision, Hash: drafts.HashText(text), Actor: u.ID, Delegation: u.Delegation, At: s.now()}
}

// AddLanguage stores the whole head in a language as its language
// version, aligned to the head's provisions.
func (s *Service) AddLanguage(ctx context.Context, doc, lang, text string) (_ *drafts.Version, err error) {
	defer markOp(&err, "service.AddLanguage")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActTranslationSet, true)
	if err != nil {
		return nil, err
	}
	if err := checkLanguageTag(lang); err != nil {
		return nil, err
	}
	if err := languageVersionOf(d, lang); err != nil && !drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, err
	}
	if err := translatableHead(d, d.Head); err != nil {
		return nil, err
	}
	head, err := s.rawVersion(ctx, doc, d.Head)
	if err != nil {
		return nil, err
	}
	t, err := drafts.ParseText(text, s.TextLimits)
	if err != nil {
		return nil, err
	}
	aligned, err := drafts.AlignTranslation(head.Provisions, t)
	if err != nil {
		return nil, err
	}
	rev := s.revision(u, "", text)
	rev.Detail = fmt.Sprintf("%d provisions, text hash %s", len(aligned), short(rev.Hash))
	tx, err := s.beginChange(ctx, doc)
	if err != nil {
		return nil, err
	}
	ts, _, created, err := s.reviseTranslations(ctx, doc, lang, head.Number, rev, func(ts *translationSet, _ string, _ *translationRevision) error {
		ts.Translations = aligned
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.listLanguage(ctx, d, head.Number, lang); err != nil {
		if created {
			s.discard(ctx, translationKey(doc, lang, head.Number))
		}
		// A revision left stored (of a set there before, or not
		// discarded) owes its event: completion writes it.
		s.owe(tx.t)
		return nil, err
	}
	if err := s.commitChange(ctx, tx, translationEntry(lang, head.Number, ts.Log[len(ts.Log)-1])); err != nil {
		return nil, err
	}
	return s.GetVersionIn(ctx, doc, head.Number, lang)
}

// listLanguage adds lang to d's language versions, unless the head moved
// from n or a version is being made: then the language version of n
// would not be carried over, and the request fails.
func (s *Service) listLanguage(ctx context.Context, d *drafts.Document, n int, lang string) error {
	if slices.Contains(d.LanguageVersions, lang) {
		return nil
	}
	_, err := s.updateDocumentFrom(ctx, d, func(d *drafts.Document) error {
		if err := translatableHead(d, n); err != nil {
			return err
		}
		if err := checkNotInAdoption(d); err != nil {
			return err
		}
		if d.State == drafts.StateAdopted || d.State == drafts.StateWithdrawn {
			return drafts.Errorf(drafts.ECONFLICT, "document %s is %s", d.Symbol, d.State)
		}
		if slices.Contains(d.LanguageVersions, lang) {
			return errUnchanged
		}
		d.LanguageVersions = append(d.LanguageVersions, lang)
		return nil
	})
	return err
}

// SetTranslation records the translation of one provision of the head.
func (s *Service) SetTranslation(ctx context.Context, doc string, n int, id, lang, text, ifMatch string) (_ *drafts.Provision, _ string, err error) {
	defer markOp(&err, "service.SetTranslation")
	u, d, err := s.changeableDocument(ctx, doc, drafts.ActTranslationSet, true)
	if err != nil {
		return nil, "", err
	}
	if err := languageVersionOf(d, lang); err != nil {
		return nil, "", err
	}
	v, err := s.getVersion(ctx, doc, n)
	if err != nil {
		return nil, "", err
	}
	if err := translatableHead(d, n); err != nil {
		return nil, "", err
	}
	p, i := v.Provision(id)
	if i < 0 {
		return nil, "", drafts.Errorf(drafts.ENOTFOUND, "no provision %q in version %d", id, n)
	}
	rev := s.revision(u, id, text)
	rev.Detail = "text hash " + short(rev.Hash)
	tx, err := s.beginChange(ctx, doc)
	if err != nil {
		return nil, "", err
	}
	ts, etag, _, err := s.reviseTranslations(ctx, doc, lang, n, rev, func(ts *translationSet, etag string, rev *translationRevision) error {
		if ifMatch != "" && ifMatch != translatedTag(v.ETag, etag) {
			return &drafts.Error{Code: drafts.EPRECONDITION, Message: fmt.Sprintf("the %s version changed since it was read", lang), Err: errClientPrecondition}
		}
		before := ts.Translations[id]
		number := before.Number
		if number == "" {
			number = drafts.TranslateNumber(p.Kind, p.Number, lang, "")
		}
		t, err := drafts.ProvisionTranslation(p, number, text, s.TextLimits)
		if err != nil {
			return err
		}
		ts.Translations[id] = t
		rev.Previous = &before
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if err := s.commitChange(ctx, tx, translationEntry(lang, n, ts.Log[len(ts.Log)-1])); err != nil {
		return nil, "", err
	}
	tv := drafts.TranslateVersion(s.Differ, v, d.Language, lang, ts.Translations)
	out := tv.Provisions[i]
	return &out, translatedTag(v.ETag, etag), nil
}

// translatedTag is the ETag of a version read in a language version: the
// version's (its text and statuses) and its translations'.
func translatedTag(versionTag, translationsTag string) string {
	return drafts.HashText(versionTag + ":" + translationsTag)
}

// translationChange names the stored change of revision rev of the
// language version lang of version n.
func translationChange(lang string, n, rev int) string {
	return fmt.Sprintf("translation/%s/%d/%d", lang, n, rev)
}

// translationRef is the ref of a translation event: "ru/3" for the whole
// text of version 3 in Russian, "ru/3/<id>" for one provision.
func translationRef(lang string, n int, provision string) string {
	if provision == "" {
		return fmt.Sprintf("%s/%d", lang, n)
	}
	return fmt.Sprintf("%s/%d/%s", lang, n, provision)
}

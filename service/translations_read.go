package service

import (
	"context"
	"slices"

	"chancery/drafts"
)

// Reading in a language: a version, the diff between two versions, the
// compilation, and the secretariat's list of what needs translating.

// GetVersionIn returns version n of a document in a language.
func (s *Service) GetVersionIn(ctx context.Context, doc string, n int, lang string) (_ *drafts.Version, err error) {
	defer markOp(&err, "service.GetVersionIn")
	vs, err := s.versionsIn(ctx, doc, n, []string{lang})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// GetVersionInLanguages returns version n of a document in each of langs.
func (s *Service) GetVersionInLanguages(ctx context.Context, doc string, n int, langs []string) (_ []*drafts.Version, err error) {
	defer markOp(&err, "service.GetVersionInLanguages")
	return s.versionsIn(ctx, doc, n, langs)
}

// versionsIn reads version n of doc once, with its statuses (see
// readableVersion), then the language version of each of langs that is not the
// original (side by side), and returns the version in each language.
func (s *Service) versionsIn(ctx context.Context, doc string, n int, langs []string) ([]*drafts.Version, error) {
	if len(langs) == 0 {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: "language: give one", Fields: []drafts.FieldError{{Field: "language", Message: "required"}}}
	}
	for _, l := range langs {
		if err := checkLanguageTag(l); err != nil {
			return nil, err
		}
	}
	d, v, err := s.readableVersion(ctx, doc, n)
	if err != nil {
		return nil, err
	}
	out := make([]*drafts.Version, len(langs))
	err = s.inParallel(ctx, len(langs), func(ctx context.Context, i int) error {
		if langs[i] == d.Language {
			out[i] = drafts.MarkOriginal(v, langs[i])
			return nil
		}
		if err := languageVersionOf(d, langs[i]); err != nil {
			return err
		}
		ts, etag, err := s.translations(ctx, doc, langs[i], n)
		out[i], err = s.translated(d, v, langs[i], ts, etag, err)
		return err
	})
	return out, err
}

// translated returns v in lang from its language version ts (read with
// its ETag, or the error reading it gave).
func (s *Service) translated(d *drafts.Document, v *drafts.Version, lang string, ts *translationSet, etag string, err error) (*drafts.Version, error) {
	if lerr := languageVersionOf(d, lang); lerr != nil {
		return nil, lerr
	}
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return nil, drafts.Errorf(drafts.ENOTFOUND, "version %d of %s has no %s version: the language was added later", v.Number, d.Symbol, lang)
		}
		return nil, err
	}
	tv := drafts.TranslateVersion(s.Differ, v, d.Language, lang, ts.Translations)
	tv.ETag = translatedTag(v.ETag, etag)
	return tv, nil
}

// versionIn reads version n of d (checked already) in lang, with its
// statuses; in the original language marked so.
func (s *Service) versionIn(ctx context.Context, d *drafts.Document, n int, lang string) (*drafts.Version, error) {
	if lang == "" || lang == d.Language {
		v, err := s.getVersion(ctx, d.ID, n)
		if err != nil {
			return nil, err
		}
		return drafts.MarkOriginal(v, d.Language), nil
	}
	if err := languageVersionOf(d, lang); err != nil {
		return nil, err
	}
	v, err := s.getVersion(ctx, d.ID, n)
	if err != nil {
		return nil, err
	}
	ts, etag, err := s.translations(ctx, d.ID, lang, n)
	return s.translated(d, v, lang, ts, etag, err)
}

// documentIn checks that the user of ctx may read doc and that it has
// language lang ("" for the original), and returns it.
func (s *Service) documentIn(ctx context.Context, doc, lang string) (*drafts.Document, error) {
	if lang != "" {
		if err := checkLanguageTag(lang); err != nil {
			return nil, err
		}
	}
	_, d, err := s.documentFor(ctx, doc, drafts.ActDocumentRead)
	if err != nil {
		return nil, err
	}
	if lang != "" && lang != d.Language {
		if err := languageVersionOf(d, lang); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// VersionDiffIn returns the tracked diff from version m to version n in a
// language: the changes of that language's text.
func (s *Service) VersionDiffIn(ctx context.Context, doc string, n, m int, lang string) (_ *drafts.Diff, _ *drafts.Version, _ *drafts.Version, err error) {
	defer markOp(&err, "service.VersionDiffIn")
	d, err := s.documentIn(ctx, doc, lang)
	if err != nil {
		return nil, nil, nil, err
	}
	if m < 1 {
		return s.VersionDiff(ctx, doc, n, m) // its refusal
	}
	if lang != d.Language {
		return s.translatedDiff(ctx, d, n, m, lang)
	}
	diff, from, to, err := s.versionDiff(ctx, d, n, m)
	if err != nil {
		return nil, nil, nil, err
	}
	return diff, drafts.MarkOriginal(from, lang), drafts.MarkOriginal(to, lang), nil
}

// translatedDiff diffs versions m and n of d in lang (whole: a missing
// provision as its note and the original) and credits each
// change to whoever changed the provision in the original between them.
func (s *Service) translatedDiff(ctx context.Context, d *drafts.Document, n, m int, lang string) (*drafts.Diff, *drafts.Version, *drafts.Version, error) {
	to, err := s.versionIn(ctx, d, n, lang)
	if err != nil {
		return nil, nil, nil, err
	}
	from, err := s.versionIn(ctx, d, m, lang)
	if err != nil {
		return nil, nil, nil, err
	}
	var diff *drafts.Diff
	if err := s.heavy(ctx, func() error {
		diff = s.Differ.Provisions(drafts.Whole(from).Provisions, drafts.Whole(to).Provisions)
		return nil
	}); err != nil {
		return nil, nil, nil, err
	}
	if m < n {
		originals := make([]*drafts.Version, 0, n-m+1)
		for k := m; k <= n; k++ {
			v, err := s.rawVersion(ctx, d.ID, k)
			if err != nil {
				return nil, nil, nil, err
			}
			originals = append(originals, v)
		}
		creditByProvision(diff, s.versionSteps(ctx, originals, nil), drafts.ChairName(d.Body))
	}
	return diff, from, to, nil
}

// creditByProvision credits each change of a diff in a language version
// to who changed the provision in the original over the steps: its
// words are the translators', their cause the original's authors. A
// change with one author has its inserted and deleted words credited.
func creditByProvision(diff *drafts.Diff, steps []*versionStep, chair string) {
	for i := range diff.Changes {
		c := &diff.Changes[i]
		if c.Kind == drafts.ChangeUnchanged {
			continue
		}
		var as []author
		for _, st := range steps {
			for _, a := range st.authors(chair, c.Provision) {
				if !slices.Contains(as, a) {
					as = append(as, a)
				}
			}
		}
		for _, a := range as {
			if !slices.Contains(c.Delegations, a.delegation) {
				c.Delegations = append(c.Delegations, a.delegation)
			}
			if a.proposal != "" && !slices.Contains(c.Proposals, a.proposal) {
				c.Proposals = append(c.Proposals, a.proposal)
			}
		}
		if len(as) == 1 {
			for k := range c.Segments {
				if c.Segments[k].Op != drafts.SegEqual {
					c.Segments[k].Delegation, c.Segments[k].Proposal = as[0].delegation, as[0].proposal
				}
			}
		}
	}
}

// CompileIn returns the compilation of version n in a language.
func (s *Service) CompileIn(ctx context.Context, doc string, n int, lang string) (_ *drafts.Compilation, _ *drafts.Version, err error) {
	defer markOp(&err, "service.CompileIn")
	d, err := s.documentIn(ctx, doc, lang)
	if err != nil {
		return nil, nil, err
	}
	u, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.readerCompile(ctx, u, d, n, lang, nil)
}

// TranslationWork lists the language versions of heads that need
// translating, across the documents the user may see.
func (s *Service) TranslationWork(ctx context.Context) (_ []drafts.TranslationTask, err error) {
	defer markOp(&err, "service.TranslationWork")
	u, err := s.directoryFor(ctx, drafts.ActTranslationList)
	if err != nil {
		return nil, err
	}
	objs, err := s.allInfos(ctx, documentsPrefix)
	if err != nil {
		return nil, err
	}
	sds, _, err := readListed(ctx, s, objs, cloneStoredDocument)
	if err != nil {
		return nil, err
	}
	out := []drafts.TranslationTask{}
	for _, sd := range sds {
		if sd == nil || sd.Document == nil || len(sd.LanguageVersions) == 0 ||
			sd.State == drafts.StateAdopted || sd.State == drafts.StateWithdrawn {
			continue
		}
		if ok, err := s.canSee(u, sd.Document); err != nil {
			return nil, err
		} else if !ok {
			continue
		}
		tasks, err := s.documentWork(ctx, sd.Document)
		if err != nil {
			return nil, err
		}
		out = append(out, tasks...)
	}
	return out, nil
}

// documentWork lists the language versions of d's head that need
// translating, each with its stale and missing provisions.
func (s *Service) documentWork(ctx context.Context, d *drafts.Document) ([]drafts.TranslationTask, error) {
	var out []drafts.TranslationTask
	for _, lang := range d.LanguageVersions {
		v, err := s.versionIn(ctx, d, d.Head, lang)
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			continue // a head still being completed
		}
		if err != nil {
			return nil, err
		}
		task := drafts.TranslationTask{Document: d, Version: v.Number, State: drafts.LanguageState{Language: lang}}
		for _, p := range v.Provisions {
			switch p.Translation {
			case drafts.TranslationCurrent:
				task.State.Current++
				continue
			case drafts.TranslationStale:
				task.State.Stale++
			default:
				task.State.Missing++
			}
			task.Provisions = append(task.Provisions, p)
		}
		if !task.State.InStep() {
			out = append(out, task)
		}
	}
	return out, nil
}

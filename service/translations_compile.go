package service

import (
	"context"
	"slices"

	"chancery/drafts"
)

// compileInLanguages is the compilation of v in lang ("" for the
// original language) when it involves language versions: the compilation
// is read in a language version, or proposals written in one are open.
// The proposals of each language are compiled against the texts in their
// language (v and their bases); each is listed under its provision, in
// the language it was written in (CompiledProposal.Language when that is
// not the compilation's); in a language version every provision has the
// original beside it.
func (s *Service) compileInLanguages(ctx context.Context, d *drafts.Document, v *drafts.Version, bases map[int]*drafts.Version, open []*drafts.Proposal, lang string) (*drafts.Compilation, *drafts.Version, error) {
	if lang == "" {
		lang = d.Language
	}
	groups := map[string][]*drafts.Proposal{lang: nil}
	for _, p := range open {
		l := p.Language
		if l == "" {
			l = d.Language
		}
		groups[l] = append(groups[l], p)
	}
	view, err := s.compilationView(ctx, d, v, lang)
	if err != nil {
		return nil, nil, err
	}
	comps := map[string]*drafts.Compilation{}
	for l, ps := range groups {
		if len(ps) == 0 {
			continue
		}
		vl, bl, err := s.textsIn(ctx, v, bases, ps, l, d.Language)
		if err != nil {
			return nil, nil, err
		}
		if err := s.heavy(ctx, func() error {
			comps[l] = drafts.CompileProposals(s.Differ, s.TextLimits, s.NewID, vl, bl, ps)
			return nil
		}); err != nil {
			return nil, nil, err
		}
	}
	return joinCompilations(view, comps, lang), view, nil
}

// compilationView is v as a compilation in lang shows it: in the
// original, as it is; in a language version, translated with the
// original beside every provision.
func (s *Service) compilationView(ctx context.Context, d *drafts.Document, v *drafts.Version, lang string) (*drafts.Version, error) {
	if lang == d.Language {
		return v, nil
	}
	ts, etag, err := s.translations(ctx, d.ID, lang, v.Number)
	view, err := s.translated(d, v, lang, ts, etag, err)
	if err != nil {
		return nil, err
	}
	for i, p := range view.Provisions {
		if p.Original == nil {
			o := v.Provisions[i]
			view.Provisions[i].Original = &drafts.OriginalText{Language: d.Language, Number: o.Number, Text: o.Text}
		}
	}
	return view, nil
}

// textsIn returns v and the bases of ps in language l (their original
// texts when l is the original language).
func (s *Service) textsIn(ctx context.Context, v *drafts.Version, bases map[int]*drafts.Version, ps []*drafts.Proposal, l, original string) (*drafts.Version, map[int]*drafts.Version, error) {
	if l == original {
		return v, bases, nil
	}
	out := map[int]*drafts.Version{}
	vl, err := s.baseIn(ctx, v, l)
	if err != nil {
		return nil, nil, err
	}
	out[v.Number] = vl
	for _, p := range ps {
		if _, ok := out[p.Base]; ok || bases[p.Base] == nil {
			continue
		}
		b, err := s.baseIn(ctx, bases[p.Base], l)
		if err != nil {
			return nil, nil, err
		}
		out[p.Base] = b
	}
	return vl, out, nil
}

// joinCompilations lists under each provision of view the proposals of
// every language's compilation (comps, by language), those of lang first,
// the others marked with their language.
func joinCompilations(view *drafts.Version, comps map[string]*drafts.Compilation, lang string) *drafts.Compilation {
	langs := []string{lang}
	for l := range comps {
		if l != lang {
			langs = append(langs, l)
		}
	}
	slices.Sort(langs[1:])
	byProvision := map[string][]drafts.CompiledProposal{}
	for _, l := range langs {
		c := comps[l]
		if c == nil {
			continue
		}
		for _, e := range c.Entries {
			for _, cp := range e.Proposals {
				if l != lang {
					cp.Language = l
				}
				byProvision[e.Provision.ID] = append(byProvision[e.Provision.ID], cp)
			}
		}
	}
	out := &drafts.Compilation{Document: view.Document, Version: view.Number, Entries: []drafts.CompilationEntry{}}
	if ps := byProvision[""]; len(ps) > 0 {
		out.Entries = append(out.Entries, drafts.CompilationEntry{Proposals: ps})
	}
	for _, p := range view.Provisions {
		ps := byProvision[p.ID]
		if ps == nil {
			ps = []drafts.CompiledProposal{}
		}
		out.Entries = append(out.Entries, drafts.CompilationEntry{Provision: p, Proposals: ps})
	}
	return out
}

package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"chancery/drafts"
)

// Proposals written in a language version: a delegation writes its
// proposal in Russian against the Russian text of its base; it applies to,
// and diffs against, that text; the compilation lists it under the
// provision in its language; the chair merges it by giving its text in
// the original language (MergeInput.Translations), and the version then
// holds the delegation's words as the current translation of what it
// changed (Version.Translated).

// proposalLanguage is the language a proposal on d is written in, as
// stored: "" for the original. EINVALID naming "language" for a language
// d has no version in.
func proposalLanguage(d *drafts.Document, lang string) (string, error) {
	if lang == "" || lang == d.Language {
		return "", nil
	}
	if err := languageVersionOf(d, lang); err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return "", &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("language: document %s has no %s version", d.Symbol, lang),
				Fields: []drafts.FieldError{{Field: "language", Message: "no such language version"}}}
		}
		return "", err
	}
	return lang, nil
}

// baseIn returns base, a version as read, in lang ("" for the original):
// its provisions' numbers and texts in that language version, to apply a
// proposal written in it. EINVALID naming "base" if the version has no
// such language version.
func (s *Service) baseIn(ctx context.Context, base *drafts.Version, lang string) (*drafts.Version, error) {
	if lang == "" {
		return base, nil
	}
	ts, _, err := s.translations(ctx, base.Document, lang, base.Number)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return nil, &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("base: version %d has no %s version; write the proposal against a version that has", base.Number, lang),
			Fields: []drafts.FieldError{{Field: "base", Message: "no " + lang + " version"}}}
	}
	if err != nil {
		return nil, err
	}
	tv := drafts.TranslateVersion(nil, base, "", lang, ts.Translations)
	for i := range tv.Provisions {
		tv.Provisions[i].Translation, tv.Provisions[i].Original = "", nil
	}
	return tv, nil
}

// hasLanguageProposals reports whether any of ps is written in a
// language version.
func hasLanguageProposals(ps []*drafts.Proposal) bool {
	return slices.ContainsFunc(ps, func(p *drafts.Proposal) bool { return p.Language != "" })
}

// mergeOperations returns the operations by which p is merged: its own,
// or for a proposal written in a language version the same with the
// chair's texts in the original language (translations, by provision id;
// an inserted provision by the id its operation gives it, numbered as
// the proposal numbers it when the chair's text has no number). base is
// p's base in the original language. EINVALID naming each text missing.
func mergeOperations(p *drafts.Proposal, base *drafts.Version, translations map[string]string, original string) ([]drafts.Operation, error) {
	if p.Language == "" {
		return p.Operations, nil
	}
	ops := slices.Clone(p.Operations)
	var fields []drafts.FieldError
	var names []string
	for i, o := range ops {
		id := o.Provision
		if o.Op == drafts.OpInsert {
			id = o.ID
		}
		if o.Op != drafts.OpReplace && o.Op != drafts.OpInsert {
			continue
		}
		text, ok := translations[id]
		if !ok || strings.TrimSpace(text) == "" {
			name := "the provision it inserts"
			if _, k := base.Provision(id); k >= 0 {
				name = drafts.ProvisionNameIn(base.Provisions, k)
			}
			names = append(names, name)
			fields = append(fields, drafts.FieldError{Field: "translations." + id,
				Message: fmt.Sprintf("the %s text of %s is needed: proposal %s (%s) gives it in %s", original, name, p.ID, p.Delegation, p.Language)})
			continue
		}
		if o.Op == drafts.OpInsert {
			text = numberedLike(text, o.Text, original)
		}
		ops[i].Text = text
	}
	if len(fields) > 0 {
		return nil, &drafts.Error{Code: drafts.EINVALID, Fields: fields,
			Message: fmt.Sprintf("proposal %s (%s) is written in %s: to merge it, give in translations its text in %s of %s", p.ID, p.Delegation, p.Language, original, strings.Join(names, ", "))}
	}
	return ops, nil
}

// numberedLike gives text, a provision the chair wrote in the original
// language, the number the inserted provision has in the proposal
// (written in lang), when the text has none.
func numberedLike(text, proposed, lang string) string {
	ps, err := drafts.ParseProvisions(proposed, drafts.Limits{})
	if err != nil || len(ps) != 1 || ps[0].Number == "" {
		return text
	}
	if own, err := drafts.ParseProvisions(text, drafts.Limits{}); err == nil && len(own) == 1 && own[0].Number != "" {
		return text
	}
	return drafts.Markup(drafts.TranslateNumber(ps[0].Kind, ps[0].Number, lang, ""), text)
}

// textPart is the text of a provision written with or without its number.
func textPart(markup string) string {
	if ps, err := drafts.ParseProvisions(markup, drafts.Limits{}); err == nil && len(ps) == 1 && ps[0].Number != "" {
		return ps[0].Text
	}
	return markup
}

// checkTranslationsUsed refuses translations naming a provision that no
// merged proposal written in a language version replaces or inserts.
func checkTranslationsUsed(items []drafts.RebaseItem, translations map[string]string) error {
	used := map[string]bool{}
	for _, it := range items {
		if it.Proposal.Language == "" {
			continue
		}
		for _, o := range it.Proposal.Operations {
			used[o.Provision], used[o.ID] = true, true
		}
	}
	for id := range translations {
		if !used[id] || id == "" {
			return &drafts.Error{Code: drafts.EINVALID, Message: fmt.Sprintf("translations: no proposal being merged in another language changes provision %q", id),
				Fields: []drafts.FieldError{{Field: "translations." + id, Message: "not changed by a proposal in another language"}}}
		}
	}
	return nil
}

// languageTexts returns what v, the version a merge makes, gives its
// provisions in language versions: the words of each merged proposal
// written in one, for each provision it replaced or inserted whose text
// in v is the chair's translation of them (not a compromise, not merged
// with other changes).
func languageTexts(items []drafts.RebaseItem, v *drafts.Version, translations map[string]string) map[string]map[string]string {
	var out map[string]map[string]string
	for _, it := range items {
		p := it.Proposal
		if p.Language == "" || !slices.Contains(v.Merged, p.ID) {
			continue
		}
		for _, o := range p.Operations {
			id := o.Provision
			if o.Op == drafts.OpInsert {
				id = o.ID
			}
			np, i := v.Provision(id)
			given := translations[id]
			if (o.Op != drafts.OpReplace && o.Op != drafts.OpInsert) || i < 0 || slices.Contains(v.Resolutions, id) ||
				np.Text != textPart(given) {
				continue
			}
			if out == nil {
				out = map[string]map[string]string{}
			}
			if out[p.Language] == nil {
				out[p.Language] = map[string]string{}
			}
			out[p.Language][id] = o.Text
		}
	}
	return out
}

// languageOf is lang as a proposal on d stores it: "" for the original.
func languageOf(d *drafts.Document, lang string) string {
	if lang == d.Language {
		return ""
	}
	return lang
}

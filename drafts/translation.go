package drafts

import (
	"slices"
	"strings"
	"sync"
)

// Language versions. A document is written in its original language
// (Document.Language) and may have language versions (Document.LanguageVersions):
// every version of its text exists in each, provision by provision, a
// provision having the same stable id in every language. A provision of a
// language version is a Translation in one of these states.
const (
	// TranslationOriginal is a provision read in the original language.
	TranslationOriginal = "original"
	// TranslationCurrent translates the original's present text.
	TranslationCurrent = "current"
	// TranslationStale translated an earlier text of the original: the
	// original changed since (Translation.Source is what it translated).
	TranslationStale = "stale"
	// TranslationMissing is a provision nobody has translated yet: one
	// the original gained after its language version was made.
	TranslationMissing = "missing"
)

// Translation is one provision of a language version: its number and text
// in that language and its state. Source, for a stale translation, is the
// original's text it was made from: the tracked change from Source to the
// original's present text is what the translator has to carry over.
type Translation struct {
	Number string `json:"number,omitempty"`
	Text   string `json:"text,omitempty"`
	State  string `json:"state"`
	Source string `json:"source,omitempty"`
}

// OriginalText is a provision in the original language, shown beside its
// translation: its number and present text and, for a stale translation,
// the tracked change of the original since the translation was made.
type OriginalText struct {
	Language string    `json:"language"`
	Number   string    `json:"number,omitempty"`
	Text     string    `json:"text"`
	Change   []Segment `json:"change,omitempty"`
}

// LanguageState sums up one language of a document's head: for the
// original (Original true) every provision is current; for a language
// version, how many of its provisions are current, stale and missing.
type LanguageState struct {
	Language string `json:"language"`
	Original bool   `json:"original"`
	Current  int    `json:"current"`
	Stale    int    `json:"stale"`
	Missing  int    `json:"missing"`
}

// InStep reports whether every provision of the language is current.
func (l LanguageState) InStep() bool { return l.Stale == 0 && l.Missing == 0 }

// TranslationTask is a language version of a document's head that needs
// translating: the secretariat's work list.
type TranslationTask struct {
	Document *Document     `json:"document"`
	Version  int           `json:"version"`
	State    LanguageState `json:"state"`
	// Provisions are the stale and missing provisions, in document order,
	// in the language version, each with its original beside it.
	Provisions []Provision `json:"provisions"`
}

// AllLanguages returns the document's languages: its original language
// first, then its language versions in the order they were added.
func (d *Document) AllLanguages() []string {
	return append([]string{d.Language}, d.LanguageVersions...)
}

// HasLanguage reports whether lang is the document's original language or
// one of its language versions.
func (d *Document) HasLanguage(lang string) bool {
	return lang == d.Language || slices.Contains(d.LanguageVersions, lang)
}

// ValidLanguage reports whether s is a language tag such as en, ru or
// zh-Hans.
func ValidLanguage(s string) bool { return languagePattern().MatchString(s) }

// CountTranslations sums up a language version of v: set holds its
// translations by provision id; a provision it lacks is missing.
func CountTranslations(lang string, v *Version, set map[string]Translation) LanguageState {
	st := LanguageState{Language: lang}
	for _, p := range v.Provisions {
		switch set[p.ID].State {
		case TranslationCurrent:
			st.Current++
		case TranslationStale:
			st.Stale++
		default:
			st.Missing++
		}
	}
	return st
}

// TranslateVersion returns v in language lang: a copy whose provisions
// have their numbers and texts in lang (a missing one has no text), each
// its translation state, and, beside a stale or missing one, the original
// (for a stale one with the original's change since, from differ). v
// keeps its statuses; set holds the translations by provision id.
func TranslateVersion(differ Differ, v *Version, original, lang string, set map[string]Translation) *Version {
	out := *v
	out.Language = lang
	out.Provisions = make([]Provision, len(v.Provisions))
	for i, p := range v.Provisions {
		t, ok := set[p.ID]
		if !ok || t.State == "" {
			t = Translation{State: TranslationMissing}
		}
		q := p
		q.Translation = t.State
		if t.Number != "" || t.State != TranslationMissing {
			q.Number = t.Number
		}
		q.Text = t.Text
		if t.State != TranslationCurrent {
			orig := &OriginalText{Language: original, Number: p.Number, Text: p.Text}
			if t.State == TranslationStale && differ != nil {
				orig.Change, _ = differ.Words(t.Source, p.Text)
			}
			q.Original = orig
		}
		out.Provisions[i] = q
	}
	return &out
}

// MarkOriginal returns v read in its original language: a copy whose
// provisions are marked TranslationOriginal.
func MarkOriginal(v *Version, lang string) *Version {
	out := *v
	out.Language = lang
	out.Provisions = slices.Clone(v.Provisions)
	for i := range out.Provisions {
		out.Provisions[i].Translation = TranslationOriginal
	}
	return &out
}

// notes say, in a language, that a provision is not translated yet, and
// that its translation predates the original's last change. The map is
// made when first needed.
var notes = sync.OnceValue(func() map[string][2]string {
	return map[string][2]string{
		"en": {"[translation pending; the original reads:]", "[translation to be updated]"},
		"ru": {"[перевод ещё не представлен; текст оригинала:]", "[перевод подлежит обновлению]"},
	}
})

// Printable returns v, read in a language (TranslateVersion), ready to
// print as a text: a missing provision holds a note in the version's
// language and the original's text, so that the printed text is whole and
// says what is not translated; a stale one starts with a note that its
// translation is to be updated.
func Printable(v *Version) *Version { return printable(v, true) }

// Whole returns v, read in a language, with its missing provisions as
// Printable gives them and its stale ones as they are: the text to diff
// against another version's.
func Whole(v *Version) *Version { return printable(v, false) }

func printable(v *Version, stale bool) *Version {
	out := *v
	out.Provisions = slices.Clone(v.Provisions)
	for i, p := range out.Provisions {
		out.Provisions[i] = printableProvision(p, v.Language, stale)
	}
	return &out
}

// PrintableProvision is p, read in language lang, ready to print (see
// Printable).
func PrintableProvision(p Provision, lang string) Provision { return printableProvision(p, lang, true) }

func printableProvision(p Provision, lang string, stale bool) Provision {
	note, ok := notes()[baseLanguage(lang)]
	if !ok {
		note = notes()["en"]
	}
	switch {
	case p.Translation == TranslationMissing && p.Original != nil:
		p.Text = note[0] + " " + p.Original.Text
	case p.Translation == TranslationStale && stale && p.Text != "" && p.Text[0] != '\n':
		p.Text = note[1] + " " + p.Text
	}
	return p
}

// DocumentIn is d as a print of its text in lang shows it: its language
// lang, its other languages (the original among them) as its language
// versions, and its title in lang where the original (orig) opens with
// the title as a heading and v, the version in lang, has it translated.
func DocumentIn(d *Document, lang string, v, orig *Version) *Document {
	c := *d
	if lang == d.Language {
		return &c
	}
	c.Language = lang
	c.LanguageVersions = slices.DeleteFunc(d.AllLanguages(), func(l string) bool { return l == lang })
	if len(v.Provisions) > 0 && orig != nil && len(orig.Provisions) > 0 {
		p, o := v.Provisions[0], orig.Provisions[0]
		if o.Kind == KindHeading && sameTitle(o.Text, d.Title) && p.Translation == TranslationCurrent {
			c.Title = p.Text
		}
	}
	return &c
}

// sameTitle reports whether a heading says a title, ignoring case,
// spacing and a final full stop.
func sameTitle(a, b string) bool {
	norm := func(s string) string {
		return strings.TrimRight(strings.ToLower(strings.Join(strings.Fields(s), " ")), ".")
	}
	return norm(a) != "" && norm(a) == norm(b)
}

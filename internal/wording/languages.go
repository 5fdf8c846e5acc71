package wording

import "strings"

// languageNames are the languages a text may be in: the name in English,
// the Russian adjective as "на … языке" takes it, and the name in the
// language itself.
var languageNames = map[string][3]string{
	"en": {"English", "английском", "English"},
	"ru": {"Russian", "русском", "Русский"},
	"zh": {"Chinese", "китайском", "中文"},
	"fr": {"French", "французском", "Français"},
	"es": {"Spanish", "испанском", "Español"},
	"ar": {"Arabic", "арабском", "العربية"},
	"kk": {"Kazakh", "казахском", "Қазақ тілі"},
	"tr": {"Turkish", "турецком", "Türkçe"},
}

// names returns the names of a language tag, its region or script aside;
// an unknown language is named by its tag.
func names(lang string) [3]string {
	if n, ok := languageNames[strings.SplitN(lang, "-", 2)[0]]; ok {
		return n
	}
	return [3]string{lang, lang, lang}
}

// NativeName names a language in itself: "English", "Русский".
func NativeName(lang string) string { return names(lang)[2] }

// LanguageName names a language in the labels' language: "Russian",
// "русский".
func (l Labels) LanguageName(lang string) string {
	n := names(lang)
	if !l.RU {
		return n[0]
	}
	return strings.TrimSuffix(n[1], "ом") + "ий"
}

// Authentic is the closing line of a text adopted in several languages,
// as treaties say it: "Done in English and Russian, both texts being
// equally authentic." It is "" for one language.
func (l Labels) Authentic(langs []string) string {
	if len(langs) < 2 {
		return ""
	}
	words := make([]string, len(langs))
	for i, lang := range langs {
		n := names(lang)
		words[i] = l.Pick(n[0], n[1])
	}
	list := strings.Join(words[:len(words)-1], ", ") + l.Pick(" and ", " и ") + words[len(words)-1]
	if l.RU {
		all := "оба текста являются"
		if len(langs) > 2 {
			all = "все тексты являются"
		}
		return "Совершено на " + list + " языках, причём " + all + " равно аутентичными."
	}
	all := "both texts"
	if len(langs) > 2 {
		all = "all texts"
	}
	return "Done in " + list + ", " + all + " being equally authentic."
}

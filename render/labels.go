package render

import (
	"chancery/internal/wording"
	"strconv"
	"strings"

	"chancery/drafts"
	"chancery/render/tracked"
)

// labels are the words a PDF is dressed in, in the document's language:
// those it shares with the Word files (package wording) and its own.
type labels struct {
	wording.Labels
}

func labelsFor(lang string) labels {
	return labels{wording.For(lang)}
}

// forum is the forum's default name.
func (l labels) forum() string {
	return l.Pick(DefaultForum, "Совещание по взаимодействию и мерам доверия в Азии")
}

// body names the owning body of a document from its code.
func (l labels) body(code string) string {
	switch strings.ToUpper(code) {
	case "SOC":
		return l.Pick("Senior Officials Committee", "Комитет старших должностных лиц")
	case "SWG":
		return l.Pick("Special Working Group", "Специальная рабочая группа")
	case "CMFA", "MFA":
		return l.Pick("Council of Ministers of Foreign Affairs", "Совет министров иностранных дел")
	case "SUMMIT":
		return l.Pick("Summit", "Саммит")
	case "SECRETARIAT":
		return l.Pick("Secretariat", "Секретариат")
	}
	return code
}

// page is the footer's page number, with the alias of the total.
func (l labels) page(n int, total string) string {
	return l.Pick("Page ", "Страница ") + strconv.Itoa(n) + l.Pick(" of ", " из ") + total
}

// version describes a version: "Version 3 of 12 March 2024 · text hash 1a2b3c4d5e6f".
func (l labels) version(v *drafts.Version) string {
	return l.VersionDate(v) + " · " + l.Pick("text hash ", "хеш текста ") + shortHash(v)
}

// versionShort describes a version in a sentence: "version 3 (12 March 2024, 1a2b3c4d5e6f)".
func (l labels) versionShort(v *drafts.Version) string {
	s := l.Pick("version ", "версии ") + strconv.Itoa(v.Number) + " ("
	if !v.CreatedAt.IsZero() {
		s += l.Date(v.CreatedAt) + ", "
	}
	return s + shortHash(v) + ")"
}

// shortHash is the first 12 hex digits of a version's hash (computed from
// its text when the version has none).
func shortHash(v *drafts.Version) string {
	h := v.Hash
	if h == "" {
		h = drafts.HashText(v.Text())
	}
	if len(h) > 12 {
		h = h[:12]
	}
	return h
}

// ref names a provision after "after": "3", "(a)", "“Cluster II…”".
func (l labels) ref(kind, number, text string) string {
	if tracked.Numbered(number) {
		return tracked.ShortNumber(number)
	}
	return l.Pick("“", "«") + tracked.Excerpt(text, tracked.ExcerptRunes) + l.Pick("”", "»")
}

// lang is the language the labels are in, for drafts.ProposalName: "en"
// or "ru".
func (l labels) lang() string { return l.Pick("en", "ru") }

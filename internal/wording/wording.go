// Package wording holds the fixed words that printed and exported texts
// share — dates, version lines, the adoption line — in English and
// Russian, so that a PDF and a Word file of the same version say the same
// thing. It is for the output adapters (render, docx), which may not
// import each other.
package wording

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"chancery/drafts"
)

// Labels are the words of one language: English, or Russian for a
// document whose language is ru.
type Labels struct {
	RU bool
}

// For returns the labels of a document language.
func For(lang string) Labels {
	return Labels{RU: lang == "ru" || strings.HasPrefix(lang, "ru-")}
}

// Pick returns the English or the Russian string.
func (l Labels) Pick(en, ru string) string {
	if l.RU {
		return ru
	}
	return en
}

// Date writes a day: "12 March 2024", "12 марта 2024 г.".
func (l Labels) Date(t time.Time) string {
	t = t.UTC()
	if l.RU {
		months := [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
		return fmt.Sprintf("%d %s %d г.", t.Day(), months[t.Month()-1], t.Year())
	}
	return t.Format("2 January 2006")
}

// DateTime writes a moment: "15 March 2024, 12:00 UTC".
func (l Labels) DateTime(t time.Time) string {
	t = t.UTC()
	return l.Date(t) + ", " + t.Format("15:04") + " UTC"
}

// VersionDate names a version and its day: "Version 3 of 12 March 2024".
func (l Labels) VersionDate(v *drafts.Version) string {
	s := l.Pick("Version ", "Версия ") + strconv.Itoa(v.Number)
	if !v.CreatedAt.IsZero() {
		s += l.Pick(" of ", " от ") + l.Date(v.CreatedAt)
	}
	return s
}

// Adoption is the adoption line of a version: how and when it was
// adopted, that it is under an adoption round, or that it is a draft.
func (l Labels) Adoption(doc *drafts.Document, v *drafts.Version, round *drafts.AdoptionRound) string {
	if round != nil && round.Version == v.Number {
		when := round.ClosedAt
		if when == nil {
			when = round.Deadline
		}
		switch round.State {
		case drafts.RoundAdopted:
			if round.Procedure == drafts.ProcedureSilence {
				if when == nil {
					return l.Pick("Adopted by silence procedure.", "Принято по процедуре умолчания.")
				}
				return l.Pick("Adopted by silence procedure; the silence period ended on ", "Принято по процедуре умолчания; срок истёк ") + l.DateTime(*when) + "."
			}
			if when == nil {
				return l.Pick("Adopted by consensus.", "Принято консенсусом.")
			}
			return Sentence(l.Pick("Adopted by consensus on ", "Принято консенсусом ") + l.Date(*when))
		case drafts.RoundOpen:
			if round.Procedure == drafts.ProcedureSilence && round.Deadline != nil {
				return l.Pick("Draft under silence procedure until ", "Проект на процедуре умолчания до ") + l.DateTime(*round.Deadline) + "."
			}
			return l.Pick("Draft under consideration for adoption by consensus.", "Проект на рассмотрении для принятия консенсусом.")
		}
	}
	if doc.Adopted != 0 && doc.Adopted == v.Number {
		by := l.Pick("consensus", "консенсусом")
		if doc.AdoptedBy == drafts.ProcedureSilence {
			by = l.Pick("silence procedure", "по процедуре умолчания")
		}
		s := l.Pick("Adopted by ", "Принято ") + by
		if doc.AdoptedAt != nil {
			s += l.Pick(" on ", " ") + l.Date(*doc.AdoptedAt)
		}
		return Sentence(s)
	}
	return l.Pick("Draft, not adopted.", "Проект, не принят.")
}

// Sentence ends s with one full stop (a Russian date ends with "г." already).
func Sentence(s string) string {
	if strings.HasSuffix(s, ".") {
		return s
	}
	return s + "."
}

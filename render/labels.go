package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"chancery/drafts"
)

// labels are the words a PDF is dressed in, in the document's language:
// English, or Russian for a document whose language is ru.
type labels struct {
	ru bool
}

func labelsFor(lang string) labels {
	return labels{ru: lang == "ru" || strings.HasPrefix(lang, "ru-")}
}

// pick returns the English or the Russian string.
func (l labels) pick(en, ru string) string {
	if l.ru {
		return ru
	}
	return en
}

// forum is the forum's default name.
func (l labels) forum() string {
	return l.pick(DefaultForum, "Совещание по взаимодействию и мерам доверия в Азии")
}

// body names the owning body of a document from its code.
func (l labels) body(code string) string {
	switch strings.ToUpper(code) {
	case "SOC":
		return l.pick("Senior Officials Committee", "Комитет старших должностных лиц")
	case "SWG":
		return l.pick("Special Working Group", "Специальная рабочая группа")
	case "CMFA", "MFA":
		return l.pick("Council of Ministers of Foreign Affairs", "Совет министров иностранных дел")
	case "SUMMIT":
		return l.pick("Summit", "Саммит")
	case "SECRETARIAT":
		return l.pick("Secretariat", "Секретариат")
	}
	return code
}

// date writes a day: "12 March 2024", "12 марта 2024 г.".
func (l labels) date(t time.Time) string {
	t = t.UTC()
	if l.ru {
		months := [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
		return fmt.Sprintf("%d %s %d г.", t.Day(), months[t.Month()-1], t.Year())
	}
	return t.Format("2 January 2006")
}

// dateTime writes a moment: "15 March 2024, 12:00 UTC".
func (l labels) dateTime(t time.Time) string {
	t = t.UTC()
	return l.date(t) + ", " + t.Format("15:04") + " UTC"
}

// page is the footer's page number, with the alias of the total.
func (l labels) page(n int, total string) string {
	return l.pick("Page ", "Страница ") + strconv.Itoa(n) + l.pick(" of ", " из ") + total
}

// version describes a version: "Version 3 of 12 March 2024 · text hash 1a2b3c4d5e6f".
func (l labels) version(v *drafts.Version) string {
	s := l.pick("Version ", "Версия ") + strconv.Itoa(v.Number)
	if !v.CreatedAt.IsZero() {
		s += l.pick(" of ", " от ") + l.date(v.CreatedAt)
	}
	return s + " · " + l.pick("text hash ", "хеш текста ") + shortHash(v)
}

// versionShort describes a version in a sentence: "version 3 (12 March 2024, 1a2b3c4d5e6f)".
func (l labels) versionShort(v *drafts.Version) string {
	s := l.pick("version ", "версии ") + strconv.Itoa(v.Number) + " ("
	if !v.CreatedAt.IsZero() {
		s += l.date(v.CreatedAt) + ", "
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

// adoption is the adoption line of an agreed text, or "" for none.
func (l labels) adoption(doc *drafts.Document, v *drafts.Version, round *drafts.AdoptionRound) string {
	if round != nil && round.Version == v.Number {
		when := round.ClosedAt
		if when == nil {
			when = round.Deadline
		}
		switch round.State {
		case drafts.RoundAdopted:
			if round.Procedure == drafts.ProcedureSilence {
				if when == nil {
					return l.pick("Adopted by silence procedure.", "Принято по процедуре умолчания.")
				}
				return l.pick("Adopted by silence procedure; the silence period ended on ", "Принято по процедуре умолчания; срок истёк ") + l.dateTime(*when) + "."
			}
			if when == nil {
				return l.pick("Adopted by consensus.", "Принято консенсусом.")
			}
			return l.pick("Adopted by consensus on ", "Принято консенсусом ") + l.date(*when) + "."
		case drafts.RoundOpen:
			if round.Procedure == drafts.ProcedureSilence && round.Deadline != nil {
				return l.pick("Draft under silence procedure until ", "Проект на процедуре умолчания до ") + l.dateTime(*round.Deadline) + "."
			}
			return l.pick("Draft under consideration for adoption by consensus.", "Проект на рассмотрении для принятия консенсусом.")
		}
	}
	if doc.Adopted != 0 && doc.Adopted == v.Number {
		by := l.pick("consensus", "консенсусом")
		if doc.AdoptedBy == drafts.ProcedureSilence {
			by = l.pick("silence procedure", "по процедуре умолчания")
		}
		s := l.pick("Adopted by ", "Принято ") + by
		if doc.AdoptedAt != nil {
			s += l.pick(" on ", " ") + l.date(*doc.AdoptedAt)
		}
		return s + "."
	}
	return l.pick("Draft, not adopted.", "Проект, не принят.")
}

// ref names a provision after "after": "3", "(a)", "“Cluster II…”".
func (l labels) ref(kind, number, text string) string {
	if numbered(number) {
		return shortNumber(number)
	}
	return l.pick("“", "«") + excerpt(text, excerptRunes) + l.pick("”", "»")
}

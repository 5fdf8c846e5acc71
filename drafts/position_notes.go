package drafts

import "strings"

// PositionNote is the footnote of the adopted text that records a
// reservation or an interpretative statement, in the forum's style and
// the document's language (lang "ru" for Russian, else English): "The
// delegation of Kazakhstan reserved its position on this paragraph: …",
// "Statement by the delegation of India: …". kind is the kind of the
// provision it is on ("" for the whole text). A position on an earlier
// text says so. Other kinds of position are not recorded with the text:
// "".
func PositionNote(lang string, p *Position, kind string) string {
	ru := lang == "ru" || strings.HasPrefix(lang, "ru-")
	pick := func(en, r string) string {
		if ru {
			return r
		}
		return en
	}
	name := p.DelegationName
	if name == "" {
		name = p.Delegation
	}
	// Russian needs the place twice: after "по" (dative) and after
	// "редакции" (genitive).
	where, of := pick("this paragraph", "данному пункту"), pick("this paragraph", "данного пункта")
	switch kind {
	case "":
		where, of = pick("the text as a whole", "тексту в целом"), pick("the text as a whole", "текста в целом")
	case KindHeading:
		where, of = pick("this heading", "данному заголовку"), pick("this heading", "данного заголовка")
	case KindItem:
		where, of = pick("this subparagraph", "данному подпункту"), pick("this subparagraph", "данного подпункта")
	}
	earlier := p.Standing == StandingEarlierText
	if earlier {
		where = pick("an earlier text of ", "прежней редакции ") + of
	}
	words := strings.Join(strings.Fields(p.Text), " ")
	if words != "" && !strings.HasSuffix(words, ".") && !strings.HasSuffix(words, "!") && !strings.HasSuffix(words, "?") {
		words += "."
	}
	switch p.Kind {
	case PositionReservation:
		s := pick("The delegation of "+name+" reserved its position on "+where, "Делегация ("+name+") оговорила свою позицию по "+where)
		if earlier && ru {
			s = "Делегация (" + name + ") оговорила свою позицию в отношении " + where
		}
		if words != "" {
			return s + ": " + words
		}
		return s + "."
	case PositionStatement:
		s := pick("Statement by the delegation of "+name, "Заявление делегации ("+name+")")
		if earlier {
			s += pick(" (on "+where+")", " (в отношении "+where+")")
		}
		return s + ": " + words
	}
	return ""
}

// PositionPrintNotes are the footnotes that record positions (those open
// in v, as PositionsIn gives them) with v's text: every reservation and
// interpretative statement, on its provision or on the title, in the
// order they were recorded. Positions on provisions v does not have are
// left out.
func PositionPrintNotes(lang string, v *Version, positions []*Position) PrintNotes {
	n := PrintNotes{Provisions: map[string][]string{}}
	for _, p := range positions {
		if p.Provision == "" {
			if s := PositionNote(lang, p, ""); s != "" {
				n.Title = append(n.Title, s)
			}
			continue
		}
		if q, i := v.Provision(p.Provision); i >= 0 {
			if s := PositionNote(lang, p, q.Kind); s != "" {
				n.Provisions[q.ID] = append(n.Provisions[q.ID], s)
			}
		}
	}
	return n
}

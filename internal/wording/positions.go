package wording

import (
	"strings"

	"chancery/drafts"
)

// The words of positions and the state of play, for prints and Word
// files alike.

// Status names a provision status for a chart or a list: "agreed",
// "agreed ad ref", "bracketed", "pending".
func (l Labels) Status(status string) string {
	switch status {
	case drafts.ProvisionAgreed:
		return l.Pick("agreed", "согласовано")
	case drafts.ProvisionAgreedAdRef:
		return l.Pick("agreed ad ref", "согласовано ad ref")
	case drafts.ProvisionBracketed:
		return l.Pick("bracketed", "в скобках")
	}
	return l.Pick("pending", "не рассмотрено")
}

// PositionKind names a kind of position.
func (l Labels) PositionKind(kind string) string {
	switch kind {
	case drafts.PositionReservation:
		return l.Pick("reservation", "оговорка")
	case drafts.PositionAdRef:
		return l.Pick("ad ref (awaiting instructions)", "ad ref (ожидает инструкций)")
	case drafts.PositionCannotJoin:
		return l.Pick("cannot join consensus", "не может присоединиться к консенсусу")
	case drafts.PositionStatement:
		return l.Pick("interpretative statement", "заявление о толковании")
	case drafts.PositionSupport:
		return l.Pick("supports", "поддерживает")
	}
	return kind
}

// Standing says where a position stands against the text, "" when it is
// on the text as it reads.
func (l Labels) Standing(standing string) string {
	switch standing {
	case drafts.StandingEarlierText:
		return l.Pick("on an earlier text", "к прежней редакции")
	case drafts.StandingRemoved:
		return l.Pick("on a provision no longer in the text", "к положению, которого больше нет в тексте")
	}
	return ""
}

// PositionLine says a position on one line: "Kazakhstan: reservation (on
// an earlier text) — its words".
func (l Labels) PositionLine(p *drafts.Position) string {
	s := delegationName(p) + ": " + l.PositionKind(p.Kind)
	if st := l.Standing(p.Standing); st != "" {
		s += " (" + st + ")"
	}
	if t := strings.Join(strings.Fields(p.Text), " "); t != "" {
		s += " — " + t
	}
	return s
}

// PositionNote is the footnote of the adopted text that records a
// reservation or an interpretative statement, in the forum's style: "The
// delegation of Kazakhstan reserved its position on this paragraph.",
// "Statement by the delegation of India: …". kind is the kind of
// provision it is on ("" for the whole text). Other kinds of position are
// not recorded with the text: "".
func (l Labels) PositionNote(p *drafts.Position, kind string) string {
	name := delegationName(p)
	words := strings.Join(strings.Fields(p.Text), " ")
	switch p.Kind {
	case drafts.PositionReservation:
		s := l.Pick("The delegation of "+name+" reserved its position on "+l.this(kind),
			"Делегация ("+name+") оговорила свою позицию по "+l.this(kind))
		if words != "" {
			return s + ": " + Sentence(words)
		}
		return s + "."
	case drafts.PositionStatement:
		return l.Pick("Statement by the delegation of "+name+": ", "Заявление делегации ("+name+"): ") + Sentence(words)
	}
	return ""
}

// this names the provision a note is on: "this paragraph", "the text as
// a whole".
func (l Labels) this(kind string) string {
	switch kind {
	case "":
		return l.Pick("the text as a whole", "тексту в целом")
	case drafts.KindHeading:
		return l.Pick("this heading", "данному заголовку")
	case drafts.KindItem:
		return l.Pick("this subparagraph", "данному подпункту")
	}
	return l.Pick("this paragraph", "данному пункту")
}

func delegationName(p *drafts.Position) string {
	if p.DelegationName != "" {
		return p.DelegationName
	}
	return p.Delegation
}

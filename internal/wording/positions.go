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

func delegationName(p *drafts.Position) string {
	if p.DelegationName != "" {
		return p.DelegationName
	}
	return p.Delegation
}

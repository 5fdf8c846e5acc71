package drafts

import (
	"errors"
	"fmt"
)

// Operation kinds of a proposal.
const (
	OpReplace = "replace"
	OpInsert  = "insert"
	OpDelete  = "delete"
	OpMove    = "move"
)

// Operation is one change a proposal makes to a text.
//
//   - replace: Provision's text becomes Text (its words, without the marker);
//     Number, when present, gives it a new marker ("" for none), and the
//     kind that marker implies.
//   - insert: Text (markup of one or more provisions) goes after the
//     provision After ("" for the start of the text).
//   - delete: Provision goes.
//   - move: Provision goes after After ("" for the start).
type Operation struct {
	Op        string  `json:"op"`
	Provision string  `json:"provision,omitempty"`
	After     string  `json:"after,omitempty"`
	Text      string  `json:"text,omitempty"`
	Number    *string `json:"number,omitempty"`
	// ID, on an insert of one provision, is the id the new provision takes
	// (the derived operations of a diff keep the ids of the new text).
	ID string `json:"id,omitempty"`
}

// Validate checks the operation's shape (not whether its ids exist).
func (o Operation) Validate() error {
	switch o.Op {
	case OpReplace:
		if o.Provision == "" {
			return Errorf(EINVALID, "replace needs a provision")
		}
	case OpInsert:
		if o.Text == "" {
			return Errorf(EINVALID, "insert needs a text")
		}
	case OpDelete:
		if o.Provision == "" {
			return Errorf(EINVALID, "delete needs a provision")
		}
	case OpMove:
		if o.Provision == "" {
			return Errorf(EINVALID, "move needs a provision")
		}
		if o.After == o.Provision {
			return Errorf(EINVALID, "move: a provision cannot follow itself")
		}
	default:
		return Errorf(EINVALID, "unknown operation %q (replace, insert, delete or move)", o.Op)
	}
	return nil
}

// ApplyOperations applies ops in order to a copy of ps and returns it. New
// provisions get ids from newID. Every id an operation names must exist at
// that point (ENOTFOUND otherwise, as EINVALID naming the operation). The
// ending of the text is kept and separators are restored with FixGaps.
func ApplyOperations(ps []Provision, ops []Operation, newID func() string, lim Limits) ([]Provision, error) {
	t := &opText{out: make([]Provision, len(ps)), newID: newID, lim: lim}
	copy(t.out, ps)
	ending := ""
	if len(t.out) > 0 {
		ending = t.out[len(t.out)-1].Gap
	}
	for n, o := range ops {
		if err := t.apply(o, operationFailure(n, o)); err != nil {
			return nil, err
		}
	}
	out := t.out
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "the operations delete every provision")
	}
	if len(out) > lim.orDefault().MaxProvisions {
		return nil, Errorf(EINVALID, "the text would have more than %d provisions", lim.orDefault().MaxProvisions)
	}
	FixGaps(out, ending)
	setKinds(out)
	return out, nil
}

// failFunc makes the error of an operation that cannot apply, from the
// reason in words.
type failFunc func(format string, args ...any) error

// operationFailure returns the failFunc of the n-th operation o (from 0):
// EINVALID naming the operation, with the reason as the message of the
// field operations[n].
func operationFailure(n int, o Operation) failFunc {
	return func(format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		return &Error{Code: EINVALID, Message: fmt.Sprintf("operation %d (%s): %s", n+1, o.Op, msg),
			Fields: []FieldError{{Field: fmt.Sprintf("operations[%d]", n), Message: msg}}}
	}
}

// opText is a text being changed by ApplyOperations.
type opText struct {
	out   []Provision
	newID func() string
	lim   Limits
}

// index returns the index of the provision id, or -1.
func (t *opText) index(id string) int {
	for i := range t.out {
		if t.out[i].ID == id {
			return i
		}
	}
	return -1
}

// apply checks and applies one operation.
func (t *opText) apply(o Operation, fail failFunc) error {
	if err := o.Validate(); err != nil {
		return fail("%s", ErrorMessage(err))
	}
	after := -1
	if o.After != "" && (o.Op == OpInsert || o.Op == OpMove) {
		if after = t.index(o.After); after < 0 {
			return fail("no provision %q to insert after", o.After)
		}
	}
	if o.Op == OpInsert {
		return t.insert(o, after, fail)
	}
	i := t.index(o.Provision)
	if i < 0 {
		return fail("no provision %q", o.Provision)
	}
	switch o.Op {
	case OpReplace:
		return t.replace(i, o, fail)
	case OpDelete:
		t.out = append(t.out[:i], t.out[i+1:]...)
	case OpMove:
		p := t.out[i]
		t.out = append(t.out[:i], t.out[i+1:]...)
		at := 0
		if o.After != "" {
			at = t.index(o.After) + 1
		}
		t.out = append(t.out[:at], append([]Provision{p}, t.out[at:]...)...)
	}
	return nil
}

// replace gives the provision at i the operation's text, and its number
// if the operation has one.
func (t *opText) replace(i int, o Operation, fail failFunc) error {
	number := t.out[i].Number
	if o.Number != nil {
		if err := checkMarker(*o.Number, o.Text); err != nil {
			return fail("%s", err)
		}
		number = *o.Number
	}
	if err := CheckProvisionText(number, o.Text, t.lim); err != nil {
		return fail("%s", ErrorMessage(err))
	}
	t.out[i].Text, t.out[i].Number, t.out[i].Kind = o.Text, number, kindOf(number)
	return nil
}

// insert puts the provisions of the operation's text after the provision
// at after (-1: at the start), with new ids, or the id the operation gives
// its one provision.
func (t *opText) insert(o Operation, after int, fail failFunc) error {
	news, err := ParseProvisions(o.Text, t.lim)
	if err != nil {
		return fail("%s", ErrorMessage(err))
	}
	for k := range news {
		news[k].ID = t.newID()
		news[k].Gap = "\n\n"
	}
	if o.ID != "" {
		if len(news) != 1 {
			return fail("an id can be given to one inserted provision only")
		}
		if t.index(o.ID) >= 0 {
			return fail("provision %q exists already", o.ID)
		}
		news[0].ID = o.ID
	}
	if most := t.lim.orDefault().MaxProvisions; len(t.out)+len(news) > most {
		return fail("the text would have more than %d provisions", most)
	}
	at := after + 1
	t.out = append(t.out[:at], append(news, t.out[at:]...)...)
	return nil
}

// Operations turns a diff into the operations that make its new text from
// its old one: ApplyOperations(old, d.Operations()) prints as new.
func (d *Diff) Operations() []Operation {
	var ops []Operation
	for _, c := range d.Changes {
		if c.Kind == ChangeDeleted {
			ops = append(ops, Operation{Op: OpDelete, Provision: c.Provision})
		}
	}
	prev := ""
	for _, c := range d.Changes {
		if c.Kind == ChangeDeleted {
			continue
		}
		switch {
		case c.Kind == ChangeInserted:
			markup := Markup(c.Number, c.Text)
			ops = append(ops, Operation{Op: OpInsert, After: prev, Text: markup, ID: c.Provision})
		default:
			if c.Moved {
				ops = append(ops, Operation{Op: OpMove, Provision: c.Provision, After: prev})
			}
			if c.Modified || c.Renumbered {
				op := Operation{Op: OpReplace, Provision: c.Provision, Text: c.Text}
				if c.Number != c.OldNumber {
					number := c.Number
					op.Number = &number
				}
				ops = append(ops, op)
			}
		}
		prev = c.Provision
	}
	return ops
}

// kindOf returns the kind of provision a marker makes.
func kindOf(number string) string {
	return classify(Markup(number, "")).Kind
}

// checkMarker refuses a marker that would not read back as one: the
// provision must print and parse to the same number.
func checkMarker(number, text string) error {
	if number == "" {
		if p := classify(text); p.Number != "" {
			return errors.New("without a number, the text would begin with a marker")
		}
		return nil
	}
	if p := classify(Markup(number, text)); p.Number != number {
		return fmt.Errorf("%q is not a marker (like 12., 3.1, (a), #, or Rule 3. before a title on the same line)", number)
	}
	return nil
}

// CheckProvisionText checks that text can be the words of one provision
// with the given marker: not empty, valid, and printing and parsing back as
// that one provision (no blank line inside, no marker at its start when
// the provision has none).
func CheckProvisionText(number, text string, lim Limits) error {
	if IsBlank(text) && (text != "" || !isWordNumber(number)) {
		// A numbered heading may be its number alone ("Rule 5").
		return Errorf(EINVALID, "the text is empty (a delete operation removes a provision)")
	}
	if err := CheckText(text, lim); err != nil {
		return err
	}
	p := Provision{Number: number, Text: text}
	ps, err := ParseProvisions(p.Markup(), lim)
	if err != nil || len(ps) != 1 || ps[0].Number != number || ps[0].Text != text {
		return Errorf(EINVALID, "the text must be one provision: no blank line inside, and no marker such as 7. or (a) at its start unless the provision has one")
	}
	return nil
}

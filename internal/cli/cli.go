// Package cli is what Chancery's two programs share on the command line:
// usage errors, flags parsed with one line that says how to list them,
// errors printed as one line with the exit code they call for, and text
// files read, parsed and diffed as the tools take them. It imports no
// storage, no HTTP, no policy and no PDF or Word writer, so that chancery
// diff starts as quickly as a small program does.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"chancery/drafts"
)

// UsageError is a configuration or usage mistake: one line, exit code 2.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error { return &UsageError{fmt.Sprintf(format, args...)} }

// ParseFlags parses args with fs. A mistake is one usage error saying how
// to list the flags (the flag package's own line and flag list would say
// it twice, far above the line that counts); -h lists them on stderr and
// returns flag.ErrHelp.
func ParseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stderr, "Usage of %s:\n", fs.Name())
		fs.PrintDefaults()
		return err
	}
	return Usagef("%v (%s -h lists the flags)", err, fs.Name())
}

// Exit prints err on stderr as one line that starts with "chancery: " and
// returns the process's exit code: 0 without an error or after -h, 2 for
// a usage or configuration error, 1 for any other failure.
func Exit(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintf(stderr, "chancery: %s\n", OneLine(err))
	var ue *UsageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// OneLine is an error's message on one line, a domain error's in words.
func OneLine(err error) string {
	msg := err.Error()
	// A domain error prints as "chancery: <code>: <message>"; the line
	// already starts with "chancery: ", so keep only its message.
	if e := drafts.AsError(err); e != nil && e.Code != drafts.EINTERNAL {
		msg = strings.Replace(msg, e.Error(), drafts.ErrorMessage(e), 1)
	}
	b := []byte(msg)
	for i, c := range b {
		if c == '\n' || c == '\r' {
			b[i] = ' '
		}
	}
	return string(b)
}

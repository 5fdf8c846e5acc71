// Command chancery-server is the Chancery server and its operator's
// commands:
//
//	chancery-server serve [flags]            run the HTTP server
//	chancery-server admin token --user ID    a new token, directly on the storage
//	chancery-server render TEXT.txt -o OUT.pdf [--against OLD.txt] [--format docx]
//	chancery-server import FILE.docx         print a Word file's text as markup
//
// chancery serve, admin, render and import run it (it is installed beside
// chancery): render and import are here because they need the PDF and
// Word writers, which the server links anyway, so that chancery diff
// starts without them. Configuration comes from flags and CHANCERY_*
// environment variables.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"chancery/internal/cli"
)

func main() {
	ctx := context.Background()
	if len(os.Args) > 1 && (os.Args[1] == "serve" || os.Args[1] == "admin") {
		// The server and the operator's commands stop cleanly on a signal;
		// render and import, like any tool, just stop.
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  chancery serve [flags]                       run the server (chancery serve -h for flags)
  chancery admin token --user ID [flags]       issue a new token directly on the storage (chancery admin -h)
  chancery render [--against OLD.txt] [--format pdf|docx] TEXT.txt -o OUT.pdf
  chancery import [--original] FILE.docx      print a Word file's text as markup
(chancery-server COMMAND runs the same commands; chancery diff is chancery's own.)
`

// run executes one command and returns the process exit code: 0, 1 for a
// failure, 2 for a usage or configuration error. Errors are one line.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		m := NewMain(stdout, stderr)
		if err = m.ParseFlags(args[1:], os.Getenv); err == nil {
			err = m.Run(ctx)
			if cerr := m.Close(); err == nil {
				err = cerr
			}
		}
	case "admin":
		err = runAdmin(ctx, args[1:], os.Getenv, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "render":
		err = runRender(args[1:], stdout)
	case "import":
		err = runImport(args[1:], stdout, stderr)
	case "diff":
		err = cli.Usagef("diff is a command of chancery, not of chancery-server: chancery diff")
	default:
		err = cli.Usagef("unknown command %q (serve, admin, render or import)", args[0])
	}
	return cli.Exit(err, stderr)
}

// Command chancery-server is the Chancery server and its operator's
// commands:
//
//	chancery-server serve [flags]            run the HTTP server
//	chancery-server admin token --user ID    a new token, directly on the storage
//
// chancery serve and chancery admin run it (it is installed beside
// chancery); the text tools (chancery diff, render, import) are chancery's
// own, so that they start without loading the server. Configuration comes
// from flags and CHANCERY_* environment variables.
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  chancery serve [flags]                       run the server (chancery serve -h for flags)
  chancery admin token --user ID [flags]       issue a new token directly on the storage (chancery admin -h)
(chancery-server serve and chancery-server admin are the same commands.)
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
	case "diff", "render", "import":
		err = cli.Usagef("%s is a command of chancery, not of chancery-server: chancery %s", args[0], args[0])
	default:
		err = cli.Usagef("unknown command %q (serve or admin)", args[0])
	}
	return cli.Exit(err, stderr)
}

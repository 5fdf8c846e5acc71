package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/cli"
	"chancery/policy"
	"chancery/service"
	"chancery/storage"
)

const adminUsage = `usage:
  chancery admin token --user ID [--revoke-others] [storage flags]
      issue a new token to a user, directly on the storage, and print it once
  chancery admin events [storage flags]
      print the directory's audit trail (JSON lines) and check its hash chain
Storage flags and variables are those of chancery serve (--storage, --data-dir,
--s3-endpoint, ...); chancery admin token -h lists them. A local data directory
is locked by a running server: stop it first. On S3 the servers may keep running.
`

// runAdmin runs "chancery admin ...": operations for an operator who has
// the storage in hand but no token, such as when the secretariat's only
// token is lost.
func runAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return cli.Usagef("admin needs a command: token or events (chancery admin -h)")
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, adminUsage)
		return nil
	case "token", "events":
	default:
		return cli.Usagef("unknown admin command %q (token or events)", args[0])
	}
	fs := flag.NewFlagSet("chancery admin "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg storage.Config
	checkStorage := storageFlags(fs, envLookup(getenv), &cfg)
	var userID string
	var revokeOthers bool
	if args[0] == "token" {
		fs.StringVar(&userID, "user", "", `id of the user who gets the token ("secretariat" is the first secretariat user)`)
		fs.BoolVar(&revokeOthers, "revoke-others", false, "revoke every other token of the user (when the lost one may be found by someone else)")
	}
	if err := cli.ParseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("unexpected argument %q", fs.Arg(0))
	}
	if err := checkStorage(); err != nil {
		return err
	}
	if args[0] == "token" && userID == "" {
		return cli.Usagef("admin token needs --user ID (the first secretariat user is --user secretariat)")
	}
	svc, closeStore, err := openAdminService(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	// The operator holds the storage: the command acts as the system.
	ctx = drafts.NewSystemContext(ctx)
	if args[0] == "events" {
		return printDirectoryEvents(ctx, svc, stdout)
	}
	res, err := svc.RecoverAccess(ctx, drafts.RecoverAccessInput{User: userID, Operator: operator(), RevokeOthers: revokeOthers})
	if err != nil {
		if drafts.IsCode(err, drafts.ENOTFOUND) {
			return fmt.Errorf("%s in this storage (the first secretariat user is \"secretariat\")", drafts.ErrorMessage(err))
		}
		return fmt.Errorf("admin token: %s", drafts.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "New token for user %s, shown once:\n  %s\n", userID, res.Plain)
	if len(res.Revoked) > 0 {
		fmt.Fprintf(stdout, "Revoked the user's other tokens: %d.\n", len(res.Revoked))
	}
	fmt.Fprintf(stdout, "Recorded in the directory's audit trail as event %d (%s); chancery admin events lists it.\n", res.Event.Seq, res.Event.Action)
	return nil
}

// openAdminService opens existing storage: it never creates a data
// directory or a bucket, since an empty one has no user to recover.
func openAdminService(ctx context.Context, cfg storage.Config) (drafts.DirectoryService, func(), error) {
	if cfg.Type == storage.TypeLocal {
		if fi, err := os.Stat(cfg.DataDir); err != nil || !fi.IsDir() {
			return nil, nil, fmt.Errorf("no data directory at %s (chancery serve creates it; give --data-dir or CHANCERY_DATA_DIR as the server has it)", cfg.DataDir)
		}
	}
	cfg.S3CreateBucket = false
	bucket, err := storage.Open(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("storage: %s", drafts.ErrorMessage(err))
	}
	enforcer, err := policy.New()
	if err != nil {
		bucket.Close()
		return nil, nil, err
	}
	return service.New(bucket, diffing.New(), enforcer), func() { bucket.Close() }, nil
}

// printDirectoryEvents prints the directory's audit trail, one JSON event
// a line, then whether its hash chain is intact; a broken chain is an error.
func printDirectoryEvents(ctx context.Context, svc drafts.DirectoryService, stdout io.Writer) error {
	events, check, err := svc.DirectoryEvents(ctx)
	if err != nil {
		return fmt.Errorf("admin events: %s", drafts.ErrorMessage(err))
	}
	enc := json.NewEncoder(stdout)
	for _, e := range events {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	if !check.OK && check.FirstBad != nil {
		return fmt.Errorf("the directory's audit trail is damaged at event %d: %s", *check.FirstBad, check.Problem)
	}
	if !check.OK {
		return fmt.Errorf("the directory's audit trail is not exact: %s (unrecorded: %v; recorded more than once: %v)", check.Problem, check.Unrecorded, check.Duplicates)
	}
	fmt.Fprintf(stdout, "%d events, hash chain intact, every change recorded once.\n", check.Checked)
	return nil
}

// operator names who runs the command, for the audit event.
func operator() string {
	name := "unknown user"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if host, err := os.Hostname(); err == nil {
		name += "@" + host
	}
	return name
}

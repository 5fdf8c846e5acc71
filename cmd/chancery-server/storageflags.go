package main

import (
	"flag"
	"strconv"
	"time"

	"chancery/internal/cli"
	"chancery/storage"
)

// storageFlags registers the storage flags shared by serve and admin on fs,
// with defaults from the environment (env), and returns the check to run
// after parsing: it completes c and returns a usage error naming the flag
// and its variable.
func storageFlags(fs *flag.FlagSet, env func(name, def string) string, c *storage.Config) func() error {
	fs.StringVar(&c.Type, "storage", env("CHANCERY_STORAGE", "local"), "storage backend: local or s3 (CHANCERY_STORAGE)")
	fs.StringVar(&c.DataDir, "data-dir", env("CHANCERY_DATA_DIR", "./data"), "local storage directory (CHANCERY_DATA_DIR)")
	fs.StringVar(&c.S3Endpoint, "s3-endpoint", env("CHANCERY_S3_ENDPOINT", ""), "S3 endpoint host:port or URL (CHANCERY_S3_ENDPOINT)")
	fs.StringVar(&c.S3Bucket, "s3-bucket", env("CHANCERY_S3_BUCKET", "chancery"), "S3 bucket (CHANCERY_S3_BUCKET)")
	fs.StringVar(&c.S3Region, "s3-region", env("CHANCERY_S3_REGION", ""), "S3 region (CHANCERY_S3_REGION)")
	fs.StringVar(&c.S3AccessKey, "s3-access-key", env("CHANCERY_S3_ACCESS_KEY", ""), "S3 access key (CHANCERY_S3_ACCESS_KEY)")
	fs.StringVar(&c.S3SecretKey, "s3-secret-key", env("CHANCERY_S3_SECRET_KEY", ""), "S3 secret key (CHANCERY_S3_SECRET_KEY)")
	tls := fs.String("s3-tls", env("CHANCERY_S3_TLS", "false"), "use HTTPS for S3: true or false (CHANCERY_S3_TLS)")
	create := fs.String("s3-create-bucket", env("CHANCERY_S3_CREATE_BUCKET", "false"), "create the bucket if missing (CHANCERY_S3_CREATE_BUCKET)")
	wait := fs.String("s3-startup-wait", env("CHANCERY_S3_STARTUP_WAIT", "10s"), "how long to wait for S3 at start (CHANCERY_S3_STARTUP_WAIT)")
	return func() error {
		var err error
		if c.S3TLS, err = strconv.ParseBool(*tls); err != nil {
			return cli.Usagef("CHANCERY_S3_TLS / --s3-tls: %q is not true or false", *tls)
		}
		if c.S3CreateBucket, err = strconv.ParseBool(*create); err != nil {
			return cli.Usagef("CHANCERY_S3_CREATE_BUCKET / --s3-create-bucket: %q is not true or false", *create)
		}
		if c.S3StartupWait, err = time.ParseDuration(*wait); err != nil || c.S3StartupWait < 0 {
			return cli.Usagef("CHANCERY_S3_STARTUP_WAIT / --s3-startup-wait: %q is not a duration such as 10s", *wait)
		}
		switch c.Type {
		case storage.TypeLocal:
			if c.DataDir == "" {
				return cli.Usagef("CHANCERY_DATA_DIR / --data-dir: empty")
			}
		case storage.TypeS3:
			if c.S3Endpoint == "" || c.S3Bucket == "" {
				return cli.Usagef("storage s3 needs CHANCERY_S3_ENDPOINT and CHANCERY_S3_BUCKET (or --s3-endpoint, --s3-bucket)")
			}
			if c.S3AccessKey == "" || c.S3SecretKey == "" {
				return cli.Usagef("storage s3 needs CHANCERY_S3_ACCESS_KEY and CHANCERY_S3_SECRET_KEY")
			}
		default:
			return cli.Usagef("CHANCERY_STORAGE / --storage: unknown storage type %q (local or s3)", c.Type)
		}
		return nil
	}
}

// envLookup returns the env function of the flags: a variable's value, or
// def when it is unset or empty.
func envLookup(getenv func(string) string) func(name, def string) string {
	return func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
}

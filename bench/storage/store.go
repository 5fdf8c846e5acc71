package main

import (
	"context"
	"os"
	"time"

	"chancery/bench/internal/harness"
	"chancery/drafts"
	"chancery/storage"
)

// openStore opens the local directory, or starts MinIO behind a latency
// proxy.
func openStore(ctx context.Context) (drafts.ObjectStore, func()) {
	dir, err := os.MkdirTemp("", "chancery-bench-")
	check(err)
	if *backend == "local" {
		l, err := storage.OpenLocal(dir)
		check(err)
		return l, func() { l.Close(); os.RemoveAll(dir) }
	}
	m, err := harness.StartMinIO(dir, *latency)
	check(err)
	s3, err := storage.OpenS3(ctx, storage.Config{Type: "s3", S3Endpoint: m.Endpoint, S3Bucket: "bench", S3AccessKey: m.AccessKey, S3SecretKey: m.SecretKey,
		S3CreateBucket: true, S3StartupWait: 30 * time.Second})
	check(err)
	return s3, func() { s3.Close(); m.Stop(); os.RemoveAll(dir) }
}

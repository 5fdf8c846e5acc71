package service

import (
	"context"
	"encoding/json"
	"time"

	"chancery/drafts"
)

// Credentials (tokens and sessions) are read on every request, and a
// revoked token or an ended session must be refused by the very next
// request on every replica. Reading each request's own record made half
// of a meeting's storage operations: when the room opens the new
// version, 150 requests each read their token (and a web page its
// session too), none of them shared, since each reader's record is its
// own.
//
// Instead each request reads one small record that every request shares
// (the credentials' epoch, credentialsEpochKey, through getFresh: the
// room's requests make a few reads of it, each begun after the request
// asked), and a token or session this replica read under the epoch it
// reads now is used as read then. Every change of a credential but its
// making (a token revoked, a session ended or renewed) changes the epoch
// after it is stored and before it is acknowledged: a request that
// begins after the acknowledgement reads the new epoch, and reads its
// credential again. A credential not found is never kept: one made since
// on another replica is read at its first use there; the replica that
// makes one keeps it, under the epoch it read before (keepNew).

// credentialsEpoch is the content of the record at credentialsEpochKey,
// whose ETag changes whenever a credential changes (but for its making):
// only its ETag matters.
type credentialsEpoch struct {
	At    time.Time `json:"at"`
	Nonce string    `json:"nonce"`
}

// knownCredential is a token or session as read under an epoch.
type knownCredential struct {
	epoch string
	val   any
	etag  string
}

// credentialsBytes bounds the credentials kept (some 1 KB each).
const credentialsBytes = 8 << 20

// credentials is the cache of credentials read, by storage key.
func (s *Service) credentials() *lru {
	s.credsOnce.Do(func() { s.creds = newLRU(credentialsBytes) })
	return s.creds
}

// epochNow reads the credentials' epoch, shared with the requests reading
// it at the same time: its ETag, "" while it was never changed.
func (s *Service) epochNow(ctx context.Context) (string, error) {
	obj, err := s.getFresh(ctx, credentialsEpochKey)
	if drafts.IsCode(err, drafts.ENOTFOUND) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return obj.ETag, nil
}

// readCredential returns the record at key as read under epoch, which
// the request read (epochNow) before: from memory when this replica read
// it under that epoch, or else read (read), and kept. A request reading
// two credentials (a session and its token) reads the epoch once, before
// both. The value returned is the caller's (clone).
func readCredential[T any](s *Service, epoch, key string, clone func(*T) *T, read func() (*T, string, error)) (*T, string, error) {
	if v, ok := s.credentials().get(key); ok {
		if k := v.(*knownCredential); k.epoch == epoch {
			return clone(k.val.(*T)), k.etag, nil
		}
	}
	v, etag, err := read()
	if err != nil {
		return nil, "", err
	}
	s.credentials().put(key, &knownCredential{epoch: epoch, val: clone(v), etag: etag}, 1<<10)
	return v, etag, nil
}

// keepNew keeps v, which this replica has just created at key (etag),
// as a read of it under epoch would return it: what was stored, through
// JSON. epoch must have been read before the creation, so that any change
// to the credential after it (its end, its revocation) changes the epoch
// from that one (see credentials.go's head). The first request with a
// token just issued, or the page after signing in, then reads only the
// epoch, as later ones do.
func keepNew[T any](s *Service, epoch, key, etag string, v *T) {
	raw, err := json.Marshal(v)
	if err != nil {
		return
	}
	c := new(T)
	if json.Unmarshal(raw, c) != nil {
		return
	}
	s.credentials().put(key, &knownCredential{epoch: epoch, val: c, etag: etag}, 1<<10)
}

// forgetCredential drops what this replica read at key.
func (s *Service) forgetCredential(key string) {
	s.credentials().remove(key)
}

// credentialChanged has every replica read the credential at key again
// (it was revoked, ended or renewed): this one forgets it, and the epoch
// changes. If the epoch cannot be changed, the request fails with
// unsaid, which says what was done and to repeat it.
func (s *Service) credentialChanged(ctx context.Context, key, unsaid string) error {
	s.forgetCredential(key)
	if err := s.changeEpoch(ctx); err != nil {
		return &drafts.Error{Code: drafts.EUNAVAILABLE, Err: err, Message: unsaid}
	}
	return nil
}

// changeEpoch changes the credentials' epoch, after a credential changed
// (revoked, ended, renewed) and before that is acknowledged: until it is
// changed, other replicas may still use the credential as they read it,
// so its failure is the request's.
func (s *Service) changeEpoch(ctx context.Context) error {
	next := credentialsEpoch{At: s.now(), Nonce: s.NewID()}
	return retry(func() error {
		obj, err := s.Store.Get(ctx, credentialsEpochKey)
		switch {
		case drafts.IsCode(err, drafts.ENOTFOUND):
			_, err = s.createJSON(ctx, credentialsEpochKey, next)
		case err == nil:
			_, err = s.updateJSON(ctx, credentialsEpochKey, next, obj.ETag)
		}
		// Another changed it since it was read, after this change was
		// stored: that is a change of the epoch too.
		if drafts.IsCode(err, drafts.ECONFLICT) || drafts.IsCode(err, drafts.EPRECONDITION) {
			return nil
		}
		return err
	})
}

package service

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"chancery/drafts"
)

// Every storage key the service writes or lists is spelled out here, and
// read back here: a key this file cannot read is an error, never a skip.
// No other file names a key.
//
//	documents/<doc>.json                       a document (storedDocument)
//	texts/<doc>/versions/<n>.json              a version, immutable (n: 8 digits)
//	texts/<doc>/summaries/<n>.json             its summary, for lists
//	texts/<doc>/status/<n>.json                its provisions' statuses (provisionStatuses)
//	texts/<doc>/proposals/<c>/<id>.json        a proposal, c the first character of its id;
//	texts/<doc>/proposals/<id>.json            where proposals were stored before (legacyProposalKey)
//	texts/<doc>/numbers/<n>.json               the claim of proposal number n, create-only (numberClaim; n: 8 digits)
//	texts/<doc>/numbering.json                 the start of numbering: proposals stored before it numbered (numberingStart)
//	texts/<doc>/rounds/<id>.json               an adoption round
//	texts/<doc>/events/<seq>.json              the audit trail, create-only (seq: 12 digits):
//	                                           event seq, and those written with it (storedEvents)
//	texts/<doc>/translations/<lang>/<n>.json   the language version lang of version n
//	                                           (translationSet), revised while n is the head
//	texts/<doc>/events-head.json               a hint of the trail's last event (eventHead)
//	texts/<doc>/positions.json                 the delegations' positions and their log (storedPositions)
//	rounds-due/<deadline>_<doc>_<round>.json   an open silence procedure (dueMarker)
//	symbols/<sha-256 of the symbol>.json       the claim of a symbol (symbolClaim)
//	directory/delegations/<id>.json            a delegation
//	directory/users/<id>.json                  a user
//	directory/tokens/<id>.json                 an API token
//	directory/events/<seq>.json                the directory's audit trail (as a document's)
//	directory/events-head.json                 a hint of its last event
//	directory/credentials-epoch.json           the credentials' epoch: its ETag changes with every
//	                                           revocation, sign-out and renewal (credentials.go)
//	sessions/<id>.json                         a web session
//	signin-links/<id>.json                     a one-time sign-in link
//	visits/<user>/<doc>.json                   what a user last saw of a document
//	forms/<user>/<id>.json                     a form a user is writing in the workspace (drafts.SavedForm)
//	form-claims/<user>/<key>.json              the idempotency key of a form a user sent (drafts.FormClaim)
//	cache/pdf/<doc>/<kind>-<hash>.pdf          a print, made once (printKey)
//	texts/<doc>/focus.json                     the provision under discussion (drafts.Focus)
//	webhooks/<id>.json                         a webhook endpoint, with its secret (storedWebhook)
//	webhook-removals/<id>.json                 the removal of an endpoint, create-only (webhookRemoval)
//	webhook-cursors/<doc>.json                 how far the document's events have their deliveries (hookCursor)
//	webhook-deliveries/<hook>/<at>_<doc>_<seq>.json
//	                                           a delivery and its log (drafts.Delivery; at: the event's time)
//	webhook-attempts/<hook>/<doc>_<seq>_<n>.json
//	                                           the claim of attempt n of a delivery, create-only (attemptClaim)
//	webhook-due/<due>_<hook>_<at>_<doc>_<seq>_<n>.json
//	                                           attempt n of a delivery, due then (an empty marker)
//
// Keys never overlap (no key is the folder of another): MinIO and file
// systems do not allow it.

const (
	documentsPrefix       = "documents/"
	roundsDuePrefix       = "rounds-due/"
	delegationsPrefix     = "directory/delegations/"
	usersPrefix           = "directory/users/"
	tokensPrefix          = "directory/tokens/"
	directoryEventsPrefix = "directory/events/"
	directoryEventHeadKey = "directory/events-head.json"
	credentialsEpochKey   = "directory/credentials-epoch.json"
	textsPrefix           = "texts/"
	jsonSuffix            = ".json"
)

func documentKey(id string) string { return documentsPrefix + id + jsonSuffix }

// textKey is the key of name under a document's folder.
func textKey(doc, name string) string { return textsPrefix + doc + "/" + name }

func versionsPrefix(doc string) string     { return textKey(doc, "versions/") }
func summariesPrefix(doc string) string    { return textKey(doc, "summaries/") }
func statusesPrefix(doc string) string     { return textKey(doc, "status/") }
func proposalsPrefix(doc string) string    { return textKey(doc, "proposals/") }
func roundsPrefix(doc string) string       { return textKey(doc, "rounds/") }
func eventsPrefix(doc string) string       { return textKey(doc, "events/") }
func translationsPrefix(doc string) string { return textKey(doc, "translations/") }
func versionKey(doc string, n int) string  { return versionsPrefix(doc) + pad8(n) + jsonSuffix }
func translationKey(doc, lang string, n int) string {
	return translationsPrefix(doc) + lang + "/" + pad8(n) + jsonSuffix
}
func summaryKey(doc string, n int) string { return summariesPrefix(doc) + pad8(n) + jsonSuffix }
func statusKey(doc string, n int) string  { return statusesPrefix(doc) + pad8(n) + jsonSuffix }
func roundKey(doc, id string) string      { return roundsPrefix(doc) + id + jsonSuffix }
func eventHeadKey(doc string) string      { return textKey(doc, "events-head.json") }
func positionsKey(doc string) string      { return textKey(doc, "positions.json") }
func numbersPrefix(doc string) string     { return textKey(doc, "numbers/") }
func numberKey(doc string, n int) string  { return numbersPrefix(doc) + pad8(n) + jsonSuffix }
func numberingKey(doc string) string      { return textKey(doc, "numbering.json") }
func eventKey(doc string, seq int64) string {
	return eventsPrefix(doc) + eventName(seq)
}

// eventName is the last part of the key of event seq.
func eventName(seq int64) string { return fmt.Sprintf("%012d%s", seq, jsonSuffix) }

// eventCursor is the cursor of a page of a trail's events starting after
// event seq.
func eventCursor(seq int64) string { return cursorOf(eventName(seq)) }

// proposalKey is where a proposal is stored: in a folder named by the first
// character of its id, so that a page listed from a cursor is read from
// one folder of a few hundred, not one of thousands (MinIO and file
// systems read a folder whole to list part of it).
func proposalKey(doc, id string) string {
	return proposalsPrefix(doc) + id[:1] + "/" + id + jsonSuffix
}

// legacyProposalKey is where proposals were stored before they were
// foldered (November 2026). They are still read there, and written back
// where they are: a proposal never moves, so lists and cursors stay stable.
func legacyProposalKey(doc, id string) string { return proposalsPrefix(doc) + id + jsonSuffix }

func delegationKey(id string) string       { return delegationsPrefix + id + jsonSuffix }
func userKey(id string) string             { return usersPrefix + id + jsonSuffix }
func tokenKey(id string) string            { return tokensPrefix + id + jsonSuffix }
func sessionKey(id string) string          { return "sessions/" + id + jsonSuffix }
func linkKey(id string) string             { return "signin-links/" + id + jsonSuffix }
func formKey(user, id string) string       { return "forms/" + user + "/" + id + jsonSuffix }
func formClaimKey(user, key string) string { return "form-claims/" + user + "/" + key + jsonSuffix }
func visitKey(user, doc string) string {
	return "visits/" + user + "/" + doc + jsonSuffix
}

func directoryEventKey(seq int64) string { return directoryEventsPrefix + eventName(seq) }

// symbolKey is where the claim of a symbol is kept. Symbols that differ
// only in letter case or spacing are one symbol.
func symbolKey(symbol string) string {
	sum := sha256.Sum256([]byte(strings.ToUpper(strings.Join(strings.Fields(symbol), " "))))
	return "symbols/" + hex.EncodeToString(sum[:]) + jsonSuffix
}

// dueKey is the key of the marker of an open silence procedure, under the
// prefix of open rounds keyed by deadline: a sweep lists the prefix from
// its start and stops at the first deadline still ahead, so it reads no
// document that has nothing due.
func dueKey(r *drafts.AdoptionRound) string {
	return fmt.Sprintf("%s%s_%s_%s%s", roundsDuePrefix, r.Deadline.UTC().Format(dueTimeFormat), r.Document, r.ID, jsonSuffix)
}

// dueTimeFormat sorts as it reads: fixed width, UTC.
const dueTimeFormat = "20060102T150405.000Z"

// printKey is the key of a print of kind of document doc whose inputs
// hash to digest.
func printKey(doc, kind, digest string) string {
	return "cache/pdf/" + doc + "/" + kind + "-" + digest + ".pdf"
}

func focusKey(doc string) string { return textKey(doc, "focus.json") }

// Webhooks (webhook.go).
const (
	webhooksPrefix   = "webhooks/"
	hookCursorPrefix = "webhook-cursors/"
	deliveriesPrefix = "webhook-deliveries/"
	attemptsPrefix   = "webhook-attempts/"
	hookDuePrefix    = "webhook-due/"
	// webhookRemovalsPrefix holds the records of removed endpoints
	// (webhook_audit.go).
	webhookRemovalsPrefix = "webhook-removals/"
)

func webhookRemovalKey(id string) string { return webhookRemovalsPrefix + id + jsonSuffix }

func webhookKey(id string) string     { return webhooksPrefix + id + jsonSuffix }
func hookCursorKey(doc string) string { return hookCursorPrefix + doc + jsonSuffix }

// deliveriesOf is the folder of an endpoint's deliveries, in the order of
// their events' times.
func deliveriesOf(hook string) string { return deliveriesPrefix + hook + "/" }

// deliveryRef names a delivery: an endpoint and an event.
type deliveryRef struct {
	Hook string
	At   time.Time // the event's time
	Doc  string
	Seq  int64
}

// name is the part of a delivery's keys after its endpoint.
func (r deliveryRef) name() string {
	return r.At.UTC().Format(dueTimeFormat) + "_" + r.Doc + "_" + strings.TrimSuffix(eventName(r.Seq), jsonSuffix)
}

func deliveryKey(r deliveryRef) string { return deliveriesOf(r.Hook) + r.name() + jsonSuffix }

// attemptKey is where attempt n of a delivery is claimed.
func attemptKey(r deliveryRef, n int) string {
	return fmt.Sprintf("%s%s/%s_%d_%d%s", attemptsPrefix, r.Hook, r.Doc, r.Seq, n, jsonSuffix)
}

// hookDueKey is the marker of attempt n of a delivery, due at due: a pass
// lists the prefix from its start and stops at the first marker still
// ahead.
func hookDueKey(due time.Time, r deliveryRef, n int) string {
	return fmt.Sprintf("%s%s_%s_%s_%d%s", hookDuePrefix, due.UTC().Format(dueTimeFormat), r.Hook, r.name(), n, jsonSuffix)
}

// Keys of the in-process cache (see cache.go) for what is computed, not
// stored. They look like storage keys but name nothing stored.

// diffCacheKey names the diff from version m to version n of doc.
func diffCacheKey(doc string, n, m int) string { return fmt.Sprintf("diff/%s/%d/%d", doc, n, m) }

// digestCacheKey names the hash of that diff.
func digestCacheKey(doc string, n, m int) string { return diffCacheKey(doc, n, m) + "/digest" }

// compilationKey names what a compilation of v is made of: the version
// with its statuses (its ETag) and the open proposals (proposalsDigest).
func compilationKey(v *drafts.Version, proposals string) string {
	return "compilation/" + v.Document + "/" + strconv.Itoa(v.Number) + "/" + v.ETag + "/" + proposals
}

// proposalsDigest names open proposals: each one's id and the ETag read,
// in order.
func proposalsDigest(open []*drafts.Proposal) string {
	h := sha256.New()
	for _, p := range open {
		h.Write([]byte(p.ID))
		h.Write([]byte{0})
		h.Write([]byte(p.ETag))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// compiledKey names one proposal's part of the compilation of version n:
// the proposal at one ETag (its base is part of it) on the text of n.
func compiledKey(doc string, n int, p *drafts.Proposal) string {
	return "compiled/" + doc + "/" + strconv.Itoa(n) + "/" + p.ID + "/" + p.ETag
}

// agreementCacheKey names the agreed share of version n of doc with its
// statuses (the version's ETag).
func agreementCacheKey(doc string, n int, etag string) string {
	return "agreement/" + doc + "/" + strconv.Itoa(n) + "/" + etag
}

// tallyCacheKey names the tally of version n of doc with its statuses at
// statusETag ("" for the statuses the version was stored with).
func tallyCacheKey(doc string, n int, statusETag string) string {
	return fmt.Sprintf("tally/%s/%d/%s", doc, n, statusETag)
}

// listedKey names the content an object had at an ETag.
func listedKey(key, etag string) string { return key + "\x00" + etag }

// pad8 is fmt.Sprintf("%08d", n) for n >= 0, without fmt: version keys
// are made on every read of a version.
func pad8(n int) string {
	if n < 0 {
		return fmt.Sprintf("%08d", n)
	}
	s := strconv.Itoa(n)
	if len(s) < 8 {
		s = "00000000"[len(s):] + s
	}
	return s
}

// Reading keys back.

// errKey says that key, listed under what should hold only objects of
// what, is not the key of one.
func errKey(key, what string) error {
	return drafts.Errorf(drafts.EINTERNAL, "stored object %s is not %s", key, what)
}

// nameUnder returns the last part of key without ".json", if key is a
// JSON object right under prefix.
func nameUnder(key, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(key, prefix)
	if !ok {
		return "", false
	}
	rest, ok = strings.CutSuffix(rest, jsonSuffix)
	return rest, ok && rest != "" && !strings.Contains(rest, "/")
}

// nameOf is key without prefix and ".json", to name it to people.
func nameOf(key, prefix string) string {
	return strings.TrimSuffix(strings.TrimPrefix(key, prefix), jsonSuffix)
}

// documentOfKey returns the id of the document stored at key.
func documentOfKey(key string) (string, error) {
	id, ok := nameUnder(key, documentsPrefix)
	if !ok || !drafts.ValidID(id) {
		return "", errKey(key, "a document")
	}
	return id, nil
}

// numberOfKey returns the version number of a key listed under prefix
// (versionsPrefix or statusesPrefix of a document), or the proposal
// number of a claim listed under numbersPrefix.
func numberOfKey(key, prefix string) (int, error) {
	name, ok := nameUnder(key, prefix)
	n, err := strconv.Atoi(name)
	if !ok || err != nil || n < 1 || pad8(n) != name {
		return 0, errKey(key, "numbered as a version")
	}
	return n, nil
}

// translationOfKey returns the language and version number of the
// language version stored at key, listed under translationsPrefix of a
// document.
func translationOfKey(key, prefix string) (string, int, error) {
	rest, _ := strings.CutPrefix(key, prefix)
	lang, name, ok := strings.Cut(rest, "/")
	if !ok || !drafts.ValidLanguage(lang) {
		return "", 0, errKey(key, "a language version")
	}
	n, err := numberOfKey(name, "")
	if err != nil {
		return "", 0, errKey(key, "a language version")
	}
	return lang, n, nil
}

// roundOfKey returns the id of the round stored at key, listed under
// roundsPrefix of a document.
func roundOfKey(key, prefix string) (string, error) {
	id, ok := nameUnder(key, prefix)
	if !ok || !drafts.ValidID(id) {
		return "", errKey(key, "an adoption round")
	}
	return id, nil
}

// proposalOfKey returns the id of the proposal stored at key, listed
// under proposalsPrefix of a document: in its folder or where proposals
// were stored before.
func proposalOfKey(key, prefix string) (string, error) {
	rest, _ := strings.CutPrefix(key, prefix)
	if folder, name, ok := strings.Cut(rest, "/"); ok {
		if id, ok := nameUnder(name, ""); ok && drafts.ValidID(id) && strings.HasPrefix(id, folder) && len(folder) == 1 {
			return id, nil
		}
		return "", errKey(key, "a proposal")
	}
	id, ok := nameUnder(key, prefix)
	if !ok || !drafts.ValidID(id) {
		return "", errKey(key, "a proposal")
	}
	return id, nil
}

// eventOfKey returns the sequence number of the event stored at key,
// listed under prefix (eventsPrefix of a document, or
// directoryEventsPrefix).
func eventOfKey(key, prefix string) (int64, error) {
	name, ok := nameUnder(key, prefix)
	seq, err := strconv.ParseInt(name, 10, 64)
	if !ok || err != nil || seq < 1 || eventName(seq) != name+jsonSuffix {
		return 0, errKey(key, "an event")
	}
	return seq, nil
}

// dueOfKey returns the deadline, document and round of a marker of an
// open silence procedure.
func dueOfKey(key string) (deadline time.Time, doc, round string, err error) {
	name, ok := nameUnder(key, roundsDuePrefix)
	parts := strings.Split(name, "_")
	if !ok || len(parts) != 3 || !drafts.ValidID(parts[1]) || !drafts.ValidID(parts[2]) {
		return time.Time{}, "", "", errKey(key, "the marker of a silence procedure")
	}
	t, err := time.Parse(dueTimeFormat, parts[0])
	if err != nil {
		return time.Time{}, "", "", errKey(key, "the marker of a silence procedure")
	}
	return t, parts[1], parts[2], nil
}

// webhookOfKey returns the id of the endpoint stored at key.
func webhookOfKey(key string) (string, error) {
	id, ok := nameUnder(key, webhooksPrefix)
	if !ok || !drafts.ValidID(id) {
		return "", errKey(key, "a webhook endpoint")
	}
	return id, nil
}

// hookDueOfKey returns when a marker of an attempt is due, the delivery
// and the attempt's number.
func hookDueOfKey(key string) (time.Time, deliveryRef, int, error) {
	name, ok := nameUnder(key, hookDuePrefix)
	parts := strings.Split(name, "_")
	fail := func() (time.Time, deliveryRef, int, error) {
		return time.Time{}, deliveryRef{}, 0, errKey(key, "the marker of a delivery attempt")
	}
	if !ok || len(parts) != 6 || !drafts.ValidID(parts[1]) || !drafts.ValidID(parts[3]) {
		return fail()
	}
	due, err1 := time.Parse(dueTimeFormat, parts[0])
	at, err2 := time.Parse(dueTimeFormat, parts[2])
	seq, err3 := strconv.ParseInt(parts[4], 10, 64)
	n, err4 := strconv.Atoi(parts[5])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || seq < 1 || n < 1 {
		return fail()
	}
	r := deliveryRef{Hook: parts[1], At: at, Doc: parts[3], Seq: seq}
	if hookDueKey(due, r, n) != key {
		return fail()
	}
	return due, r, n, nil
}

// documentOfAnyKey returns the document whose folder or object key is in,
// false for a key of no document (the directory, sessions, symbols...).
func documentOfAnyKey(key string) (string, bool) {
	var doc string
	if rest, ok := strings.CutPrefix(key, textsPrefix); ok {
		doc, _, _ = strings.Cut(rest, "/")
	} else if id, ok := nameUnder(key, documentsPrefix); ok {
		doc = id
	}
	return doc, drafts.ValidID(doc)
}

// isDirectoryKey reports whether key is an object of the directory, whose
// changes the directory's trail records.
func isDirectoryKey(key string) bool {
	return strings.HasPrefix(key, "directory/") || strings.HasPrefix(key, webhooksPrefix) || strings.HasPrefix(key, webhookRemovalsPrefix)
}

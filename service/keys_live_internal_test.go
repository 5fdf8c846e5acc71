package service

import (
	"testing"
	"time"
)

// TestWebhookKeysReadBack: the keys of endpoints and of attempts' markers
// read back as what they were made from; others are errors.
func TestWebhookKeysReadBack(t *testing.T) {
	if got, err := webhookOfKey(webhookKey("h1x")); err != nil || got != "h1x" {
		t.Errorf("webhookOfKey = %q, %v", got, err)
	}
	r := deliveryRef{Hook: "h1x", At: time.Date(2026, 12, 1, 17, 0, 0, 123e6, time.UTC), Doc: "d1", Seq: 42}
	due := time.Date(2026, 12, 1, 17, 0, 5, 0, time.UTC)
	at, got, n, err := hookDueOfKey(hookDueKey(due, r, 3))
	if err != nil || !at.Equal(due) || got != r || n != 3 {
		t.Errorf("hookDueOfKey = %v, %+v, %d, %v", at, got, n, err)
	}
	for _, key := range []string{
		webhooksPrefix + "H1.json", webhooksPrefix + "a/b.json", hookDuePrefix + "soon_h1x_x_d1_1_1.json",
		hookDuePrefix + "20261201T170005.000Z_h1x_20261201T170000.123Z_d1_000000000042_0.json",
		hookDuePrefix + "20261201T170005.000Z_h1x_20261201T170000.123Z_d1_42_1.json",
	} {
		_, err1 := webhookOfKey(key)
		_, _, _, err2 := hookDueOfKey(key)
		if err1 == nil && err2 == nil {
			t.Errorf("%s read as a key", key)
		}
	}
	if _, ok := documentOfAnyKey(focusKey("d1")); !ok {
		t.Errorf("the focus key is not the document's")
	}
}

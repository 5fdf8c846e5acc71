package web_test

import (
	"io"
	"net/http"
	"sync"
	"testing"
)

// TestRefusedDocumentPageLeavesNothingBehind: an observer's pages of a
// members-only document are refused while pages of an open one are
// served, on the same connections, side by side. Run with -race: the
// document page reads the reader's last visit beside the document, and
// that read must hold nothing of the refused request, whose context Echo
// hands to the next one.
func TestRefusedDocumentPageLeavesNothingBehind(t *testing.T) {
	e := newEnv(t)
	jp := newClient(t, e, "JP")
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				doc, open := e.Members.ID, false
				if (i+w)%2 == 0 {
					doc, open = e.Open.ID, true
				}
				resp, err := jp.http.Get(e.URL + "/documents/" + doc)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if open && resp.StatusCode != http.StatusOK || !open && (resp.StatusCode < 400 || resp.StatusCode >= 500) {
					t.Errorf("observer, document %s: status %d", doc, resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
}

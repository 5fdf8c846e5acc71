package harness

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
)

// MustJSON sends body as JSON to url with a bearer token, and decodes the
// answer into out (unless nil); an answer other than 2xx ends the
// program, saying it.
func MustJSON(c *http.Client, method, url, token string, body, out any) {
	data, err := json.Marshal(body)
	Check(err)
	req, err := http.NewRequest(method, url, bytes.NewReader(data))
	Check(err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	Check(err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		log.Fatalf("%s %s: %d %s", method, req.URL.Path, resp.StatusCode, raw)
	}
	if out != nil {
		Check(json.Unmarshal(raw, out))
	}
}

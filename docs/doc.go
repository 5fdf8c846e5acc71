// Package docs holds Chancery's documentation for its users, as Markdown
// files: the HTTP API reference (api.md), the text format (text-format.md),
// the operator's guide (operations.md), language versions (languages.md)
// and what is shared between readers for speed, and what never is
// (performance.md). Its tests keep the API
// reference in step with the OpenAPI document and every link pointing at a
// file of the repository.
package docs

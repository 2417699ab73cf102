package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// Limits of what a request may carry, held in this one place before any
// handler runs: every query parameter, form field and JSON string to a
// length, every body to a size. A handler never sees a 50,000-character
// search (which SQLite refuses as a LIKE pattern, a 500) or a 20 MB form;
// the user is told which field is too long (422) or that the body is too
// large (413), in their language, and the API says the same in its JSON.
const (
	// maxFieldLen is the characters of a value unless fieldLimits says
	// otherwise: well above every text the books keep (a summary 200, a
	// note 500, a name 100), so only what no form sends is refused here.
	maxFieldLen = 1000
	// maxFieldName is the characters of a parameter's or field's name.
	maxFieldName = 100
	// maxFormBody is the bytes of a form: a voucher of 999 lines with
	// their summaries fits.
	maxFormBody = 4 << 20
	// maxUploadBody is the bytes of a multipart form: a document of the
	// largest size with its envelope.
	maxUploadBody = store.MaxDocumentSize + 1<<20
)

// fieldLimits are the values longer than maxFieldLen that forms send.
var fieldLimits = map[string]int{
	"next":              16000, // the address to return to, with its query percent-encoded
	"scope_collectives": 20000, // a user's collectives, a code each
}

func fieldLimit(name string) int {
	if n, ok := fieldLimits[name]; ok {
		return n
	}
	return maxFieldLen
}

// Errors of a request's size and form.
var (
	errFormTooLarge   = jiti.Errorf(jiti.Invalid, "web.form_too_large")
	errUploadTooLarge = jiti.Errorf(jiti.Invalid, "web.upload_too_large")
	errBadForm        = jiti.Errorf(jiti.Invalid, "web.bad_form")
)

// limitInput refuses a request whose parameters, fields or body exceed
// the limits, and reads forms here, so handlers find them read.
func (s *Server) limitInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkInput(w, r); err != nil {
			s.inputFail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, apiPrefix+"/") }

// checkInput checks the query, and the body by its type: the API's JSON
// read whole (it is small) and its strings checked, forms read and their
// fields checked, anything else cut at the form's size.
func checkInput(w http.ResponseWriter, r *http.Request) error {
	if r.URL.RawQuery != "" {
		if err := checkValues(r.URL.Query()); err != nil {
			return err
		}
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case isAPI(r):
		return checkJSONBody(w, r)
	case mt == "multipart/form-data":
		// A file to import may be hundreds of megabytes: it waits on disk.
		limit, memory := int64(maxUploadBody), int64(maxUploadBody)
		if isImportUpload(r) {
			limit, memory = maxImportBody, importMemory
		}
		if err := capBody(w, r, limit); err != nil {
			return err
		}
		if err := r.ParseMultipartForm(memory); err != nil {
			return formError(err, limit)
		}
		return checkValues(r.MultipartForm.Value)
	}
	if err := capBody(w, r, maxFormBody); err != nil {
		return err
	}
	if mt != "application/x-www-form-urlencoded" {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return formError(err, maxFormBody)
	}
	return checkValues(r.PostForm)
}

// capBody refuses a body that says it is larger than limit and cuts one
// that turns out to be.
func capBody(w http.ResponseWriter, r *http.Request, limit int64) error {
	if r.ContentLength > limit {
		return tooLarge(limit)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	return nil
}

func tooLarge(limit int64) error {
	switch limit {
	case maxUploadBody:
		return errUploadTooLarge.With(store.MaxDocumentSize >> 20)
	case maxImportBody:
		return errUploadTooLarge.With(maxImportBody >> 20)
	}
	return errFormTooLarge.With(limit >> 20)
}

// formError tells a body cut at its size from one that is not a form.
func formError(err error, limit int64) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return tooLarge(limit)
	}
	return errBadForm.Wrap(err)
}

// checkValues holds each name and value to its length; the first at fault
// (by name) is the error, at its field.
func checkValues(vs url.Values) error {
	names := make([]string, 0, len(vs))
	for name := range vs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if utf8.RuneCountInString(name) > maxFieldName {
			return jiti.ErrTooLong.With(maxFieldName).At(clipName(name))
		}
		limit := fieldLimit(name)
		for _, v := range vs[name] {
			if len(v) > limit && utf8.RuneCountInString(v) > limit {
				return jiti.ErrTooLong.With(limit).At(name)
			}
		}
	}
	return nil
}

// clipName shortens a name too long to show whole.
func clipName(name string) string {
	r := []rune(name)
	if len(r) <= 40 {
		return name
	}
	return string(r[:40]) + "…"
}

// checkJSONBody reads an API request's body, up to the API's size, checks
// the length of every string and key in it, and puts it back for the
// handler. A body that is not JSON is left to the handler to refuse.
func checkJSONBody(w http.ResponseWriter, r *http.Request) error {
	if r.ContentLength > apiMaxBody {
		return errTooLarge.With(apiMaxBody)
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, apiMaxBody+1))
	r.Body.Close()
	if err != nil {
		return errBadJSON.Wrap(err)
	}
	if len(b) > apiMaxBody {
		return errTooLarge.With(apiMaxBody)
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return checkJSONStrings(b)
}

// jsonFrame is an object or array being read: the key or index of the
// value being read in it.
type jsonFrame struct {
	array   bool
	key     string
	index   int
	wantKey bool // in an object, the next string is a key
}

// jsonPath names the value being read as the API's errors name fields:
// "lines[2].summary" for the second line's.
func jsonPath(stack []jsonFrame) string {
	var b strings.Builder
	for _, f := range stack {
		if f.array {
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(f.key)
	}
	return b.String()
}

// jsonName is the key of the nearest object around the value being read:
// what its limit goes by.
func jsonName(stack []jsonFrame) string {
	for i := len(stack) - 1; i >= 0; i-- {
		if !stack[i].array {
			return stack[i].key
		}
	}
	return ""
}

// checkJSONStrings walks a JSON document's tokens and refuses the first
// key longer than maxFieldName or string longer than its field's limit.
// Malformed JSON ends the walk without an error.
func checkJSONStrings(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var stack []jsonFrame
	done := func() { // a value of the innermost container has been read
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		n := len(stack)
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:n-1]
			done()
			continue
		}
		if n > 0 && !stack[n-1].array && stack[n-1].wantKey {
			key, _ := tok.(string)
			stack[n-1].key, stack[n-1].wantKey = key, false
			if utf8.RuneCountInString(key) > maxFieldName {
				stack[n-1].key = clipName(key)
				return jiti.ErrTooLong.With(maxFieldName).At(jsonPath(stack))
			}
			continue
		}
		switch v := tok.(type) {
		case json.Delim: // '{' or '[': an array's items count from 1, as the API's errors do
			stack = append(stack, jsonFrame{array: v == '[', index: 1, wantKey: v == '{'})
			continue
		case string:
			if limit := fieldLimit(jsonName(stack)); utf8.RuneCountInString(v) > limit {
				return jiti.ErrTooLong.With(limit).At(jsonPath(stack))
			}
		}
		done()
	}
}

// inputFail answers a request refused for its size or a field's length:
// in JSON below the API, else with the error page (413 for a body too
// large, 400 for a body that is not the form it says, 422 for a field too
// long, naming it).
func (s *Server) inputFail(w http.ResponseWriter, r *http.Request, err error) {
	st := stateOf(r)
	if isAPI(r) {
		s.apiFail(w, r, st, err)
		return
	}
	code := statusOf(err)
	switch {
	case errors.Is(err, errFormTooLarge), errors.Is(err, errUploadTooLarge):
		code = http.StatusRequestEntityTooLarge
	case errors.Is(err, errBadForm):
		code = http.StatusBadRequest
	}
	s.render(w, r, code, "error", &page{Title: st.p.T("web.error"), Data: errorPage{Code: code, Message: st.p.Error(err)}})
}

package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/ledger"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The JSON API under /api/v1, for programs: the same reads as the pages,
// through the caller's View, and the same writes, through the store's
// methods that authorize their actor. A caller is a user with an API token
// (Authorization: Bearer …) or a browser with a session. Money is a decimal
// string with two places ("1234.56") both ways, dates "2025-03-05" and
// months "2025-03"; every error is {"error": {"code", "message", "field"}}
// with the status of statusOf. The routes are the one table apiTable, which
// registers the handlers and which the tests hold against the OpenAPI
// document served at /api/v1/openapi.json.

// apiPrefix is where the API lives; APIRoute paths are below it.
const apiPrefix = "/api/v1"

// Limits of the API.
const (
	apiMaxBody      = 1 << 20 // bytes of a request body
	apiMaxLimit     = 500     // items in one page of a list
	apiDefaultLimit = 50
)

// BodyUse says whether a route reads a JSON request body.
type BodyUse int

// Uses of a request body.
const (
	BodyNone BodyUse = iota
	BodyOptional
	BodyRequired
)

// APIRoute is one route of the JSON API.
type APIRoute struct {
	Method string
	Path   string   // below /api/v1, with {name} for a path value
	Query  []string // the query parameters it takes; any other is refused
	Body   BodyUse
	Status int  // the status of success
	Public bool // answered without credentials
	h      func(s *Server, w http.ResponseWriter, r *http.Request, st *state) error
}

// apiTable is every route of the API. apiRoutes registers exactly these,
// and the tests check them against the OpenAPI document both ways: a route
// added here and not documented (or documented and not here) fails them.
var apiTable = []APIRoute{
	{Method: "GET", Path: "/openapi.json", Status: 200, Public: true, h: (*Server).apiOpenAPI},
	{Method: "GET", Path: "/me", Status: 200, h: (*Server).apiMe},
	{Method: "GET", Path: "/collectives", Query: []string{"region", "limit", "offset"}, Status: 200, h: (*Server).apiCollectives},
	{Method: "GET", Path: "/collectives/{id}", Status: 200, h: (*Server).apiCollective},
	{Method: "GET", Path: "/collectives/{id}/accounts", Query: []string{"limit", "offset"}, Status: 200, h: (*Server).apiAccounts},
	{Method: "GET", Path: "/collectives/{id}/vouchers", Query: []string{"from", "to", "status", "account", "q", "limit", "offset"},
		Status: 200, h: (*Server).apiVouchers},
	{Method: "POST", Path: "/collectives/{id}/vouchers", Body: BodyRequired, Status: 201, h: (*Server).apiCreateVoucher},
	{Method: "GET", Path: "/collectives/{id}/trial-balance", Query: []string{"from", "to"}, Status: 200, h: (*Server).apiTrialBalance},
	{Method: "GET", Path: "/collectives/{id}/assets", Query: []string{"status", "category", "limit", "offset"}, Status: 200, h: (*Server).apiAssets},
	{Method: "GET", Path: "/collectives/{id}/contracts", Query: []string{"status", "kind", "limit", "offset"}, Status: 200, h: (*Server).apiContracts},
	{Method: "GET", Path: "/collectives/{id}/resources", Query: []string{"kind", "use", "limit", "offset"}, Status: 200, h: (*Server).apiResources},
	{Method: "GET", Path: "/vouchers/{id}", Status: 200, h: (*Server).apiVoucher},
	{Method: "DELETE", Path: "/vouchers/{id}", Status: 204, h: (*Server).apiDeleteVoucher},
	{Method: "POST", Path: "/vouchers/{id}/approve", Status: 200, h: (*Server).apiApprove},
	{Method: "POST", Path: "/vouchers/{id}/post", Status: 200, h: (*Server).apiPost},
	{Method: "POST", Path: "/vouchers/{id}/reverse", Body: BodyOptional, Status: 201, h: (*Server).apiReverse},
	{Method: "GET", Path: "/assets/{id}", Status: 200, h: (*Server).apiAsset},
	{Method: "POST", Path: "/assets/{id}/status", Body: BodyRequired, Status: 200, h: (*Server).apiAssetStatus},
	{Method: "GET", Path: "/resources/{id}", Status: 200, h: (*Server).apiResource},
	{Method: "POST", Path: "/resources/{id}/use", Body: BodyRequired, Status: 200, h: (*Server).apiResourceUse},
	{Method: "GET", Path: "/contracts/{id}", Status: 200, h: (*Server).apiContract},
	{Method: "GET", Path: "/collectives/{id}/decisions", Query: []string{"kind", "status", "year", "limit", "offset"}, Status: 200, h: (*Server).apiDecisions},
	{Method: "POST", Path: "/collectives/{id}/decisions", Body: BodyRequired, Status: 201, h: (*Server).apiCreateDecision},
	{Method: "GET", Path: "/decisions/{id}", Status: 200, h: (*Server).apiDecision},
	{Method: "POST", Path: "/decisions/{id}/steps", Body: BodyRequired, Status: 200, h: (*Server).apiDecisionStep},
	{Method: "GET", Path: "/regions/{code}/stats", Query: []string{"year"}, Status: 200, h: (*Server).apiStats},
}

// APIRoutes lists the routes of the JSON API, for checking its
// documentation.
func APIRoutes() []APIRoute { return slices.Clone(apiTable) }

//go:embed openapi.json
var openAPIDoc []byte

// Errors of the API's requests.
var (
	errAPIUnauthorized = jiti.Errorf(jiti.Forbidden, "api.unauthorized")
	errBadJSON         = jiti.Errorf(jiti.Invalid, "api.bad_json")
	errJSONType        = jiti.Errorf(jiti.Invalid, "api.json_type")
	errUnknownField    = jiti.Errorf(jiti.Invalid, "api.unknown_field")
	errBodyRequired    = jiti.Errorf(jiti.Invalid, "api.body_required")
	errTooLarge        = jiti.Errorf(jiti.Invalid, "api.too_large")
	errContentType     = jiti.Errorf(jiti.Invalid, "api.content_type")
	errMethod          = jiti.Errorf(jiti.Invalid, "api.method_not_allowed")
	errUnknownParam    = jiti.Errorf(jiti.Invalid, "api.unknown_param")
	errMoneyString     = jiti.Errorf(jiti.Invalid, "api.money_string")
	errBadValue        = jiti.Errorf(jiti.Invalid, "api.bad_value")
	errLimit           = jiti.Errorf(jiti.Invalid, "api.limit")
	errOffset          = jiti.Errorf(jiti.Invalid, "api.offset")
	errEmptyParam      = jiti.Errorf(jiti.Invalid, "api.empty_param")
	errPrecondition    = jiti.Errorf(jiti.Conflict, "api.precondition_failed")
)

// The forms of the API's values, exactly as the OpenAPI document states
// them (TestAPI_Patterns holds the two together): a month, a date, an
// amount of the input and a region's code. The API reads only these forms;
// the pages and imports are kinder ("2025/3/5", "1,234.5"), a program need
// not be.
const (
	MonthPattern   = `^(19[0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])$`
	DatePattern    = `^(19[0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	MoneyInPattern = `^(|(0|[1-9][0-9]{0,13}|[1-9][0-9]{0,2}(,[0-9]{3}){1,3}|[1-9][0-9]?(,[0-9]{3}){4})(\.[0-9]{1,2})?)$`
	RegionPattern  = `^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$`
)

var (
	monthRe   = regexp.MustCompile(MonthPattern)
	dateRe    = regexp.MustCompile(DatePattern)
	moneyInRe = regexp.MustCompile(MoneyInPattern)
)

// apiMaxOffset is the most items a list may skip.
const apiMaxOffset = 1_000_000_000

// apiPeriod reads a month of the API: YYYY-MM, 1900-01 to 9999-12.
func apiPeriod(s, field string) (jiti.Period, error) {
	if !monthRe.MatchString(s) {
		return 0, jiti.ErrPeriodSyntax.With(s).At(field)
	}
	p, err := jiti.ParsePeriod(s)
	return p, atField(err, field)
}

// apiDate reads a date of the API: YYYY-MM-DD, a day that exists.
func apiDate(s, field string) (jiti.Date, error) {
	if !dateRe.MatchString(s) {
		return jiti.Date{}, jiti.ErrDateSyntax.With(s).At(field)
	}
	d, err := jiti.ParseDate(s)
	return d, atField(err, field)
}

// apiRoutes registers the API's routes, and below them an answer in JSON
// for any other address: not found, or the method not allowed.
func (s *Server) apiRoutes(mux *http.ServeMux) {
	for _, rt := range apiTable {
		mux.HandleFunc(rt.Method+" "+apiPrefix+rt.Path, s.apiHandler(rt))
	}
	mux.HandleFunc(apiPrefix+"/", s.apiNoRoute(mux))
}

// apiHandler runs a route: the caller authenticated, the query parameters
// and the body checked, then the handler; any error is answered in JSON.
func (s *Server) apiHandler(rt APIRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		st := stateOf(r)
		var err error
		if !rt.Public {
			st, err = s.apiAuth(r)
		}
		if err == nil {
			err = checkQuery(r, rt.Query)
		}
		if err == nil && rt.Body != BodyNone {
			err = checkBody(w, r)
		}
		if err == nil && r.Method == http.MethodPost && r.Header.Get("Idempotency-Key") != "" {
			err = s.apiIdempotent(w, r, st, rt)
		} else if err == nil {
			err = rt.h(s, w, r, st)
		}
		if err != nil {
			s.apiFail(w, r, st, err)
		}
	}
}

var errIdempotencyKey = jiti.Errorf(jiti.Invalid, "api.idempotency_key")

// apiIdempotent runs a POST that carries an Idempotency-Key: the first
// time, as any other, keeping its answer (whatever its status, but a
// server's failure, after which the same request may be tried again); the
// same key and request again within a day, the first answer, status and
// body, marked Idempotent-Replayed; the same key with another request,
// 422 naming the key. Keys are the caller's own.
func (s *Server) apiIdempotent(w http.ResponseWriter, r *http.Request, st *state, rt APIRoute) error {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > 255 || strings.IndexFunc(key, func(c rune) bool { return c < '!' || c > '~' }) >= 0 {
		return errIdempotencyKey.At("Idempotency-Key")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, apiMaxBody+1))
	var mb *http.MaxBytesError
	if errors.As(err, &mb) || len(body) > apiMaxBody {
		return errTooLarge.With(apiMaxBody)
	} else if err != nil {
		return errBadJSON
	}
	sum := sha256.Sum256([]byte(r.Method + " " + r.URL.RequestURI() + "\n" + string(body)))
	user := st.view.User().ID
	first, err := s.DB.ReserveIdempotencyKey(r.Context(), user, key, hex.EncodeToString(sum[:]))
	if err != nil {
		return err
	}
	if first != nil {
		if first.Location != "" {
			w.Header().Set("Location", first.Location)
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(first.Status)
		w.Write(first.Body)
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &answerRecorder{ResponseWriter: w}
	if err := rt.h(s, rec, r, st); err != nil {
		s.apiFail(rec, r, st, err)
	}
	if rec.status >= 500 {
		err = s.DB.ReleaseIdempotencyKey(context.WithoutCancel(r.Context()), user, key)
	} else {
		err = s.DB.SaveIdempotentAnswer(context.WithoutCancel(r.Context()), user, key,
			store.IdempotentAnswer{Status: rec.status, Location: w.Header().Get("Location"), Body: rec.body.Bytes()})
	}
	if err != nil {
		s.Log.Error("idempotency key not kept", "key", key, "err", err)
	}
	return nil
}

// answerRecorder passes an answer on and keeps its status and body.
type answerRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (a *answerRecorder) WriteHeader(code int) {
	if a.status == 0 {
		a.status = code
	}
	a.ResponseWriter.WriteHeader(code)
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	a.body.Write(b)
	return a.ResponseWriter.Write(b)
}

// apiAuth finds the caller: the user of a bearer token when the request
// carries one (a bad token is refused, never passed over for the session),
// else the session's user.
func (s *Server) apiAuth(r *http.Request) (*state, error) {
	st := stateOf(r)
	h := r.Header.Get("Authorization")
	if h == "" {
		if st.view == nil {
			return st, fmt.Errorf("%w: %w", errSignedOut, errAPIUnauthorized)
		}
		return st, nil
	}
	scheme, token, _ := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return st, fmt.Errorf("%w: %w", errSignedOut, errAPIUnauthorized)
	}
	v, err := s.DB.TokenView(r.Context(), token, st.client.addr)
	if err == nil {
		return &state{p: st.p, view: v}, nil
	}
	if isUserError(err) {
		err = fmt.Errorf("%w: %w", errSignedOut, err)
	}
	return st, err
}

// checkQuery refuses query parameters the route does not take, so a
// misspelt filter is an error rather than a list unfiltered, and empty
// ones ("to="): a client that sends a parameter means a value, and an
// empty one read as absent would answer a question it did not ask.
func checkQuery(r *http.Request, allowed []string) error {
	q := r.URL.Query()
	var names, empty []string
	for name, vs := range q {
		if !slices.Contains(allowed, name) {
			names = append(names, name)
		} else if slices.Contains(vs, "") {
			empty = append(empty, name)
		}
	}
	if len(names) > 0 {
		slices.Sort(names)
		return errUnknownParam.With(names[0]).At(names[0])
	}
	if len(empty) > 0 {
		slices.Sort(empty)
		return errEmptyParam.At(empty[0])
	}
	return nil
}

// checkBody refuses a body that says it is not JSON and limits its size.
func checkBody(w http.ResponseWriter, r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return errContentType
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, apiMaxBody)
	return nil
}

// apiNoRoute answers an address below the API that no route takes.
func (s *Server) apiNoRoute(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if m == r.Method {
				continue
			}
			other := r.Clone(r.Context())
			other.Method = m
			if _, p := mux.Handler(other); p != "" && p != apiPrefix+"/" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			s.apiFail(w, r, stateOf(r), errMethod.With(r.Method))
			return
		}
		s.apiFail(w, r, stateOf(r), jiti.ErrNotFound)
	}
}

// apiError is the body of every error answer, inside {"error": …}. When
// several things are wrong at once (every bad line of a voucher), the first
// is the error and Details lists them all.
type apiError struct {
	Code    string     `json:"code"`
	Message string     `json:"message"`
	Field   string     `json:"field,omitempty"`
	Details []apiError `json:"details,omitempty"`
}

// apiStatus is statusOf with the statuses only the API answers: a body
// that cannot be read, too large or not JSON, and a method not allowed.
func apiStatus(err error) int {
	switch {
	case errors.Is(err, errBadJSON), errors.Is(err, errJSONType), errors.Is(err, errUnknownField), errors.Is(err, errBodyRequired):
		return http.StatusBadRequest
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errContentType):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed
	case errors.Is(err, errPrecondition):
		return http.StatusPreconditionFailed
	}
	return statusOf(err)
}

// apiFail answers with an error. A server failure is logged and answered
// with the generic message; every not found reads the same, whatever was
// not found and whether it exists out of scope.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, st *state, err error) {
	code := apiStatus(err)
	if code >= 500 {
		s.Log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "status", code, "err", err)
	}
	var e apiError
	switch code {
	case http.StatusInternalServerError:
		e = apiError{Code: httpCodeName(code), Message: st.p.T("error.internal")}
	case http.StatusNotFound:
		e = apiError{Code: jiti.ErrNotFound.Key, Message: st.p.Error(jiti.ErrNotFound)}
	default:
		list := userErrors(err, nil)
		if len(list) == 0 {
			e = apiError{Code: httpCodeName(code), Message: st.p.Error(err)}
			break
		}
		for _, je := range list {
			e.Details = append(e.Details, apiError{Code: je.Key, Message: st.p.Error(je), Field: je.Field})
		}
		e.Code, e.Message, e.Field = e.Details[0].Code, e.Details[0].Message, e.Details[0].Field
		if len(e.Details) == 1 {
			e.Details = nil
		}
	}
	if code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="jiti"`)
	}
	writeJSON(w, code, map[string]apiError{"error": e})
}

// userErrors lists the *jiti.Errors in err: each member of a list, in
// order, or the first in err's chain.
func userErrors(err error, out []*jiti.Error) []*jiti.Error {
	switch v := err.(type) {
	case nil:
		return out
	case *jiti.Error:
		return append(out, v)
	case interface{ Unwrap() []error }:
		for _, m := range v.Unwrap() {
			out = userErrors(m, out)
		}
		return out
	}
	if e := jiti.AsError(err); e != nil {
		return append(out, e)
	}
	return out
}

// httpCodeName names a status for an error's code: "unauthorized".
func httpCodeName(code int) string {
	return strings.ReplaceAll(strings.ToLower(http.StatusText(code)), " ", "_")
}

// writeJSON answers with v as JSON, encoded before the status is sent, so a
// value that cannot be encoded is a clean failure and not half a body.
func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal_server_error","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}

// writeTagged answers with v as JSON and its ETag: a digest of the very
// body, so any change of the record (a status, an approver, a reversal)
// is another tag, and no version column need be kept.
func writeTagged(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err == nil {
		w.Header().Set("ETag", etagOf(b))
	}
	writeJSON(w, code, v)
}

// etagOf is the strong entity tag of a JSON body.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// checkIfMatch refuses an edit whose If-Match names none of the record's
// current tags (412): the client read the record before someone changed
// it, and would act on what it no longer is. No If-Match, or "*", asks
// nothing. Weak tags never match, as RFC 9110 has it for If-Match.
func checkIfMatch(r *http.Request, current any) error {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return nil
	}
	b, err := json.Marshal(current)
	if err != nil {
		return err
	}
	tag := etagOf(b)
	for _, t := range strings.Split(h, ",") {
		if strings.TrimSpace(t) == tag {
			return nil
		}
	}
	return errPrecondition.With(tag).At("If-Match")
}

// decodeJSON reads the request's body into v. Unknown fields are refused;
// errors name the field at fault below prefix ("lines[2]").
func decodeJSON(body io.Reader, v any, prefix string, optional bool) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		if optional {
			return nil
		}
		return errBodyRequired
	}
	if err == nil {
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				return errTooLarge.With(apiMaxBody)
			}
			return errBadJSON.At(prefix)
		}
		return nil
	}
	var (
		mb  *http.MaxBytesError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mb):
		return errTooLarge.With(apiMaxBody)
	case errors.As(err, &typ):
		return errJSONType.With(jsonType(typ.Type)).At(joinField(prefix, typ.Field))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, err := strconv.Unquote(name); err == nil {
			name = n
		}
		return errUnknownField.At(joinField(prefix, name))
	}
	return errBadJSON.At(prefix)
}

func joinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}

// jsonType names the JSON type a Go type is read from.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}

// parseMoney reads an amount of the body: a decimal string of
// MoneyInPattern ("1234.56", "1,234.5"), absent, null or "" for none. A JSON number is refused: money is never a
// float, not even on the wire.
func parseMoney(raw json.RawMessage, field string) (jiti.Amount, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return 0, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, errMoneyString.At(field)
	}
	if !moneyInRe.MatchString(s) {
		// The core's reading names the fault when it finds one ("1.234":
		// too many decimals); what it reads and the API does not ("-1",
		// "1.") is a syntax error.
		if _, err := jiti.ParseAmount(s); err != nil {
			return 0, atField(err, field)
		}
		return 0, jiti.ErrAmountSyntax.With(s).At(field)
	}
	if s == "" {
		return 0, nil
	}
	a, err := jiti.ParseAmount(s)
	if err != nil {
		return 0, atField(err, field)
	}
	return a, nil
}

// atField names field as the input at fault in err.
func atField(err error, field string) error {
	if e := jiti.AsError(err); e != nil {
		return e.At(field)
	}
	return err
}

// joinErrors returns nil, the one error, or the list.
func joinErrors(errs jiti.Errors) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errs
}

// oneOf reads an optional query parameter that must be one of allowed.
func oneOf[T ~string](r *http.Request, name string, allowed []T) (T, error) {
	v := T(r.URL.Query().Get(name))
	if v == "" || slices.Contains(allowed, v) {
		return v, nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return "", errBadValue.With(strings.Join(names, ", ")).At(name)
}

// pathID reads the path value name as an id; anything else is not found.
func pathID(r *http.Request, name, entity string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, jiti.ErrNotFound.With(entity, r.PathValue(name))
	}
	return id, nil
}

// apiCollectiveOf reads the path's {id} as a collective in scope.
func apiCollectiveOf(r *http.Request, st *state) (*jiti.Collective, error) {
	id, err := pathID(r, "id", "collective")
	if err != nil {
		return nil, err
	}
	return st.view.Collective(r.Context(), id)
}

// apiVoucherOf reads the path's {id} as a voucher in scope.
func apiVoucherOf(r *http.Request, st *state) (*ledger.Voucher, error) {
	id, err := pathID(r, "id", "voucher")
	if err != nil {
		return nil, err
	}
	return st.view.Voucher(r.Context(), id)
}

// apiOpenAPI serves the API's OpenAPI document.
func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, st *state) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDoc)
	return nil
}

// apiUser is the caller as /me shows it.
type apiUser struct {
	ID          jiti.UserID `json:"id"`
	Name        string      `json:"name"`
	DisplayName string      `json:"display_name"`
	Role        jiti.Role   `json:"role"`
	Scope       struct {
		Everything  bool    `json:"everything"`
		Region      string  `json:"region,omitempty"`
		Collectives []int64 `json:"collectives"`
	} `json:"scope"`
	Can struct {
		KeepBooks bool `json:"keep_books"`
		Approve   bool `json:"approve"`
		Audit     bool `json:"audit"`
	} `json:"can"`
	Home string `json:"home,omitempty"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, st *state) error {
	u := st.view.User()
	out := apiUser{ID: u.ID, Name: u.Name, DisplayName: u.DisplayName, Role: u.Role}
	out.Scope.Everything, out.Scope.Region = st.view.Everything(), u.ScopeRegion
	out.Scope.Collectives = append([]int64{}, u.ScopeCollectives...)
	out.Can.KeepBooks, out.Can.Approve, out.Can.Audit = st.view.Can(store.PermKeepBooks), st.view.Can(store.PermApprove), st.view.CanAudit()
	home, err := st.view.Home(r.Context())
	if err != nil {
		return err
	}
	out.Home = home
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCollectives(w http.ResponseWriter, r *http.Request, st *state) error {
	region := r.URL.Query().Get("region")
	if region != "" && jiti.RegionLevelOf(region) == 0 {
		return jiti.ErrRegionCode.With(region).At("region")
	}
	cs, err := st.view.Collectives(r.Context(), region)
	if err != nil {
		return err
	}
	list, total, err := paginate(r, nonNil(cs))
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collectives": list.items})
	return nil
}

func (s *Server) apiCollective(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// apiAccount is an account of the chart with its level.
type apiAccount struct {
	ledger.Account
	Level int `json:"level"`
}

func (s *Server) apiAccounts(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	as, err := st.view.Accounts(r.Context(), c.ID)
	if err != nil {
		return err
	}
	out := make([]apiAccount, len(as))
	for i, a := range as {
		out[i] = apiAccount{Account: a, Level: a.Level()}
	}
	list, total, err := paginate(r, out)
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "accounts": list.items})
	return nil
}

// apiVoucherBase is what a voucher and a voucher of a list both show.
type apiVoucherBase struct {
	ID           int64              `json:"id"`
	CollectiveID int64              `json:"collective_id"`
	Period       jiti.Period        `json:"period"`
	Date         jiti.Date          `json:"date"`
	Number       int                `json:"number,omitempty"`
	Status       ledger.Status      `json:"status"`
	Kind         ledger.VoucherKind `json:"kind"`
	Attachments  int                `json:"attachments"`
	Note         string             `json:"note,omitempty"`
	ReversesID   int64              `json:"reverses_id,omitempty"`
	ReversedByID int64              `json:"reversed_by_id,omitempty"`
	MakerID      jiti.UserID        `json:"maker_id"`
	ApproverID   jiti.UserID        `json:"approver_id,omitempty"`
	PosterID     jiti.UserID        `json:"poster_id,omitempty"`
	CreatedAt    time.Time          `json:"created_at"`
	ApprovedAt   time.Time          `json:"approved_at,omitzero"`
	PostedAt     time.Time          `json:"posted_at,omitzero"`
}

func newAPIVoucherBase(v *ledger.Voucher) apiVoucherBase {
	return apiVoucherBase{ID: v.ID, CollectiveID: v.CollectiveID, Period: v.Period, Date: v.Date, Number: v.Number,
		Status: v.Status, Kind: v.Kind, Attachments: v.Attachments, Note: v.Note, ReversesID: v.ReversesID,
		ReversedByID: v.ReversedByID, MakerID: v.MakerID, ApproverID: v.ApproverID, PosterID: v.PosterID,
		CreatedAt: v.CreatedAt, ApprovedAt: v.ApprovedAt, PostedAt: v.PostedAt}
}

// apiVoucherHead is a voucher of a list: its first summary and its sum,
// and for a possible duplicate the voucher it repeats.
type apiVoucherHead struct {
	apiVoucherBase
	Summary string          `json:"summary"`
	Amount  report.Money    `json:"amount"`
	Repeats *apiVoucherLink `json:"possible_duplicate_of,omitempty"`
}

// apiVoucherLink names another voucher: its id, and its month and number
// once posted.
type apiVoucherLink struct {
	ID     int64       `json:"id"`
	Period jiti.Period `json:"period"`
	Number int         `json:"number,omitempty"`
}

// apiVoucher is a voucher with its lines and totals.
type apiVoucher struct {
	apiVoucherBase
	Debit  report.Money `json:"debit"`
	Credit report.Money `json:"credit"`
	Lines  []apiLine    `json:"lines"`
}

type apiLine struct {
	No           int          `json:"no"`
	Summary      string       `json:"summary"`
	Account      string       `json:"account"`
	Debit        report.Money `json:"debit"`
	Credit       report.Money `json:"credit"`
	Counterparty string       `json:"counterparty,omitempty"`
	Household    string       `json:"household,omitempty"`
	Project      string       `json:"project,omitempty"`
	Asset        string       `json:"asset,omitempty"`
	Contract     string       `json:"contract,omitempty"`
}

func newAPIVoucher(v *ledger.Voucher) apiVoucher {
	out := apiVoucher{apiVoucherBase: newAPIVoucherBase(v), Lines: make([]apiLine, len(v.Lines))}
	d, c := v.Totals()
	out.Debit, out.Credit = report.Money(d), report.Money(c)
	for i, l := range v.Lines {
		out.Lines[i] = apiLine{No: l.No, Summary: l.Summary, Account: l.Account, Debit: report.Money(l.Debit),
			Credit: report.Money(l.Credit), Counterparty: l.Counterparty, Household: l.Household, Project: l.Project,
			Asset: l.Asset, Contract: l.Contract}
	}
	return out
}

var apiVoucherStatuses = []ledger.Status{ledger.Draft, ledger.Approved, ledger.Posted}

// voucherFilterOf reads the list's filter; every bad parameter is named.
func voucherFilterOf(r *http.Request, cid int64) (store.VoucherFilter, error) {
	q := r.URL.Query()
	f := store.VoucherFilter{CollectiveID: cid, Account: strings.TrimSpace(q.Get("account")), Text: strings.TrimSpace(q.Get("q")),
		Limit: apiDefaultLimit}
	var errs jiti.Errors
	for _, p := range []struct {
		name string
		out  *jiti.Period
	}{{"from", &f.From}, {"to", &f.To}} {
		if s := q.Get(p.name); s != "" {
			m, err := apiPeriod(s, p.name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			*p.out = m
		}
	}
	var err error
	if f.Status, err = oneOf(r, "status", apiVoucherStatuses); err != nil {
		errs = append(errs, err)
	}
	pg, err := pageOf(r)
	if err != nil {
		for _, e := range userErrors(err, nil) {
			errs = append(errs, e)
		}
	}
	f.Limit, f.Offset = pg.limit, pg.offset
	return f, joinErrors(errs)
}

func (s *Server) apiVouchers(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	f, err := voucherFilterOf(r, c.ID)
	if err != nil {
		return err
	}
	hs, total, err := st.view.VoucherHeads(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]apiVoucherHead, len(hs))
	for i, h := range hs {
		out[i] = apiVoucherHead{apiVoucherBase: newAPIVoucherBase(h.Voucher), Summary: h.Summary, Amount: report.Money(h.Amount)}
		if r := h.Repeats; r.ID != 0 {
			out[i].Repeats = &apiVoucherLink{ID: r.ID, Period: r.Period, Number: r.Number}
		}
	}
	writeList(w, r, apiPage{f.Limit, f.Offset}, total, map[string]any{"vouchers": out})
	return nil
}

func (s *Server) apiVoucher(w http.ResponseWriter, r *http.Request, st *state) error {
	v, err := apiVoucherOf(r, st)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, newAPIVoucher(v))
	return nil
}

// voucherIn is a voucher as a client sends it. Lines are read one by one,
// so that an error names its line.
type voucherIn struct {
	Date        string            `json:"date"`
	Attachments int               `json:"attachments"`
	Note        string            `json:"note"`
	Lines       []json.RawMessage `json:"lines"`
}

type lineIn struct {
	Summary      string          `json:"summary"`
	Account      string          `json:"account"`
	Debit        json.RawMessage `json:"debit"`
	Credit       json.RawMessage `json:"credit"`
	Counterparty string          `json:"counterparty"`
	Household    string          `json:"household"`
	Project      string          `json:"project"`
	Asset        string          `json:"asset"`
	Contract     string          `json:"contract"`
}

// voucher reads the voucher of collective cid from what the client sent:
// the date, and each line with its amounts. What the books say of it is the
// store's to check.
func (in *voucherIn) voucher(cid int64) (*ledger.Voucher, error) {
	v := &ledger.Voucher{CollectiveID: cid, Attachments: in.Attachments, Note: in.Note}
	var errs jiti.Errors
	if in.Date != "" {
		d, err := apiDate(in.Date, "date")
		if err != nil {
			errs = append(errs, err)
		}
		v.Date = d
	}
	for i, raw := range in.Lines {
		at := fmt.Sprintf("lines[%d]", i+1)
		var l lineIn
		if err := decodeJSON(bytes.NewReader(raw), &l, at, false); err != nil {
			errs = append(errs, err)
			continue
		}
		line := ledger.Line{Summary: l.Summary, Account: l.Account, Counterparty: l.Counterparty, Household: l.Household,
			Project: l.Project, Asset: l.Asset, Contract: l.Contract}
		var err error
		if line.Debit, err = parseMoney(l.Debit, at+".debit"); err != nil {
			errs = append(errs, err)
		}
		if line.Credit, err = parseMoney(l.Credit, at+".credit"); err != nil {
			errs = append(errs, err)
		}
		v.Lines = append(v.Lines, line)
	}
	return v, joinErrors(errs)
}

func (s *Server) apiCreateVoucher(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	var in voucherIn
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	v, err := in.voucher(c.ID)
	if err != nil {
		return err
	}
	made, err := s.DB.CreateVoucher(r.Context(), st.view.User().ID, v)
	if err != nil {
		return err
	}
	return s.apiVoucherCreated(w, r, st, made.ID)
}

// apiVoucherCreated answers 201 with a new voucher, as GET reads it.
func (s *Server) apiVoucherCreated(w http.ResponseWriter, r *http.Request, st *state, id int64) error {
	v, err := st.view.Voucher(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("%s/vouchers/%d", apiPrefix, v.ID))
	writeTagged(w, http.StatusCreated, newAPIVoucher(v))
	return nil
}

// apiVoucherAct runs an act on the path's voucher, in scope, and answers
// with the voucher as it is after.
func (s *Server) apiVoucherAct(w http.ResponseWriter, r *http.Request, st *state,
	act func(by jiti.UserID, id int64) error) error {
	v, err := apiVoucherOf(r, st)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, newAPIVoucher(v)); err != nil {
		return err
	}
	if err := act(st.view.User().ID, v.ID); err != nil {
		return err
	}
	if v, err = st.view.Voucher(r.Context(), v.ID); err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, newAPIVoucher(v))
	return nil
}

func (s *Server) apiApprove(w http.ResponseWriter, r *http.Request, st *state) error {
	return s.apiVoucherAct(w, r, st, func(by jiti.UserID, id int64) error {
		return s.DB.ApproveVoucher(r.Context(), by, id)
	})
}

func (s *Server) apiPost(w http.ResponseWriter, r *http.Request, st *state) error {
	return s.apiVoucherAct(w, r, st, func(by jiti.UserID, id int64) error {
		_, err := s.DB.PostVoucher(r.Context(), by, id)
		return err
	})
}

// apiReverse makes the red-ink reversal of a posted voucher, dated as the
// body says or today.
func (s *Server) apiReverse(w http.ResponseWriter, r *http.Request, st *state) error {
	v, err := apiVoucherOf(r, st)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, newAPIVoucher(v)); err != nil {
		return err
	}
	// Absent or null is today; "" is a date that is not one.
	var in struct {
		Date *string `json:"date"`
	}
	if err := decodeJSON(r.Body, &in, "", true); err != nil {
		return err
	}
	date := jiti.DateOf(s.Now())
	if in.Date != nil {
		if date, err = apiDate(*in.Date, "date"); err != nil {
			return err
		}
	}
	rev, err := s.DB.ReverseVoucher(r.Context(), st.view.User().ID, v.ID, date)
	if err != nil {
		return err
	}
	return s.apiVoucherCreated(w, r, st, rev.ID)
}

func (s *Server) apiDeleteVoucher(w http.ResponseWriter, r *http.Request, st *state) error {
	v, err := apiVoucherOf(r, st)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, newAPIVoucher(v)); err != nil {
		return err
	}
	if err := s.DB.DeleteVoucher(r.Context(), st.view.User().ID, v.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiTBRow is a row of the trial balance.
type apiTBRow struct {
	Code          string       `json:"code"`
	Name          string       `json:"name"`
	Level         int          `json:"level"`
	Side          ledger.Side  `json:"side"`
	OpeningDebit  report.Money `json:"opening_debit"`
	OpeningCredit report.Money `json:"opening_credit"`
	Debit         report.Money `json:"debit"`
	Credit        report.Money `json:"credit"`
	ClosingDebit  report.Money `json:"closing_debit"`
	ClosingCredit report.Money `json:"closing_credit"`
	YearDebit     report.Money `json:"year_debit"`
	YearCredit    report.Money `json:"year_credit"`
}

func newAPITBRow(r ledger.TBRow) apiTBRow {
	return apiTBRow{Code: r.Code, Name: r.Name, Level: r.Level, Side: r.Side,
		OpeningDebit: report.Money(r.OpeningDr), OpeningCredit: report.Money(r.OpeningCr),
		Debit: report.Money(r.Debit), Credit: report.Money(r.Credit),
		ClosingDebit: report.Money(r.ClosingDr), ClosingCredit: report.Money(r.ClosingCr),
		YearDebit: report.Money(r.YearDr), YearCredit: report.Money(r.YearCr)}
}

// apiTrialBalance is a collective's trial balance for the months from..to,
// by default the year to date of its latest month with books, as the page.
func (s *Server) apiTrialBalance(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	to, err := s.latestPeriod(r, st, c.ID)
	if err != nil {
		return err
	}
	from := to.YearStart()
	var errs jiti.Errors
	for _, p := range []struct {
		name string
		out  *jiti.Period
	}{{"from", &from}, {"to", &to}} {
		if q := r.URL.Query().Get(p.name); q != "" {
			m, err := apiPeriod(q, p.name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			*p.out = m
		}
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	tb, err := st.view.TrialBalance(r.Context(), c.ID, from, to, false)
	if err != nil {
		return err
	}
	rows := make([]apiTBRow, len(tb.Rows))
	for i, row := range tb.Rows {
		rows[i] = newAPITBRow(row)
	}
	writeJSON(w, http.StatusOK, map[string]any{"collective_id": c.ID, "from": tb.From, "to": tb.To,
		"balanced": tb.Balanced(), "rows": rows, "total": newAPITBRow(tb.Total)})
	return nil
}

// apiStats is a visible region's roll-up of a year, by default its latest
// year with figures. The roll-up marshals its money as strings itself.
func (s *Server) apiStats(w http.ResponseWriter, r *http.Request, st *state) error {
	code := r.PathValue("code")
	if jiti.RegionLevelOf(code) == 0 {
		return jiti.ErrNotFound.With("region", code)
	}
	years, err := st.view.StatYears(r.Context(), code)
	if err != nil {
		return err
	}
	year, err := s.yearOf(r, years)
	if err != nil {
		return err
	}
	ru, err := st.view.Stats(r.Context(), code, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ru)
	return nil
}

// Values of the registers' filters.
var (
	apiAssetStatuses = []register.Status{register.InUse, register.SelfOperated, register.LeasedOut, register.Invested,
		register.Cooperating, register.Idle, register.Disposed}
	apiContractStatuses = []register.ContractStatus{register.ContractDraft, register.InForce, register.Expired, register.Terminated}
	apiResourceUses     = []register.ResourceUse{register.HouseholdContracted, register.CollectiveOperated,
		register.ResourceLeased, register.ResourceIdle}
)

// apiAsset is an asset with its money as strings.
type apiAsset struct {
	register.Asset
	Cost                report.Money `json:"cost"`
	OpeningDepreciation report.Money `json:"opening_depreciation,omitempty"`
}

func (s *Server) apiAssets(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	f := store.AssetFilter{CollectiveID: c.ID}
	var errs jiti.Errors
	if f.Status, err = oneOf(r, "status", apiAssetStatuses); err != nil {
		errs = append(errs, err)
	}
	if f.Category, err = oneOf(r, "category", register.AssetCategories); err != nil {
		errs = append(errs, err)
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	as, err := st.view.Assets(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]apiAsset, len(as))
	for i, a := range as {
		out[i] = apiAsset{Asset: a, Cost: report.Money(a.Cost), OpeningDepreciation: report.Money(a.OpeningDepreciation)}
	}
	list, total, err := paginate(r, out)
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "assets": list.items})
	return nil
}

// apiContract is a contract with its money as strings.
type apiContract struct {
	*register.Contract
	Amount  report.Money `json:"amount"`
	Deposit report.Money `json:"deposit,omitempty"`
}

func (s *Server) apiContracts(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	f := store.ContractFilter{CollectiveID: c.ID}
	var errs jiti.Errors
	if f.Status, err = oneOf(r, "status", apiContractStatuses); err != nil {
		errs = append(errs, err)
	}
	if f.Kind, err = oneOf(r, "kind", register.ContractKinds); err != nil {
		errs = append(errs, err)
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	cs, err := st.view.Contracts(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]apiContract, len(cs))
	for i, k := range cs {
		out[i] = apiContract{Contract: k, Amount: report.Money(k.Amount), Deposit: report.Money(k.Deposit)}
	}
	list, total, err := paginate(r, out)
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "contracts": list.items})
	return nil
}

func (s *Server) apiResources(w http.ResponseWriter, r *http.Request, st *state) error {
	c, err := apiCollectiveOf(r, st)
	if err != nil {
		return err
	}
	f := store.ResourceFilter{CollectiveID: c.ID}
	var errs jiti.Errors
	if f.Kind, err = oneOf(r, "kind", register.LandKinds); err != nil {
		errs = append(errs, err)
	}
	if f.Use, err = oneOf(r, "use", apiResourceUses); err != nil {
		errs = append(errs, err)
	}
	if err := joinErrors(errs); err != nil {
		return err
	}
	rs, err := st.view.Resources(r.Context(), f)
	if err != nil {
		return err
	}
	list, total, err := paginate(r, nonNil(rs))
	if err != nil {
		return err
	}
	writeList(w, r, list.apiPage, total, map[string]any{"collective_id": c.ID, "resources": list.items})
	return nil
}

// apiPage is a window on a list: limit items after offset. Every list of the
// API is read a apiPage at a time the same way: limit (1 to apiMaxLimit,
// apiDefaultLimit by default) and offset, in an order that does not change
// between pages (by code, vouchers by month, number and id); the answer
// carries total, limit and offset, and a Link header to the next and the
// previous apiPage.
type apiPage struct{ limit, offset int }

// pageOf reads the request's limit and offset.
func pageOf(r *http.Request) (apiPage, error) {
	q := r.URL.Query()
	p := apiPage{limit: apiDefaultLimit}
	var errs jiti.Errors
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > apiMaxLimit {
			errs = append(errs, errLimit.With(apiMaxLimit).At("limit"))
		} else {
			p.limit = n
		}
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > apiMaxOffset {
			errs = append(errs, errOffset.With(apiMaxOffset).At("offset"))
		} else {
			p.offset = n
		}
	}
	return p, joinErrors(errs)
}

// apiPageList is a apiPage of a list read whole.
type apiPageList[T any] struct {
	apiPage
	items []T
}

// paginate cuts the request's apiPage from a list read whole (a collective's
// registers and chart are hundreds of rows; vouchers are paged by the
// store), and returns it with the list's length.
func paginate[T any](r *http.Request, all []T) (apiPageList[T], int, error) {
	p, err := pageOf(r)
	if err != nil {
		return apiPageList[T]{}, 0, err
	}
	from := min(p.offset, len(all))
	to := min(from+p.limit, len(all))
	return apiPageList[T]{apiPage: p, items: all[from:to:to]}, len(all), nil
}

// writeList answers 200 with a apiPage of a list: body's fields with total,
// limit and offset, and the Link header to the pages beside it.
func writeList(w http.ResponseWriter, r *http.Request, p apiPage, total int, body map[string]any) {
	body["total"], body["limit"], body["offset"] = total, p.limit, p.offset
	link := func(offset int, rel string) string {
		q := r.URL.Query()
		q.Set("limit", strconv.Itoa(p.limit))
		q.Set("offset", strconv.Itoa(offset))
		return fmt.Sprintf(`<%s?%s>; rel="%s"`, r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if p.offset+p.limit < total {
		links = append(links, link(p.offset+p.limit, "next"))
	}
	if p.offset > 0 {
		links = append(links, link(max(p.offset-p.limit, 0), "prev"))
	}
	links = append(links, link(0, "first"))
	w.Header().Set("Link", strings.Join(links, ", "))
	writeJSON(w, http.StatusOK, body)
}

// nonNil returns an empty list for nil, so JSON has [] and never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// A register's record by itself, with its ETag, and the changes of state
// the API makes: an asset's status, a resource's use. Each change may
// carry the If-Match of the record as read; a stale one is 412.

func newAPIAsset(a *register.Asset) apiAsset {
	return apiAsset{Asset: *a, Cost: report.Money(a.Cost), OpeningDepreciation: report.Money(a.OpeningDepreciation)}
}

func (s *Server) apiAsset(w http.ResponseWriter, r *http.Request, st *state) error {
	id, err := pathID(r, "id", "asset")
	if err != nil {
		return err
	}
	a, err := st.view.FindAsset(r.Context(), id)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, newAPIAsset(a))
	return nil
}

func (s *Server) apiAssetStatus(w http.ResponseWriter, r *http.Request, st *state) error {
	id, err := pathID(r, "id", "asset")
	if err != nil {
		return err
	}
	a, err := st.view.FindAsset(r.Context(), id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, newAPIAsset(a)); err != nil {
		return err
	}
	var in struct {
		Status string `json:"status"`
		Date   string `json:"date"`
		Note   string `json:"note"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	// Disposed is not a status to move to: a disposal posts its voucher.
	moves := slices.DeleteFunc(slices.Clone(apiAssetStatuses), func(st register.Status) bool { return st == register.Disposed })
	to, err := oneOfValue("status", register.Status(in.Status), moves)
	if err != nil {
		return err
	}
	on, err := apiDate(in.Date, "date")
	if err != nil {
		return err
	}
	if err := s.DB.ChangeAssetStatus(r.Context(), st.view.User().ID, a.ID, to, on, in.Note); err != nil {
		return err
	}
	if a, err = st.view.FindAsset(r.Context(), id); err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, newAPIAsset(a))
	return nil
}

func (s *Server) apiResource(w http.ResponseWriter, r *http.Request, st *state) error {
	id, err := pathID(r, "id", "resource")
	if err != nil {
		return err
	}
	res, err := st.view.FindResource(r.Context(), id)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, res)
	return nil
}

func (s *Server) apiResourceUse(w http.ResponseWriter, r *http.Request, st *state) error {
	id, err := pathID(r, "id", "resource")
	if err != nil {
		return err
	}
	res, err := st.view.FindResource(r.Context(), id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, res); err != nil {
		return err
	}
	var in struct {
		Use  string `json:"use"`
		Date string `json:"date"`
	}
	if err := decodeJSON(r.Body, &in, "", false); err != nil {
		return err
	}
	use, err := oneOfValue("use", register.ResourceUse(in.Use), apiResourceUses)
	if err != nil {
		return err
	}
	on, err := apiDate(in.Date, "date")
	if err != nil {
		return err
	}
	if err := s.DB.ChangeResourceUse(r.Context(), st.view.User().ID, res.ID, use, on); err != nil {
		return err
	}
	if res, err = st.view.FindResource(r.Context(), id); err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, res)
	return nil
}

func (s *Server) apiContract(w http.ResponseWriter, r *http.Request, st *state) error {
	id, err := pathID(r, "id", "contract")
	if err != nil {
		return err
	}
	k, err := st.view.FindContract(r.Context(), id)
	if err != nil {
		return err
	}
	writeTagged(w, http.StatusOK, apiContract{Contract: k, Amount: report.Money(k.Amount), Deposit: report.Money(k.Deposit)})
	return nil
}

// oneOfValue checks a required value of a body against its allowed values.
func oneOfValue[T ~string](field string, v T, allowed []T) (T, error) {
	if slices.Contains(allowed, v) {
		return v, nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	if v == "" {
		return "", jiti.ErrRequired.At(field)
	}
	return "", errBadValue.With(strings.Join(names, ", ")).At(field)
}

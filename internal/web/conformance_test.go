package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
	"example.org/jiti/internal/web"
)

// TestAPI_Conformance generates requests from the OpenAPI document, valid
// and invalid, sends them to the real server and holds each answer against
// the document both ways:
//   - a request the document allows is never refused as malformed (a 400, or
//     a 422 with a code that speaks of the input's form, such as date.syntax);
//   - a request the document forbids is refused with a 4xx, never a 2xx or a
//     5xx;
//   - every answer's status is documented for its operation and its body
//     matches the documented schema; no error message doubles a word.
//
// Values come from a corpus of candidates (each parameter's and field's
// limits and just past them, empty values, wrong JSON types, the schema's
// own examples), each judged valid or not by the document alone: the test
// holds no list of what the server accepts.
func TestAPI_Conformance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addRegisters(t, w)
		addMembers(t, w)
		c := &conformance{t: t, w: w, doc: theOpenAPI(t), caller: w.apiAs(t, "admin"), maker: w.apiAs(t, "kuaiji"),
			counts: map[string]int{}}
		c.run()
		keys := make([]string, 0, len(c.counts))
		for k := range c.counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var sum []string
		for _, k := range keys {
			sum = append(sum, fmt.Sprintf("%s=%d", k, c.counts[k]))
		}
		t.Logf("conformance: %d requests; %s", c.sent, strings.Join(sum, " "))
	})
}

// conformance is one run of generated requests against one server.
type conformance struct {
	t             *testing.T
	w             *world
	doc           *openAPI
	caller, maker *api
	sent          int
	counts        map[string]int // failures by kind
}

// malformedCodes are the error codes that say a request's form is wrong
// (rather than what it asks being refused by the books): a request the
// document allows must never be answered with one of them.
var malformedCodes = []string{"api.bad_json", "api.json_type", "api.unknown_field", "api.body_required",
	"api.unknown_param", "api.empty_param", "api.bad_value", "api.limit", "api.offset", "api.money_string",
	"amount.syntax", "amount.decimals", "amount.overflow", "date.syntax", "period.syntax", "year.syntax",
	"error.too_long", "error.required", "region.code", "bad_request"}

func (c *conformance) fail(kind, format string, args ...any) {
	c.t.Helper()
	c.counts[kind]++
	c.t.Errorf(kind+": "+format, args...)
}

// request is one generated request and what the document says of it.
type request struct {
	method, path string // path below /api/v1, with its query
	body         string
	hasBody      bool
	valid        bool   // the document allows it
	what         string // what was varied, for the failure's message
	caller       *api
}

func (c *conformance) run() {
	ops := c.operations()
	for _, op := range ops {
		for _, rq := range c.requests(op) {
			c.send(rq)
		}
	}
}

// operation is a documented operation with the ids its path takes.
type operation struct {
	method, template, path string
	op                     map[string]any
	caller                 *api
}

// operations lists every documented operation in a stable order, its path
// filled with ids that exist. Acts on a voucher get a voucher each in the
// state the act needs, made fresh per request by pathFor.
func (c *conformance) operations() []operation {
	var out []operation
	paths := c.doc.m["paths"].(map[string]any)
	templates := make([]string, 0, len(paths))
	for p := range paths {
		templates = append(templates, p)
	}
	sort.Strings(templates)
	for _, tpl := range templates {
		item := paths[tpl].(map[string]any)
		for _, m := range []string{"get", "post", "put", "patch", "delete"} {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			out = append(out, operation{method: strings.ToUpper(m), template: tpl, op: op, caller: c.caller})
		}
	}
	return out
}

// pathFor fills an operation's path: the collective A, the region of the
// county, and for a voucher one in the state the act needs.
func (c *conformance) pathFor(op operation) (string, *api) {
	cid := strconv.FormatInt(c.w.f.A.ID, 10)
	path := strings.NewReplacer("{code}", "620422", "{year}", "2025", "{number}", c.w.f.A.Code+"-0001").Replace(op.template)
	for _, reg := range []string{"assets", "resources", "contracts", "members", "decisions"} {
		if strings.HasPrefix(op.template, "/"+reg+"/") {
			// The register's first record of collective A.
			list := c.caller.get("/collectives/"+cid+"/"+reg).want(c.t, http.StatusOK, reg)
			id := int64(list.json[reg].([]any)[0].(map[string]any)["id"].(float64))
			return strings.Replace(path, "{id}", strconv.FormatInt(id, 10), 1), c.maker
		}
	}
	if !strings.HasPrefix(op.template, "/vouchers/") {
		return strings.Replace(path, "{id}", cid, 1), op.caller
	}
	id, caller := c.w.posted["A"].ID, op.caller
	switch {
	case strings.HasSuffix(op.template, "/approve"), op.method == "DELETE":
		id = c.newDraft()
		caller = c.caller
	case strings.HasSuffix(op.template, "/post"):
		id = c.newDraft()
		c.caller.do("POST", fmt.Sprintf("/vouchers/%d/approve", id), "").want(c.t, http.StatusOK, "approve for post")
	case strings.HasSuffix(op.template, "/reverse"):
		id = c.newDraft()
		c.caller.do("POST", fmt.Sprintf("/vouchers/%d/approve", id), "").want(c.t, http.StatusOK, "approve for reverse")
		c.maker.do("POST", fmt.Sprintf("/vouchers/%d/post", id), "").want(c.t, http.StatusOK, "post for reverse")
	}
	return strings.Replace(path, "{id}", strconv.FormatInt(id, 10), 1), caller
}

// newDraft makes a draft of collective A by its accountant.
func (c *conformance) newDraft() int64 {
	ans := c.maker.do("POST", fmt.Sprintf("/collectives/%d/vouchers", c.w.f.A.ID), baseVoucher(2, "1.00")).
		want(c.t, http.StatusCreated, "a draft for the conformance test")
	return int64(ans.json["id"].(float64))
}

// baseVoucher is a balanced voucher body of n lines: n-1 debits of amount
// and the credit of their sum.
func baseVoucher(n int, amount string) string {
	lines := make([]map[string]any, n)
	for i := range n - 1 {
		lines[i] = map[string]any{"summary": "收南什村鱼塘租金", "account": "10201", "debit": amount}
	}
	credit := amount
	if n > 2 {
		credit = fmt.Sprintf("%d.00", n-1) // amount is 1.00 then
	}
	lines[n-1] = map[string]any{"summary": "收南什村鱼塘租金", "account": "50101", "credit": credit}
	b, _ := json.Marshal(map[string]any{"date": "2025-06-10", "attachments": 1, "note": "租金", "lines": lines})
	return string(b)
}

// requests generates an operation's requests: the plain one, each query
// parameter with each candidate value, and each body field with each
// candidate value (and missing, and an unknown field beside it).
func (c *conformance) requests(op operation) []request {
	var out []request
	params, _ := op.op["parameters"].([]any)
	var query []map[string]any
	for _, p := range params {
		p := c.doc.resolve(c.t, p)
		if p["in"] == "query" {
			query = append(query, p)
		}
	}
	rb, _ := op.op["requestBody"].(map[string]any)
	bodyRequired := rb != nil && rb["required"] == true
	base := ""
	switch {
	case op.template == "/collectives/{id}/vouchers" && op.method == "POST":
		base = baseVoucher(2, "1.00")
	case op.template == "/assets/{id}/status":
		base = `{"status": "idle", "date": "2025-06-10", "note": "闲置"}`
	case op.template == "/resources/{id}/use":
		base = `{"use": "idle", "date": "2025-06-10"}`
	case op.template == "/collectives/{id}/members" && op.method == "POST":
		base = memberBody
	case op.template == "/members/{id}/status":
		base = `{"status": "deceased", "date": "2025-06-10", "note": "病故"}`
	case op.template == "/collectives/{id}/decisions" && op.method == "POST":
		base = `{"number": "2025-09", "subject": "村部维修", "kind": "project"}`
	case op.template == "/decisions/{id}/steps":
		base = `{"held_on": "2025-06-10", "content": "村务公开栏"}`
	case op.template == "/collectives/{id}/share-types":
		base = `{"code": "RK", "name": "人口股", "kind": "person", "rule": "per_member:1", "quantified_on": "2025-03-31", "decision": "2020-01"}`
	case op.template == "/collectives/{id}/share-changes" && op.method == "POST":
		base = `{"kind": "gift", "type": "RK", "from": "member:M002", "to": "member:M001", "qty": "0.01", "date": "2025-04-01", "decision": "2020-01"}`
	case op.template == "/collectives/{id}/certificates" && op.method == "POST":
		base = `{"date": "2025-04-10"}`
	case op.template == "/certificates/{number}/reissue":
		base = `{"date": "2025-06-01", "reason": "遗失补办"}`
	case strings.HasSuffix(op.template, "/distributions/{year}/adopt"):
		base = `{"date": "2026-01-15", "decision": "2026-01"}`
	case strings.HasSuffix(op.template, "/distributions/{year}/pay"):
		base = `{"date": "2026-01-18", "account": "10201"}`
	}
	out = append(out, request{method: op.method, path: op.template, body: base, hasBody: base != "",
		valid: !bodyRequired || base != "", what: "as documented"})
	for _, p := range query {
		name := p["name"].(string)
		schema := c.doc.resolve(c.t, p["schema"])
		for _, v := range candidates(c.doc, schema, false) {
			var s string
			switch x := v.(type) {
			case string:
				s = x
			case int:
				s = strconv.Itoa(x)
			case float64:
				s = strconv.FormatFloat(x, 'f', -1, 64)
			default:
				continue
			}
			out = append(out, request{method: op.method, path: op.template + "?" + url.Values{name: {s}}.Encode(),
				valid: c.queryValid(schema, s), what: fmt.Sprintf("%s=%q", name, s)})
		}
		out = append(out, request{method: op.method, path: op.template + "?" + name + "=" + "&" + name + "x=1",
			valid: false, what: "unknown parameter " + name + "x"})
	}
	if rb != nil {
		schema := c.doc.schemaOf(c.t, rb)
		var baseVal map[string]any
		if base != "" {
			json.Unmarshal([]byte(base), &baseVal)
		} else {
			baseVal = map[string]any{}
		}
		out = append(out, c.bodyRequests(op, schema, baseVal)...)
	}
	return out
}

// queryValid says whether the document allows s as a query value of
// schema: read as the schema's type, then checked.
func (c *conformance) queryValid(schema map[string]any, s string) bool {
	var v any = s
	if schema["type"] == "integer" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != s {
			return false
		}
		v = float64(n)
	}
	var errs []string
	c.doc.check(c.t, schema, v, "", &errs)
	return len(errs) == 0
}

// bodyRequests varies each field of a body: every candidate value, the
// field missing, null, and an unknown field. Lines vary in the last line,
// whose summary may be empty (it takes the one above); an amount varies on
// both sides at once, so that the voucher stays balanced.
func (c *conformance) bodyRequests(op operation, schema map[string]any, base map[string]any) []request {
	var out []request
	add := func(what string, body map[string]any) {
		b, _ := json.Marshal(body)
		var v any
		json.Unmarshal(b, &v)
		var errs []string
		c.doc.check(c.t, schema, v, "", &errs)
		out = append(out, request{method: op.method, path: op.template, body: string(b), hasBody: true,
			valid: len(errs) == 0, what: what + " " + strings.Join(errs, "; ")})
	}
	props, _ := schema["properties"].(map[string]any)
	names := sortedKeys(props)
	for _, name := range names {
		fs := c.doc.resolve(c.t, props[name])
		if name == "lines" {
			out = append(out, c.lineRequests(op, schema, base, fs)...)
			continue
		}
		for _, v := range append(candidates(c.doc, fs, true), nil, json.RawMessage(`[]`), json.RawMessage(`{}`)) {
			body := clone(base)
			body[name] = v
			add(fmt.Sprintf("%s=%s", name, jsonText(v)), body)
		}
		body := clone(base)
		delete(body, name)
		add(name+" missing", body)
	}
	body := clone(base)
	body["unknown_field"] = "x"
	add("unknown field", body)
	return out
}

func (c *conformance) lineRequests(op operation, schema, base map[string]any, ls map[string]any) []request {
	var out []request
	add := func(what string, body map[string]any) {
		b, _ := json.Marshal(body)
		var v any
		json.Unmarshal(b, &v)
		var errs []string
		c.doc.check(c.t, schema, v, "", &errs)
		out = append(out, request{method: op.method, path: op.template, body: string(b), hasBody: true,
			valid: len(errs) == 0, what: what + " " + strings.Join(errs, "; ")})
	}
	// The number of lines at its limits and past them.
	for _, n := range []int{1, 2, 999, 1000} {
		if n < 2 {
			body := clone(base)
			var v map[string]any
			json.Unmarshal([]byte(baseVoucher(2, "1.00")), &v)
			body["lines"] = v["lines"].([]any)[:1]
			add("1 line", body)
			continue
		}
		var v map[string]any
		json.Unmarshal([]byte(baseVoucher(n, "1.00")), &v)
		body := clone(base)
		body["lines"] = v["lines"]
		add(fmt.Sprintf("%d lines", n), body)
	}
	item := c.doc.resolve(c.t, ls["items"])
	props, _ := item["properties"].(map[string]any)
	for _, name := range sortedKeys(props) {
		fs := c.doc.resolve(c.t, props[name])
		for _, v := range append(candidates(c.doc, fs, true), nil, json.RawMessage(`[]`), json.RawMessage(`{}`)) {
			body := clone(base)
			lines := cloneLines(body)
			switch name {
			case "debit", "credit":
				// Both sides at once: the first line's debit, the last's credit.
				lines[0]["debit"], lines[len(lines)-1]["credit"] = v, v
			case "account":
				lines[len(lines)-1]["account"] = v
			default:
				lines[len(lines)-1][name] = v
			}
			add(fmt.Sprintf("lines[].%s=%s", name, jsonText(v)), body)
		}
		body := clone(base)
		lines := cloneLines(body)
		delete(lines[len(lines)-1], name)
		add("lines[]."+name+" missing", body)
	}
	body := clone(base)
	lines := cloneLines(body)
	lines[0]["unknown_field"] = "x"
	add("lines[].unknown_field", body)
	return out
}

func cloneLines(body map[string]any) []map[string]any {
	src, _ := body["lines"].([]any)
	lines := make([]map[string]any, len(src))
	out := make([]any, len(src))
	for i, l := range src {
		lines[i] = clone(l.(map[string]any))
		out[i] = lines[i]
	}
	body["lines"] = out
	return lines
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 40 {
		return fmt.Sprintf("%s…(%d bytes)", b[:20], len(b))
	}
	return string(b)
}

// candidates are the values tried for a parameter or field of schema: its
// examples, enum and default, its limits and just past them, and a corpus
// of near misses of the formats the document uses (dates, months, money,
// region codes). In a body (json) also values of every other JSON type.
func candidates(doc *openAPI, schema map[string]any, inJSON bool) []any {
	var out []any
	add := func(vs ...any) { out = append(out, vs...) }
	if ex, ok := schema["examples"].([]any); ok {
		add(ex...)
	}
	if en, ok := schema["enum"].([]any); ok {
		add(en...)
		add("nope")
	}
	if d, ok := schema["default"]; ok {
		add(d)
	}
	types := schemaTypes(schema)
	switch {
	case slices.Contains(types, "integer"):
		add(0, 1, -1, 1.5, 1e12)
		for _, k := range []string{"minimum", "maximum"} {
			if n, ok := schema[k].(float64); ok {
				add(n, n-1, n+1)
			}
		}
		if !inJSON {
			add("abc", "", " 1", "1x")
		}
	case slices.Contains(types, "string"):
		add("", " ", "x", "0",
			// dates and months at their limits and just past
			"2025-01-01", "2025-12-31", "2025-02-28", "2025-02-29", "2024-02-29", "2025-04-31", "2025-00-10",
			"2025-13-01", "2025-06-00", "2025-06-32", "2025-6-10", "2025/06/10", "20250610", "1899-12-31",
			"1900-01-01", "2025-01", "2025-12", "2025-00", "2025-13", "2025-1", "2025/06", "202506", "1899-12",
			"1900-01", "9999-12", "10000-01", "2025年6月",
			// money
			"1", "1.00", "0.01", "1,000.50", "1.", ".5", "1.234", "1.230", "-1.00", "+1.00", "1e3", "01.00",
			"99999999999999.99", "100000000000000.00", "999999999999999.99", "1,0000.00",
			// region codes
			"62", "6204", "620422", "620422101", "620422101201", "62042", "6204221012011", "abc")
		for _, k := range []string{"minLength", "maxLength"} {
			if n, ok := schema[k].(float64); ok {
				add(strings.Repeat("字", int(n)), strings.Repeat("字", int(n)+1))
				if n > 0 {
					add(strings.Repeat("字", int(n)-1))
				}
			}
		}
		add(strings.Repeat("x", 1000), strings.Repeat("x", 1001))
	}
	if inJSON {
		add(true, json.RawMessage(`1`), json.RawMessage(`"s"`))
	}
	return dedupe(out)
}

func dedupe(vs []any) []any {
	seen := map[string]bool{}
	var out []any
	for _, v := range vs {
		k := jsonText(v) + fmt.Sprintf("%T", v)
		if b, err := json.Marshal(v); err == nil {
			k = string(b)
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

func schemaTypes(schema map[string]any) []string {
	switch ty := schema["type"].(type) {
	case string:
		return []string{ty}
	case []any:
		var out []string
		for _, x := range ty {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

// send sends a request and judges its answer.
func (c *conformance) send(rq request) {
	c.t.Helper()
	op := operation{method: rq.method, template: strings.SplitN(rq.path, "?", 2)[0], caller: c.caller}
	path, caller := c.pathFor(op)
	if _, q, ok := strings.Cut(rq.path, "?"); ok {
		path += "?" + q
	}
	if rq.method == "POST" && (strings.HasSuffix(op.template, "/vouchers") || strings.HasSuffix(op.template, "/decisions")) {
		caller = c.maker
	}
	var body io.Reader
	if rq.hasBody {
		body = strings.NewReader(rq.body)
	}
	req, err := http.NewRequest(rq.method, c.w.srv.URL+"/api/v1"+path, body)
	must(c.t, err)
	if rq.hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+caller.token)
	req.Header.Set("Accept-Language", "en")
	resp, err := caller.client.Do(req)
	must(c.t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	must(c.t, err)
	c.sent++
	key := rq.method + " " + op.template + " " + rq.what
	var ans any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &ans); err != nil {
			c.fail("not_json", "%s: %d %s", key, resp.StatusCode, b)
			return
		}
	}
	code := resp.StatusCode
	errCode, msg := "", ""
	if m, ok := ans.(map[string]any); ok {
		if e, ok := m["error"].(map[string]any); ok {
			errCode, _ = e["code"].(string)
			msg, _ = e["message"].(string)
		}
	}
	switch {
	case code >= 500:
		c.fail("server_error", "%s: %d %s", key, code, b)
	case rq.valid && (code == http.StatusBadRequest || code == http.StatusUnprocessableEntity && slices.Contains(malformedCodes, errCode)):
		c.fail("valid_refused", "%s: %d %s", key, code, b)
	case !rq.valid && code < 400:
		c.fail("invalid_accepted", "%s: %d %.200s", key, code, b)
	}
	if w := doubledWord(msg); w != "" {
		c.fail("doubled_word", "%s: %q doubles %q", key, msg, w)
	}
	c.checkResponse(key, rq.method, op.template, code, resp.Header, ans)
}

// checkResponse holds an answer against the document: its status
// documented, its body of the documented schema.
func (c *conformance) checkResponse(key, method, template string, code int, h http.Header, ans any) {
	op := c.doc.get("paths", template, strings.ToLower(method))
	responses := op["responses"].(map[string]any)
	resp, ok := responses[strconv.Itoa(code)]
	if !ok && code >= 400 {
		resp, ok = responses["default"]
	}
	if !ok {
		c.fail("status_undocumented", "%s: status %d", key, code)
		return
	}
	if hs, ok := c.doc.resolve(c.t, resp)["headers"].(map[string]any); ok {
		for name := range hs {
			if h.Get(name) == "" {
				c.fail("header", "%s: %d without the documented header %s", key, code, name)
			}
		}
	}
	schema := c.doc.schemaOf(c.t, resp)
	if schema == nil {
		if ans != nil {
			c.fail("schema", "%s: %d has a body, documented without", key, code)
		}
		return
	}
	var errs []string
	c.doc.check(c.t, schema, ans, "", &errs)
	for _, e := range errs {
		c.fail("schema", "%s: %d: %s", key, code, e)
	}
}

// doubledWord returns a word a message repeats back to back ("the the",
// "日期日期" is not looked for: Chinese has no spaces), or "".
func doubledWord(msg string) string {
	words := strings.FieldsFunc(msg, func(r rune) bool { return r == ' ' || r == ':' || r == ',' || r == '：' })
	for i := 1; i < len(words); i++ {
		if strings.IndexFunc(words[i], unicode.IsLetter) >= 0 && strings.EqualFold(words[i], words[i-1]) {
			return words[i]
		}
	}
	return ""
}

// TestAPI_Patterns: the forms the server reads its values in are the
// document's, the one written from the other.
func TestAPI_Patterns(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, c := range []struct {
		name string
		got  any
		want string
	}{
		{"Month", doc.get("components", "schemas", "Month")["pattern"], web.MonthPattern},
		{"Date", doc.get("components", "schemas", "Date")["pattern"], web.DatePattern},
		{"MoneyIn", doc.get("components", "schemas", "MoneyIn")["pattern"], web.MoneyInPattern},
		{"RegionCode", doc.get("components", "parameters", "RegionCode", "schema")["pattern"], web.RegionPattern},
	} {
		if c.got != c.want {
			t.Errorf("%s: the document says %v, the server reads %s", c.name, c.got, c.want)
		}
	}
}

// TestAPI_EmptyValues: an empty value is an error naming its parameter or
// field, never read as absent.
func TestAPI_EmptyValues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.apiAs(t, "kuaiji")
		a := w.f.A.ID
		for _, q := range []string{"to=", "from=", "limit=", "status=", "q="} {
			name, _, _ := strings.Cut(q, "=")
			c.get(fmt.Sprintf("/collectives/%d/vouchers?%s", a, q)).wantError(t, http.StatusUnprocessableEntity, "api.empty_param", name, q)
		}
		c.get(fmt.Sprintf("/collectives/%d/trial-balance?from=2025-01&to=", a)).wantError(t, http.StatusUnprocessableEntity, "api.empty_param", "to", "trial balance to=")
		path := fmt.Sprintf("/vouchers/%d/reverse", w.posted["A"].ID)
		c.do("POST", path, `{"date": ""}`).wantError(t, http.StatusUnprocessableEntity, "date.syntax", "date", `reverse "date": ""`)
		c.do("POST", path, `{"date": "2025/06/30"}`).wantError(t, http.StatusUnprocessableEntity, "date.syntax", "date", "reverse 2025/06/30")
		c.do("POST", path, `{"date": 20250630}`).wantError(t, http.StatusBadRequest, "api.json_type", "date", "reverse with a number")
		c.get(fmt.Sprintf("/collectives/%d/vouchers?from=2025-13", a)).wantError(t, http.StatusUnprocessableEntity, "period.syntax", "from", "month 13")
	})
}

// TestAPI_DateWindow: a voucher is dated no later than the end of next
// year; a draft far ahead does not move the trial balance's default range,
// which follows the posted books.
func TestAPI_DateWindow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db) // today is 2026-01-20
		c := w.apiAs(t, "kuaiji")
		a := w.f.A.ID
		body := func(date string) string {
			return strings.Replace(baseVoucher(2, "1.00"), `"date":"2025-06-10"`, `"date":"`+date+`"`, 1)
		}
		path := fmt.Sprintf("/collectives/%d/vouchers", a)
		c.do("POST", path, body("2028-01-01")).wantError(t, http.StatusUnprocessableEntity, "voucher.date_too_late", "date", "a year too far")
		c.do("POST", path, body("9999-12-31")).wantError(t, http.StatusUnprocessableEntity, "voucher.date_too_late", "date", "year 9999")
		c.do("POST", path, body("2027-12-31")).want(t, http.StatusCreated, "the end of next year")
		tb := c.get(fmt.Sprintf("/collectives/%d/trial-balance", a)).want(t, http.StatusOK, "default trial balance")
		if tb.json["from"] != "2025-01" || tb.json["to"] != "2025-03" {
			t.Errorf("default trial balance %v..%v, want 2025-01..2025-03, the posted books", tb.json["from"], tb.json["to"])
		}
		rev := fmt.Sprintf("/vouchers/%d/reverse", w.posted["A"].ID)
		c.do("POST", rev, `{"date": "2030-01-01"}`).wantError(t, http.StatusUnprocessableEntity, "voucher.date_too_late", "date", "reversal too far")
	})
}

// TestAPI_Pages: every list reads a page at a time the same way; walking
// the pages by their Link headers, one item a page, gives the whole list
// in its order, each item once, and total says how many.
func TestAPI_Pages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addRegisters(t, w)
		c := w.apiAs(t, "admin")
		a := w.f.A.ID
		for _, l := range []struct{ path, key string }{
			{"/collectives", "collectives"},
			{fmt.Sprintf("/collectives/%d/accounts", a), "accounts"},
			{fmt.Sprintf("/collectives/%d/vouchers", a), "vouchers"},
			{fmt.Sprintf("/collectives/%d/assets", a), "assets"},
			{fmt.Sprintf("/collectives/%d/contracts", a), "contracts"},
			{fmt.Sprintf("/collectives/%d/resources", a), "resources"},
		} {
			whole := c.get(l.path+"?limit=500").want(t, http.StatusOK, l.path)
			all := whole.json[l.key].([]any)
			if whole.json["total"] != float64(len(all)) || len(all) == 0 {
				t.Errorf("%s: total %v, %d items", l.path, whole.json["total"], len(all))
				continue
			}
			var walked []any
			next := l.path + "?limit=1"
			for range len(all) + 1 {
				ans := c.get(next).want(t, http.StatusOK, next)
				walked = append(walked, ans.json[l.key].([]any)...)
				if ans.json["total"] != float64(len(all)) || ans.json["limit"] != 1.0 {
					t.Errorf("%s: total %v limit %v", next, ans.json["total"], ans.json["limit"])
				}
				m := regexp.MustCompile(`<([^>]*)>; rel="next"`).FindStringSubmatch(ans.header.Get("Link"))
				if m == nil {
					break
				}
				next = strings.TrimPrefix(m[1], "/api/v1")
			}
			a, b := jsonOf(all), jsonOf(walked)
			if a != b {
				t.Errorf("%s: the pages walked are not the list:\n%s\n%s", l.path, b, a)
			}
			last := c.get(fmt.Sprintf("%s?limit=1&offset=%d", l.path, len(all)-1))
			if strings.Contains(last.header.Get("Link"), `rel="next"`) || (len(all) > 1) != strings.Contains(last.header.Get("Link"), `rel="prev"`) {
				t.Errorf("%s: the last page's Link %q", l.path, last.header.Get("Link"))
			}
		}
	})
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

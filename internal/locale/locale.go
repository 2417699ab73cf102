// Package locale speaks to jiti's users in their language: Chinese (zh-CN)
// first, English second. It holds the message catalogs, renders a
// *jiti.Error with the label of the field at fault, and formats money (元,
// 万元 and the Chinese capitals of vouchers and receipts), dates and
// display widths for terminals.
//
// The catalogs are flat JSON objects, key → message, embedded in the binary.
// Messages are fmt formats whose verbs all carry explicit argument indexes
// (%[1]v), so a translation may put the arguments in any order. The domain
// never imports this package: it names its messages by key (jiti.Error.Key),
// and the web and the command line translate them here.
package locale

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"example.org/jiti"
)

// Lang is a language jiti speaks, as a BCP 47 tag.
type Lang string

// The languages of the catalogs. ZH is the default: the users are Chinese
// officials and accountants.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Langs lists the supported languages, the default first.
var Langs = []Lang{ZH, EN}

//go:embed catalogs/*.json
var catalogFS embed.FS

// catalogs is loaded once at start-up. The files are part of the binary, so
// a malformed one is a build defect: the tests load them too, and a panic
// here cannot reach a user.
var catalogs = loadCatalogs()

func loadCatalogs() map[Lang]map[string]string {
	out := make(map[Lang]map[string]string, len(Langs))
	for _, l := range Langs {
		b, err := catalogFS.ReadFile("catalogs/" + string(l) + ".json")
		if err != nil {
			panic("locale: " + err.Error())
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("locale: catalogs/" + string(l) + ".json: " + err.Error())
		}
		out[l] = m
	}
	return out
}

// ParseLang returns the supported language that s asks for, or ZH. s may be
// a tag ("zh", "zh-CN", "zh_CN", "en", "en-US") or an Accept-Language
// header ("en-US,en;q=0.9,zh;q=0.8"): the supported language of highest
// quality wins, the first listed among equals. Any Chinese tag (zh-TW,
// zh-Hant) gets the simplified catalog, which such a reader still reads
// more easily than the English one.
func ParseLang(s string) Lang {
	best, bestQ := ZH, 0.0
	for _, part := range strings.Split(s, ",") {
		tag, params, _ := strings.Cut(part, ";")
		l, ok := matchLang(tag)
		if !ok {
			continue
		}
		q := quality(params)
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

func matchLang(tag string) (Lang, bool) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	switch primary {
	case "zh":
		return ZH, true
	case "en":
		return EN, true
	}
	return "", false
}

// quality reads the q parameter of an Accept-Language entry: 1 when absent,
// 0 (not acceptable) when malformed.
func quality(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.TrimSpace(k) != "q" {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}

// Printer renders messages, errors and numbers in one language. It is
// immutable, so one Printer may serve any number of goroutines.
type Printer struct {
	lang Lang
	msgs map[string]string
}

// New returns a Printer for l. A language without a catalog gets ZH.
func New(l Lang) *Printer {
	l = ParseLang(string(l))
	return &Printer{lang: l, msgs: catalogs[l]}
}

// Lang returns the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// Has reports whether the catalog has a message for key.
func (p *Printer) Has(key string) bool {
	_, ok := p.msgs[key]
	return ok
}

// T returns the message of key filled with args. A missing key comes back
// as the key itself, so that a test (or a user's report) shows which one is
// missing instead of an empty string.
//
// Amounts, dates and periods among args are formatted for the language
// (grouped yuan, 2025年3月); collective levels and terms (jiti.Term) are
// translated.
func (p *Printer) T(key string, args ...any) string {
	msg, ok := p.msgs[key]
	if !ok {
		return key
	}
	// A message counting things may have a form for one of them, under
	// its key with ".one": "1 error", not "1 errors".
	if len(args) > 0 && isOne(args[0]) {
		if one, ok := p.msgs[key+".one"]; ok {
			msg = one
		}
	}
	if !strings.Contains(msg, "%") {
		// Without verbs fmt would only add "%!(EXTRA …)" for args the
		// message chose not to show.
		return msg
	}
	local := make([]any, len(args), max(len(args), maxArgIndex(msg)))
	for i, a := range args {
		local[i] = p.arg(a)
	}
	// A caller that passes fewer arguments than the message shows (a
	// sentinel returned without With) gets blanks, not "%!v(BADINDEX)".
	for len(local) < cap(local) {
		local = append(local, "")
	}
	return fmt.Sprintf(msg, local...)
}

// isOne reports whether a is the integer 1.
func isOne(a any) bool {
	switch n := a.(type) {
	case int:
		return n == 1
	case int64:
		return n == 1
	}
	return false
}

// maxArgIndex returns the largest explicit argument index in a message.
func maxArgIndex(msg string) int {
	n := 0
	for {
		i := strings.Index(msg, "%[")
		if i < 0 {
			return n
		}
		msg = msg[i+2:]
		j := strings.IndexByte(msg, ']')
		if j < 0 {
			return n
		}
		if k, err := strconv.Atoi(msg[:j]); err == nil && k > n {
			n = k
		}
		msg = msg[j+1:]
	}
}

// arg formats one message argument for the language.
func (p *Printer) arg(a any) any {
	switch v := a.(type) {
	case jiti.Amount:
		return p.Money(v)
	case jiti.Period:
		return p.Period(v)
	case jiti.Date:
		return p.Date(v)
	case jiti.CollectiveLevel:
		if k := "collective.level." + string(v); p.Has(k) {
			return p.T(k)
		}
	case jiti.VoucherRef:
		return p.Voucher(v)
	case jiti.Term:
		if p.Has(string(v)) {
			return p.T(string(v))
		}
		return string(v)
	}
	return a
}

// Voucher names a voucher by its number, "2025年3月 记字第5号" in Chinese and
// "2025-03 no. 5" in English, or a draft's by its id, "草稿#12" and "draft
// #12", without the word 凭证 or voucher: a message says that before it
// ("凭证%[1]v已记账"), and a list's column heads it.
func (p *Printer) Voucher(r jiti.VoucherRef) string {
	if r.Number == 0 {
		return p.T("voucher.ref_draft", r.ID)
	}
	return p.T("voucher.ref_posted", p.Period(r.Period), r.Number)
}

// Period formats an accounting month: "2025年3月" in Chinese, "2025-03" in
// English. A period that names no month is printed as it is held.
func (p *Printer) Period(m jiti.Period) string {
	if p.lang == ZH && m.Valid() {
		return fmt.Sprintf("%d年%d月", m.Year(), int(m.Month()))
	}
	return m.String()
}

// Date formats a civil date: "2025年3月31日" in Chinese, "2025-03-31" in
// English; the zero Date is "".
func (p *Printer) Date(d jiti.Date) string {
	if p.lang == ZH && !d.IsZero() {
		return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
	}
	return d.String()
}

// Label returns the message of key as the label of a field or the head of
// a column or section: in English with a capital, as "amount" (a field's
// name within a sentence) labels a form's field as "Amount".
func (p *Printer) Label(key string, args ...any) string {
	if p.lang == EN {
		return capitalize(p.T(key, args...))
	}
	return p.T(key, args...)
}

// Kind returns the name of an error kind, such as "输入有误".
func (p *Printer) Kind(k jiti.Kind) string { return p.T("kind." + k.String()) }

// Field returns the label of a field path such as "lines[2].debit": "第2行
// 借方" in Chinese, "line 2, debit" in English. A segment "xs[n]" is item n
// of xs, labelled by the key "field.xs.item" or else "field.x" (the
// singular, as "field.line" = "第%[1]d行") when that takes the number; a
// segment without a label is shown as it is, so nothing is lost.
func (p *Printer) Field(path string) string {
	if path == "" {
		return ""
	}
	sep := " "
	if p.lang == EN {
		sep = ", "
	}
	var labels []string
	for _, seg := range strings.Split(path, ".") {
		if seg != "" {
			labels = append(labels, p.segment(seg))
		}
	}
	return strings.Join(labels, sep)
}

func (p *Printer) segment(seg string) string {
	name, rest, indexed := strings.Cut(seg, "[")
	if !indexed {
		return p.label(name)
	}
	idx, after, ok := strings.Cut(rest, "]")
	n, err := strconv.Atoi(idx)
	if !ok || err != nil {
		return seg
	}
	keys := []string{"field.item"}
	if name != "" {
		// "field.household" labels a line's household, so the list of
		// households needs "field.households.item" for its members.
		keys = []string{"field." + name + ".item", "field." + singular(name)}
	}
	for _, k := range keys {
		if k != "field."+name && strings.Contains(p.msgs[k], "%") {
			// A second index ("cells[2][3]") has no label of its own.
			return p.T(k, n) + after
		}
	}
	return p.label(name) + "[" + rest
}

// singular returns the English singular of a list's name: lines → line,
// entries → entry.
func singular(name string) string {
	if s, ok := strings.CutSuffix(name, "ies"); ok {
		return s + "y"
	}
	return strings.TrimSuffix(name, "s")
}

func (p *Printer) label(name string) string {
	if k := "field." + name; p.Has(k) {
		return p.T(k)
	}
	return name
}

// Error returns the message a user should see for err:
//
//   - a *jiti.Error (found anywhere in err's chain) as "<field label>：<message>"
//     in Chinese, "<field label>: <message>" in English, or the bare message
//     when no field is named;
//   - a list (jiti.Errors, errors.Join) as its members' messages, one a line;
//   - any other error as the generic error.internal message. Its own text
//     may hold SQL, paths or addresses, which are for the log, never for
//     the screen: see ErrorDetail.
//
// A nil err gives "".
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	var lines []string
	for _, l := range p.errorLines(err, nil) {
		// Several internal failures, or the same error reached twice, say
		// nothing more by repetition.
		if !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// ErrorDetail returns Error(err) followed by err's own text, for logs and the
// command line's verbose mode, where the operator needs the cause.
func (p *Printer) ErrorDetail(err error) string {
	if err == nil {
		return ""
	}
	msg, raw := p.Error(err), err.Error()
	if strings.Contains(msg, "\n") {
		return msg + "\n(" + raw + ")"
	}
	return msg + " (" + raw + ")"
}

func (p *Printer) errorLines(err error, out []string) []string {
	e, list := userError(err)
	switch {
	case e != nil:
		return append(out, p.message(e))
	case len(list) > 0:
		for _, m := range list {
			if m != nil {
				out = p.errorLines(m, out)
			}
		}
		return out
	}
	return append(out, p.T("error.internal"))
}

// userError finds, in the order errors.As would, the first *jiti.Error or
// list of errors in err's chain. A list is kept whole: errors.As would stop
// at its first member and hide the others (every bad line of a voucher).
func userError(err error) (*jiti.Error, []error) {
	switch v := err.(type) {
	case nil:
		return nil, nil
	case *jiti.Error:
		if v == nil {
			return nil, nil
		}
		return v, nil
	case jiti.Errors:
		return nil, v
	case interface{ Unwrap() []error }:
		return nil, v.Unwrap()
	case interface{ Unwrap() error }:
		return userError(v.Unwrap())
	}
	var e *jiti.Error
	if errors.As(err, &e) && e != nil {
		// An error with its own As method may still lead to one.
		return e, nil
	}
	return nil, nil
}

// message renders one *jiti.Error with its field label. A message that
// begins by naming its field names it once: "金额“1.234”超过两位小数", not
// "金额：金额“1.234”超过两位小数".
func (p *Printer) message(e *jiti.Error) string {
	msg := p.T(e.Key, e.Args...)
	label := p.Field(e.Field)
	switch {
	case (label == "" || namesLabel(msg, label)) && p.lang == EN:
		return capitalize(msg)
	case label == "" || namesLabel(msg, label):
		return msg
	case p.lang == ZH:
		return label + "：" + msg
	}
	return label + ": " + msg
}

// namesLabel reports whether a message begins with its field's label, as
// a word of its own in English.
func namesLabel(msg, label string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(msg), strings.ToLower(label))
	if !ok {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r >= utf8.RuneSelf || !unicode.IsLetter(r) // CJK runs on; an English word ends
}

// capitalize upper-cases the first letter of an English sentence that no
// field label precedes.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

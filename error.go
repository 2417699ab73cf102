package jiti

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what a caller should do about an error. The web maps kinds to
// HTTP status codes and the command line to exit codes, each in one place.
// Append only: the order is part of the API.
type Kind uint8

const (
	Internal    Kind = iota // a bug or an infrastructure failure; details are logged, never shown
	Invalid                 // input or a business rule was violated; show the message
	NotFound                // the thing asked for does not exist (or is out of the user's scope)
	Conflict                // the state forbids it now: duplicate, closed period, posted voucher
	Forbidden               // the user may not do this
	DiskFull                // the database's disk is full: nothing was written; free space and do it again
	Unavailable             // the database is busy with other work (a large import); try again shortly
)

var kindNames = [...]string{"internal", "invalid", "not_found", "conflict", "forbidden", "disk_full", "unavailable"}

// String returns the kind's name, such as "invalid".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is an error a user can act on. Key is a message key of the locale
// catalogs (such as "voucher.unbalanced"), so every error is translated; Field
// names the input at fault in a stable path form ("lines[2].debit", "date"),
// and Args fill the message.
type Error struct {
	Kind  Kind
	Key   string
	Field string
	Args  []any
	Err   error // an optional cause, for logs only
}

// Errorf returns an Error of kind k with message key key and arguments args.
// Package-level sentinels are built with it, and errors.Is matches by key.
func Errorf(k Kind, key string, args ...any) *Error {
	return &Error{Kind: k, Key: key, Args: args}
}

// With returns a copy of e carrying args as its message arguments.
func (e *Error) With(args ...any) *Error {
	c := *e
	c.Args = args
	return &c
}

// At returns a copy of e that names field as the input at fault. A field
// already set is kept as a suffix, so a line's error "debit" becomes
// "lines[2].debit" when the voucher adds the line's position.
func (e *Error) At(field string) *Error {
	c := *e
	switch {
	case c.Field == "":
		c.Field = field
	case strings.HasPrefix(c.Field, "["):
		c.Field = field + c.Field
	default:
		c.Field = field + "." + c.Field
	}
	return &c
}

// Wrap returns a copy of e with cause err, kept for logs.
func (e *Error) Wrap(err error) *Error {
	c := *e
	c.Err = err
	return &c
}

// Error returns an English, untranslated description for logs and tests:
// the field, the key and the arguments.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Key)
	if len(e.Args) > 0 {
		b.WriteString(" ")
		b.WriteString(fmt.Sprint(e.Args...))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same key, so that
// errors.Is(err, ledger.ErrUnbalanced) holds whatever the arguments and field.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Key == e.Key
}

// KindOf returns the kind of err: that of the first *Error in its chain, else
// Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// OneItem takes the item off the fields of the errors of a batch of one
// ("items[1].qty" is "qty"), for a caller that gave the batch one item
// and names its fields itself: a flag, a form field, a JSON member.
func OneItem(err error) error { return MapFields(err, OneItemField) }

// OneItemField is a field of a batch of one without its item:
// "items[1].qty" is "qty", "items[1]" is "".
func OneItemField(field string) string {
	rest, ok := strings.CutPrefix(field, "items[1]")
	switch {
	case !ok:
		return field
	case rest == "" || rest[0] == '[':
		return rest
	case rest[0] == '.':
		return rest[1:]
	}
	return field // items[10]…: another item
}

// MapFields returns err with the field of each of its errors rewritten
// by f; an error that is neither an *Error nor Errors is returned as is.
func MapFields(err error, f func(string) string) error {
	var es Errors
	if errors.As(err, &es) {
		out := make(Errors, len(es))
		for i, one := range es {
			out[i] = MapFields(one, f)
		}
		return out
	}
	if e := AsError(err); e != nil {
		c := *e
		c.Field = f(e.Field)
		return &c
	}
	return err
}

// FieldOf returns the field named by err, or "".
func FieldOf(err error) string {
	if e := AsError(err); e != nil {
		return e.Field
	}
	return ""
}

// Term is a message argument that is itself a catalog key, such as
// "asset.status.idle": the user interface puts the key's text in the
// reader's language in its place, so that a message can name a status or a
// kind ("已经是闲置状态") where the domain holds only its code.
type Term string

// Common errors.
var (
	ErrNotFound  = Errorf(NotFound, "error.not_found")
	ErrForbidden = Errorf(Forbidden, "error.forbidden")
	ErrRequired  = Errorf(Invalid, "error.required")
	ErrDuplicate = Errorf(Conflict, "error.duplicate")
	ErrTooLong   = Errorf(Invalid, "error.too_long")
)

// Errors is a list of errors found together, such as every bad row of an
// imported file. It is itself an error whose kind is that of its first member.
type Errors []error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the members, so errors.Is and errors.As look into them.
func (es Errors) Unwrap() []error { return es }

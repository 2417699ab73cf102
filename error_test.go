package jiti_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"example.org/jiti"
)

func TestErrorAt(t *testing.T) {
	base := jiti.Errorf(jiti.Invalid, "test.key")
	tests := []struct {
		name string
		err  *jiti.Error
		want string
	}{
		{"first field", base.At("debit"), "debit"},
		{"line then voucher", base.At("debit").At("lines[2]"), "lines[2].debit"},
		{"index suffix", base.At("[3]").At("lines"), "lines[3]"},
		{"index then field", base.At("debit").At("[3]").At("lines"), "lines[3].debit"},
		{"three levels", base.At("name").At("households[1]").At("import"), "import.households[1].name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.Field != tt.want {
				t.Errorf("Field = %q, want %q", tt.err.Field, tt.want)
			}
			if got := jiti.FieldOf(tt.err); got != tt.want {
				t.Errorf("FieldOf = %q, want %q", got, tt.want)
			}
		})
	}
	if base.Field != "" {
		t.Errorf("At changed the sentinel: Field = %q", base.Field)
	}
	w := base.With(1, 2)
	if len(base.Args) != 0 || len(w.Args) != 2 {
		t.Errorf("With changed the sentinel or lost its args: %v, %v", base.Args, w.Args)
	}
}

func TestErrorIsAndKind(t *testing.T) {
	sentinel := jiti.Errorf(jiti.Conflict, "test.conflict")
	other := jiti.Errorf(jiti.Conflict, "test.other")
	cause := io.ErrUnexpectedEOF
	derived := sentinel.With("x", 3).At("debit").At("lines[2]").Wrap(cause)

	tests := []struct {
		name      string
		err       error
		is        error
		wantIs    bool
		wantKind  jiti.Kind
		wantField string
	}{
		{"same key, other args and field", derived, sentinel, true, jiti.Conflict, "lines[2].debit"},
		{"different key", derived, other, false, jiti.Conflict, "lines[2].debit"},
		{"the cause", derived, cause, true, jiti.Conflict, "lines[2].debit"},
		{"wrapped by fmt", fmt.Errorf("store: %w", derived), sentinel, true, jiti.Conflict, "lines[2].debit"},
		{"wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", jiti.ErrForbidden.At("user"))), jiti.ErrForbidden, true, jiti.Forbidden, "user"},
		{"a plain error", io.EOF, sentinel, false, jiti.Internal, ""},
		{"nil", nil, sentinel, false, jiti.Internal, ""},
		{"in a list", jiti.Errors{jiti.ErrRequired.At("date"), derived}, sentinel, true, jiti.Invalid, "date"},
		{"not in a list", jiti.Errors{jiti.ErrRequired.At("date")}, other, false, jiti.Invalid, "date"},
		{"a list wrapped", fmt.Errorf("x: %w", jiti.Errors{jiti.ErrNotFound, jiti.ErrRequired}), jiti.ErrRequired, true, jiti.NotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.is); got != tt.wantIs {
				t.Errorf("errors.Is = %v, want %v", got, tt.wantIs)
			}
			if got := jiti.KindOf(tt.err); got != tt.wantKind {
				t.Errorf("KindOf = %v, want %v", got, tt.wantKind)
			}
			if got := jiti.FieldOf(tt.err); got != tt.wantField {
				t.Errorf("FieldOf = %q, want %q", got, tt.wantField)
			}
		})
	}
	if jiti.AsError(io.EOF) != nil {
		t.Error("AsError(io.EOF) != nil")
	}
	if !errors.Is(derived, jiti.Errorf(jiti.Internal, "test.conflict")) {
		t.Error("errors.Is must match by key alone, whatever the kind")
	}
}

func TestErrorStrings(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{jiti.Errorf(jiti.Invalid, "k"), "k"},
		{jiti.Errorf(jiti.Invalid, "k").At("f"), "f: k"},
		{jiti.Errorf(jiti.Invalid, "k", 1, 2).At("f"), "f: k 1 2"},
		{jiti.Errorf(jiti.Invalid, "k").Wrap(io.EOF), "k: EOF"},
		{jiti.Errors{jiti.Errorf(jiti.Invalid, "a"), jiti.Errorf(jiti.Invalid, "b").At("x")}, "a; x: b"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	kinds := map[jiti.Kind]string{jiti.Internal: "internal", jiti.Invalid: "invalid", jiti.NotFound: "not_found",
		jiti.Conflict: "conflict", jiti.Forbidden: "forbidden", jiti.DiskFull: "disk_full", jiti.Unavailable: "unavailable", 9: "kind(9)"}
	for k, want := range kinds {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
	// The order of kinds is part of the API.
	if jiti.Internal != 0 || jiti.Invalid != 1 || jiti.NotFound != 2 || jiti.Conflict != 3 || jiti.Forbidden != 4 ||
		jiti.DiskFull != 5 || jiti.Unavailable != 6 {
		t.Error("kinds renumbered")
	}
	if e := jiti.AsError(jiti.Errorf(jiti.Invalid, "k").Wrap(io.EOF)); !errors.Is(e.Unwrap(), io.EOF) {
		t.Error("Unwrap lost the cause")
	}
}

func TestOneItem(t *testing.T) {
	for in, want := range map[string]string{"items[1].qty": "qty", "items[1]": "", "items[1][2].x": "[2].x", "items[10].qty": "items[10].qty", "qty": "qty"} {
		if got := jiti.OneItemField(in); got != want {
			t.Errorf("OneItemField(%q) = %q, want %q", in, got, want)
		}
	}
	err := jiti.OneItem(jiti.Errors{jiti.ErrRequired.At("items[1].date"), jiti.ErrRequired.At("items[1].qty")})
	var es jiti.Errors
	if !errors.As(err, &es) || len(es) != 2 || jiti.FieldOf(es[0]) != "date" || jiti.FieldOf(es[1]) != "qty" {
		t.Fatalf("OneItem = %v", err)
	}
}

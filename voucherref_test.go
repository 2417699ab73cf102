package jiti_test

import (
	"testing"

	"example.org/jiti"
)

func TestVoucherRef(t *testing.T) {
	tests := []struct {
		ref  jiti.VoucherRef
		want string
	}{
		{jiti.VoucherRef{Period: 202503, ID: 12}, "draft 12"},
		{jiti.VoucherRef{Period: 202503, Number: 5, ID: 12}, "2025-03 #5"},
		{jiti.VoucherRef{Period: 202512, Number: 101}, "2025-12 #101"},
	}
	for _, tt := range tests {
		if got := tt.ref.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.ref, got, tt.want)
		}
	}
}

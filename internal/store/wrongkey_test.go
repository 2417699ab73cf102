package store_test

import (
	"errors"
	"testing"

	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestOpen_WrongKey opens a database holding a sealed identity number with
// another key: Open refuses, naming the key as the cause, instead of every
// page listing contracts failing later; the right key, or none, opens it.
func TestOpen_WrongKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		a := addAsset(t, f, asset(f.A.ID, "ZC-001", "2025-02-10", "24000", 120))
		k := contract(f.A.ID, "HT-001", register.Lease, "2025-03-01", "2027-02-28", "90000", register.Yearly, subjectAsset(a.ID))
		k.Party = register.Party{Kind: register.Person, Name: "张三", IDNumber: storetest.IDNumber("62042219800101123")}
		addContract(t, f, k, "2025-03-01")

		other := []byte("another-key-0123456789abcdef!!!!")
		_, err := store.Open(bg, store.DSN(db), store.Options{Key: other})
		if !errors.Is(err, store.ErrWrongKey) {
			t.Fatalf("open with another key: %v, want ErrWrongKey", err)
		}
		for _, key := range [][]byte{storetest.Key, nil} {
			again, err := store.Open(bg, store.DSN(db), store.Options{Key: key})
			if err != nil {
				t.Fatalf("open with key %q: %v", key, err)
			}
			again.Close()
		}
	})
}

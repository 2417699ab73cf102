package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
	"example.org/jiti/internal/web"
)

// TestAPI_Idempotency: a POST sent again with the same Idempotency-Key
// gets the first answer and makes nothing twice, from the database (a
// server started afresh answers the same); the key with another body is
// 422 naming it; keys are each user's own; after 24 hours a key is new.
func TestAPI_Idempotency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		kuaiji, cun, shenhe := w.apiAs(t, "kuaiji"), w.apiAs(t, "cunkuaiji"), w.apiAs(t, "shenhe")
		a := w.f.A.ID
		list := fmt.Sprintf("/collectives/%d/vouchers", a)
		count := func() float64 { return kuaiji.get(list).want(t, http.StatusOK, "list").json["total"].(float64) }
		before := count()
		body := baseVoucher(2, "12.00")

		kuaiji.header.Set("Idempotency-Key", "k-1")
		first := kuaiji.do("POST", list, body).want(t, http.StatusCreated, "first")
		again := kuaiji.do("POST", list, body).want(t, http.StatusCreated, "again")
		if again.raw != first.raw || again.header.Get("Location") != first.header.Get("Location") ||
			again.header.Get("Idempotent-Replayed") != "true" || first.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("the same request again:\n%s %v\n%s %v", first.raw, first.header, again.raw, again.header)
		}
		if n := count(); n != before+1 {
			t.Errorf("%v vouchers after the same request twice, want %v", n, before+1)
		}

		// Kept in the database: another server over it answers the same.
		app, err := web.New(db, nil)
		must(t, err)
		app.Now = db.Now
		other := httptest.NewServer(app.Handler())
		defer other.Close()
		srv := w.srv
		w.srv = other
		if ans := kuaiji.do("POST", list, body).want(t, http.StatusCreated, "another server"); ans.raw != first.raw {
			t.Errorf("another server: %s, want %s", ans.raw, first.raw)
		}
		w.srv = srv

		// The same key, another request.
		ans := kuaiji.do("POST", list, baseVoucher(2, "13.00"))
		ans.wantError(t, http.StatusUnprocessableEntity, "api.idempotency_mismatch", "Idempotency-Key", "another body")
		if _, msg, _ := ans.errorOf(); !strings.Contains(msg, "k-1") {
			t.Errorf("the error does not name the key: %q", msg)
		}
		// Another user's k-1 is another key.
		cun.header.Set("Idempotency-Key", "k-1")
		if ans := cun.do("POST", list, body).want(t, http.StatusCreated, "another user"); ans.json["id"] == first.json["id"] {
			t.Errorf("another user's key replayed the first user's answer")
		}
		// An error is an answer too: the same refusal, nothing done.
		kuaiji.header.Set("Idempotency-Key", "k-2")
		bad := strings.Replace(body, `"12.00"`, `"-1"`, 1)
		e1 := kuaiji.do("POST", list, bad)
		e2 := kuaiji.do("POST", list, bad)
		if e1.code != http.StatusUnprocessableEntity || e2.raw != e1.raw || e2.code != e1.code {
			t.Errorf("a refusal again: %d %s / %d %s", e1.code, e1.raw, e2.code, e2.raw)
		}
		// An act: approving twice with one key is the first approval.
		id := int64(first.json["id"].(float64))
		shenhe.header.Set("Idempotency-Key", "approve-1")
		ok1 := shenhe.do("POST", fmt.Sprintf("/vouchers/%d/approve", id), "").want(t, http.StatusOK, "approve")
		if ok2 := shenhe.do("POST", fmt.Sprintf("/vouchers/%d/approve", id), "").want(t, http.StatusOK, "approve again"); ok2.raw != ok1.raw {
			t.Errorf("approve again: %s", ok2.raw)
		}
		// A bad key.
		kuaiji.header.Set("Idempotency-Key", "with space")
		kuaiji.do("POST", list, body).wantError(t, http.StatusUnprocessableEntity, "api.idempotency_key", "Idempotency-Key", "a key with a space")

		// A day later the key is free again.
		later := db.Now().Add(store.IdempotencyTTL + time.Minute)
		db.Now = func() time.Time { return later }
		kuaiji.header.Set("Idempotency-Key", "k-1")
		if ans := kuaiji.do("POST", list, body).want(t, http.StatusCreated, "a day later"); ans.json["id"] == first.json["id"] ||
			ans.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("a day later the first answer came back: %s", ans.raw)
		}
	})
}

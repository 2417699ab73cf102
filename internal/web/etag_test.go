package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// TestAPI_ETag: a voucher's GET gives an ETag that changes with the
// voucher; an act or a deletion with a stale If-Match is 412 and does
// nothing, with the current tag it is done.
func TestAPI_ETag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		kuaiji, shenhe := w.apiAs(t, "kuaiji"), w.apiAs(t, "shenhe")
		made := kuaiji.do("POST", fmt.Sprintf("/collectives/%d/vouchers", w.f.A.ID), baseVoucher(2, "5.00")).want(t, http.StatusCreated, "create")
		path := fmt.Sprintf("/vouchers/%d", int64(made.json["id"].(float64)))
		read := kuaiji.get(path).want(t, http.StatusOK, "read")
		tag := read.header.Get("ETag")
		if tag == "" || tag != made.header.Get("ETag") {
			t.Fatalf("ETag %q, on creation %q", tag, made.header.Get("ETag"))
		}
		if again := kuaiji.get(path); again.header.Get("ETag") != tag {
			t.Errorf("the same voucher read twice has two tags: %q %q", tag, again.header.Get("ETag"))
		}
		// Someone approves it: the tag the accountant holds is stale.
		shenhe.header.Set("If-Match", tag)
		approved := shenhe.do("POST", path+"/approve", "").want(t, http.StatusOK, "approve with the current tag")
		newTag := approved.header.Get("ETag")
		if newTag == "" || newTag == tag || kuaiji.get(path).header.Get("ETag") != newTag {
			t.Errorf("after approval the tag is %q (was %q)", newTag, tag)
		}
		kuaiji.header.Set("If-Match", tag)
		kuaiji.do("POST", path+"/post", "").wantError(t, http.StatusPreconditionFailed, "api.precondition_failed", "If-Match", "post with a stale tag")
		kuaiji.do("DELETE", path, "").wantError(t, http.StatusPreconditionFailed, "api.precondition_failed", "If-Match", "delete with a stale tag")
		if st := kuaiji.get(path).json["status"]; st != "approved" {
			t.Errorf("a refused act changed the voucher: %v", st)
		}
		kuaiji.header.Set("If-Match", `W/`+newTag)
		kuaiji.do("POST", path+"/post", "").wantError(t, http.StatusPreconditionFailed, "api.precondition_failed", "If-Match", "a weak tag")
		kuaiji.header.Set("If-Match", `"other", `+newTag)
		posted := kuaiji.do("POST", path+"/post", "").want(t, http.StatusOK, "post with the current tag among others")
		kuaiji.header.Set("If-Match", newTag)
		kuaiji.do("POST", path+"/reverse", "").wantError(t, http.StatusPreconditionFailed, "api.precondition_failed", "If-Match", "reverse with a stale tag")
		kuaiji.header.Set("If-Match", posted.header.Get("ETag"))
		kuaiji.do("POST", path+"/reverse", "").want(t, http.StatusCreated, "reverse with the current tag")
	})
}

// TestAPI_RegisterETag: a register's record read by itself has an ETag;
// a change of an asset's status or a resource's use with a stale If-Match
// is 412 and changes nothing.
func TestAPI_RegisterETag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		addRegisters(t, w)
		c, other := w.apiAs(t, "kuaiji"), w.apiAs(t, "admin")
		first := func(reg string) string {
			list := c.get(fmt.Sprintf("/collectives/%d/%s", w.f.A.ID, reg)).want(t, http.StatusOK, reg)
			return fmt.Sprintf("/%s/%d", reg, int64(list.json[reg].([]any)[0].(map[string]any)["id"].(float64)))
		}
		for _, k := range []struct{ reg, act, body, field, want string }{
			{"assets", "/status", `{"status": "idle", "date": "2025-06-10"}`, "status", "idle"},
			{"resources", "/use", `{"use": "idle", "date": "2025-06-10"}`, "use", "idle"},
		} {
			path := first(k.reg)
			read := c.get(path).want(t, http.StatusOK, path)
			tag := read.header.Get("ETag")
			if tag == "" {
				t.Fatalf("%s: no ETag", path)
			}
			// Someone else changes the record first.
			other.header.Set("If-Match", tag)
			changed := other.do("POST", path+k.act, k.body).want(t, http.StatusOK, path+k.act)
			if changed.header.Get("ETag") == tag || changed.json[k.field] != k.want {
				t.Errorf("%s: after the change %s, tag %q (was %q)", path, changed.raw, changed.header.Get("ETag"), tag)
			}
			c.header.Set("If-Match", tag)
			c.do("POST", path+k.act, strings.Replace(k.body, "idle", "leased", 1)).
				wantError(t, http.StatusPreconditionFailed, "api.precondition_failed", "If-Match", path+" with a stale tag")
			c.header.Del("If-Match")
			if now := c.get(path); now.json[k.field] != k.want || now.header.Get("ETag") != changed.header.Get("ETag") {
				t.Errorf("%s: a refused change changed the record: %s", path, now.raw)
			}
		}
		path := first("contracts")
		if tag := c.get(path).want(t, http.StatusOK, path).header.Get("ETag"); tag == "" {
			t.Errorf("%s: no ETag", path)
		}
	})
}

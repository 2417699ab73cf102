package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"example.org/jiti/internal/disclose"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/store"
)

// publicKinds are the public pages a villager opens: a collective's list
// of disclosures, one disclosure, and an asset's card from its QR code.
var publicKinds = []string{"public-list", "public-page", "public-asset"}

// loadPublic measures the public disclosure pages (/p/…) as villagers
// load them, without signing in: clients fetch, in turn, the list of a
// random collective that has published, one of its disclosures and an
// asset's card. The pages to load are read from the database (-db) the
// server runs on, which must be beside it.
func (e *env) loadPublic(o *opts, base string, clients, total int) error {
	db, err := e.open(o)
	if err != nil {
		return err
	}
	cs, err := db.FindCollectives(e.ctx, "")
	if err != nil {
		db.Close()
		return err
	}
	type target struct{ list, page, asset string }
	var targets []target
	for _, c := range cs {
		ds, err := db.PublishedDisclosures(e.ctx, c.Code)
		if err != nil {
			db.Close()
			return err
		}
		if len(ds) == 0 {
			continue
		}
		t := target{list: "/p/" + c.Code, page: "/p/" + c.Code + "/" + strconv.FormatInt(ds[0].ID, 10)}
		if as := assetLinkOf(e, db, c.Code, ds[0].ID); as != "" {
			t.asset = as
		}
		targets = append(targets, t)
	}
	db.Close()
	if len(targets) == 0 {
		return errLoadPages.With("/p/")
	}
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute}
	lt := &loadtest{base: base, transport: tr}
	path := func(k string, r *rand.Rand) string {
		t := targets[r.IntN(len(targets))]
		switch k {
		case "public-list":
			return t.list
		case "public-asset":
			if t.asset != "" {
				return t.asset
			}
		}
		return t.page
	}
	// The weight of each kind: the page and its style sheet.
	c0 := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	weights := map[string]int{}
	for _, k := range publicKinds {
		page, n, err := lt.fetch(e.ctx, c0, path(k, rand.New(rand.NewPCG(1, 2))))
		if err != nil {
			return err
		}
		for _, m := range assetLink.FindAllStringSubmatch(page, -1) {
			_, an, err := lt.fetch(e.ctx, c0, m[1])
			if err != nil {
				return err
			}
			n += an
		}
		weights[k] = n
	}
	e.sayLoadAverage()
	start := time.Now()
	byKind, failed, n := loadPages(e.ctx, lt, clients, total, path)
	elapsed := time.Since(start)
	e.say("cli.load_run", clients, n, fmt.Sprintf("%.1f", elapsed.Seconds()), fmt.Sprintf("%.0f", float64(n)/elapsed.Seconds()))
	e.sayLoadAverage()
	for _, k := range publicKinds {
		d := byKind[k]
		if len(d) == 0 {
			continue
		}
		slices.Sort(d)
		e.say("cli.load_kind", locale.PadRight(k, 14), len(d), ms(quantile(d, 0.5)), ms(quantile(d, 0.95)), ms(quantile(d, 0.99)), ms(d[len(d)-1]), failed[k])
	}
	for _, k := range publicKinds {
		e.say("cli.load_weight", locale.PadRight(k, 14), fmt.Sprintf("%.1f", float64(weights[k])/1024))
	}
	return nil
}

// assetLinkOf is the card of the first asset of a published disclosure,
// or "" when it has none.
func assetLinkOf(e *env, db *store.DB, code string, id int64) string {
	d, err := db.PublishedDisclosure(e.ctx, code, id)
	if err != nil {
		return ""
	}
	s, err := disclose.Parse(d.Content)
	if err != nil || len(s.Assets) == 0 {
		return ""
	}
	return "/p/" + code + "/asset/" + url.PathEscape(s.Assets[0].Code)
}

// loadPages has clients (each with its own connection, no cookies) fetch
// pages of the kinds in turn until total requests are done.
func loadPages(ctx context.Context, lt *loadtest, clients, total int, path func(string, *rand.Rand) string) (map[string][]time.Duration, map[string]int, int) {
	byKind, failed, n := map[string][]time.Duration{}, map[string]int{}, 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range total {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for ci := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: lt.transport, Timeout: 30 * time.Second}
			r := rand.New(rand.NewPCG(uint64(ci), 11))
			for i := range next {
				k := publicKinds[i%len(publicKinds)]
				start := time.Now()
				_, _, err := lt.fetch(ctx, c, path(k, r))
				d := time.Since(start)
				mu.Lock()
				n++
				if err != nil {
					failed[k]++
				} else {
					byKind[k] = append(byKind[k], d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return byKind, failed, n
}

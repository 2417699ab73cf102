package demo

import (
	"context"
	"fmt"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
)

// The demo's shares (股份): in the 2020 reform every village quantified its
// collective operating assets as 人口股, one share to each member active
// at the end of 2020, under static management (生不增、死不减: the
// children born since hold none); one village in three kept a 集体股 of a
// fifth of the whole. Certificates (股权证) went to every household in
// January 2021. In the last year the shares of the members who died pass
// to the heads of their households by inheritance, and a few heads give a
// share to a relative in another household, each on the village's
// decision.

// Dates of the reform's shares.
var (
	quantifiedOn = jiti.Date{Year: 2020, Month: time.December, Day: 31}
	certifiedOn  = jiti.Date{Year: 2021, Month: time.January, Day: 20}
)

// Share types of the demo.
const (
	shareRK = "RK" // 人口股
	shareJT = "JT" // 集体股
)

// shares quantifies village v's shares, issues its certificates, records
// its deaths and exits and moves the shares they and the gifts move.
func (b *builder) shares(ctx context.Context, kj jiti.UserID, cid int64, v *village, p *people, n *govCounts) error {
	rk := register.ShareType{Code: shareRK, Name: "人口股", Kind: register.PersonShare, Management: register.Static, QuantifiedOn: quantifiedOn}
	if err := b.db.CreateShareType(ctx, kj, cid, store.ShareTypeInput{Type: rk, Rule: register.ShareRule{Kind: "per_member", Per: 100},
		Decision: decShares}); err != nil {
		return err
	}
	if rng := newRand(b.opts.Seed, "collective-shares", v.Region.Code); rng.IntN(3) == 0 {
		held := 0
		for i := range p.Members {
			if p.quantified(i, quantifiedOn) {
				held++
			}
		}
		jt := register.ShareType{Code: shareJT, Name: "集体股", Kind: register.CollectiveShare, Management: register.Static,
			QuantifiedOn: quantifiedOn, Total: register.Shares(held * 100 / 4)} // a fifth of the whole
		if err := b.db.CreateShareType(ctx, kj, cid, store.ShareTypeInput{Type: jt, Decision: decShares}); err != nil {
			return err
		}
	}
	certs, err := b.db.IssueCertificates(ctx, kj, cid, certifiedOn, nil)
	if err != nil {
		return err
	}
	n.certificates += len(certs)
	id := func(i int) (int64, error) {
		m, err := b.db.FindMemberByCode(ctx, cid, p.Members[i].Code)
		if err != nil {
			return 0, err
		}
		return m.ID, nil
	}
	for _, d := range p.Deaths {
		mid, err := id(d.Member)
		if err != nil {
			return err
		}
		if err := b.db.ChangeMemberStatus(ctx, kj, mid, register.MemberChange{To: register.MemberDeceased, On: d.On, Note: "死亡注销"}); err != nil {
			return fmt.Errorf("death of %s: %w", p.Members[d.Member].Code, err)
		}
	}
	for _, d := range p.Exits {
		mid, err := id(d.Member)
		if err != nil {
			return err
		}
		if err := b.db.ChangeMemberStatus(ctx, kj, mid, register.MemberChange{To: register.MemberExited, On: d.On,
			Reason: register.ReasonSettled, Decision: decExit, Note: "户籍迁出，纳入城镇社会保障"}); err != nil {
			return fmt.Errorf("exit of %s: %w", p.Members[d.Member].Code, err)
		}
	}
	n.deaths += len(p.Deaths)
	n.exits += len(p.Exits)
	var changes []store.ShareChangeInput
	on := jiti.Date{Year: p.Last, Month: time.December, Day: 20}
	member := func(i int) register.Holder {
		return register.Holder{Kind: register.HeldByMember, Code: p.Members[i].Code}
	}
	for _, d := range p.Deaths {
		if !p.quantified(d.Member, quantifiedOn) {
			continue
		}
		heir := p.headOfCode(p.Members[d.Member].Household)
		changes = append(changes, store.ShareChangeInput{Change: register.ShareChange{Kind: register.Inherit, On: on, Type: shareRK,
			From: member(d.Member), To: member(heir), Qty: 100}, Decision: decTransfer, Note: "继承"})
	}
	for _, g := range p.Gifts {
		changes = append(changes, store.ShareChangeInput{Change: register.ShareChange{Kind: register.Gift, On: on, Type: shareRK,
			From: member(g[0]), To: member(g[1]), Qty: 100}, Decision: decTransfer, Note: "赠与亲属"})
	}
	if len(changes) > 0 {
		if err := b.db.ChangeShares(ctx, kj, cid, changes); err != nil {
			return err
		}
	}
	n.shareChanges += len(changes)
	return nil
}

// headOfCode returns the index of the head of the household coded code.
func (p *people) headOfCode(code string) int {
	for i := range p.Members {
		if p.Members[i].Household == code && p.Members[i].Relation == register.RelHead {
			return i
		}
	}
	return -1
}

//go:build unix

package store_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"example.org/jiti/internal/register"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImportMembers confirms a register of 50,000 members in one
// batch, as `jiti member import` does (sealing each number, its initials,
// the checks across collectives, the bulk inserts), and beside it, in the
// same run, the raw insert of as many rows (store.RawInsert), the
// reference bulk loads are held to. Both are reported in rows a second;
// the target is 50,000 members a second.
func BenchmarkImportMembers(b *testing.B) {
	const n = 50000
	// Names of a county's people: a few dozen surnames, given names of
	// one or two of a hundred characters.
	surnames := []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
	given := []rune("建国秀英文斌桂兰志强玉梅德胜淑芬永红军华明丽芳霞平刚海燕小春生福贵宝珍凤琴兴旺天成金银花荣发光忠良晓东伟敏静")
	name := func(k int) string {
		n := []rune{surnames[k%len(surnames)], given[k/7%len(given)]}
		if k%5 != 0 {
			n = append(n, given[k/13%len(given)])
		}
		return string(n)
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var db *store.DB
			if engine == "sqlite" {
				db = storetest.OpenSQLite(b)
			} else {
				db = storetest.OpenPostgres(b)
			}
			f := storetest.Seed(b, db)
			ctx := context.Background()
			var members, raw, membersCPU, rawCPU time.Duration
			for i := 0; i < b.N; i++ {
				c := f.AddCollective(b, fmt.Sprintf("%03d", 300+i), fmt.Sprintf("测试%d", i))
				storetest.MembershipDecision(b, db, c.ID, "2020-01", "2020-01-05")
				ms := make([]register.Member, n)
				for j := range ms {
					// Distinct people across iterations: sequence numbers
					// and birth days differ.
					k := i*n + j
					ms[j] = person(fmt.Sprintf("M%05d", j), name(k), k, "", register.RelOther)
					ms[j].IDNumber = storetest.IDNumber(fmt.Sprintf("6204%02d%s%03d", 22+k/(15000*1000)%70, register.IDBirth(ms[j].IDNumber).String()[0:4]+
						register.IDBirth(ms[j].IDNumber).String()[5:7]+register.IDBirth(ms[j].IDNumber).String()[8:10], k/15000%1000))
					ms[j].Sex = register.IDSex(ms[j].IDNumber)
				}
				b.StartTimer()
				start, cpu0 := time.Now(), cpuTime()
				if err := db.CreateMembers(ctx, f.Accountant, c.ID, ms); err != nil {
					b.Fatal(err)
				}
				members, membersCPU = members+time.Since(start), membersCPU+cpuTime()-cpu0
				b.StopTimer()
				cpu0 = cpuTime()
				d, err := db.RawInsert(ctx, n)
				if err != nil {
					b.Fatal(err)
				}
				raw, rawCPU = raw+d, rawCPU+cpuTime()-cpu0
			}
			b.ReportMetric(float64(n*b.N)/members.Seconds(), "members/s")
			b.ReportMetric(float64(n*b.N)/raw.Seconds(), "raw-rows/s")
			// The same per second of this process's CPU (on SQLite, all of
			// the work), which a busy machine changes less than the clock.
			b.ReportMetric(float64(n*b.N)/membersCPU.Seconds(), "members/cpu-s")
			b.ReportMetric(float64(n*b.N)/rawCPU.Seconds(), "raw-rows/cpu-s")
		})
	}
}

package models

import (
	"context"
	"fmt"
)

// While a month of sub-ICB rows streams to PostgreSQL, the loader sums them
// to the national and regional rollups in memory (about 53,000 sums a
// month) and writes those when the month's COPY ends. Summing the
// month again in SQL afterwards cost the server a fifth of a second per
// month, as much as building its key.
//
// The sums are exact only for the file's own rows, so the SQL rollup
// (rollupSQL) is still used when a month ends up holding other rows too:
// rows carried over from areas the file does not cover, duplicate rows
// dropped under the skip policy, or a month whose rows came in two runs
// (a file not ordered by date), which would write two partial sums.

// monthSums are one month's rollup sums in dense arrays: a slot per
// region (slot 0 is England), each [day of month][category combination].
// Indexing an array costs a fraction of hashing a map key per row, and the
// month is small (9 slots × 31 days × 360 combinations).
type monthSums struct {
	slot    map[int64]int // region id → slot; England is 0
	regions []int64       // slot → region id
	n       [][]int64
	seen    [][]bool // a group with rows, even if they sum to 0
}

// Category combinations: codes are 0…len-1 in each dimension.
var catSizes = [4]int{len(vocab[DimStatus]), len(vocab[DimHCP]), len(vocab[DimMode]), len(vocab[DimLead])}

const catCombos = 3 * 3 * 5 * 8

func init() {
	if catSizes[0]*catSizes[1]*catSizes[2]*catSizes[3] != catCombos {
		panic("models: update catCombos to the vocabulary")
	}
}

func (m *monthSums) slotOf(region int64) int {
	if s, ok := m.slot[region]; ok {
		return s
	}
	m.slot[region] = len(m.regions)
	m.regions = append(m.regions, region)
	m.n = append(m.n, make([]int64, 31*catCombos))
	m.seen = append(m.seen, make([]bool, 31*catCombos))
	return len(m.regions) - 1
}

type areaRegion struct {
	region int64
	subICB bool // only sub-ICB locations are summed, as in rollupSQL
}

// addRollup adds row r (key columns, then n) to its month's sums.
func (l *pgLoader) addRollup(ctx context.Context, p *pgPart, r []int64) error {
	ar, ok := l.regions[r[0]]
	if !ok {
		var level int16
		var region *int64
		if err := l.s.pool.QueryRow(ctx, "SELECT level, region_id FROM areas WHERE id = $1", r[0]).Scan(&level, &region); err != nil {
			return fmt.Errorf("store: unable to look up area %d: %w", r[0], err)
		}
		ar = areaRegion{subICB: level == LevelSubICB}
		if region != nil {
			ar.region = *region
		}
		if l.regions == nil {
			l.regions = map[int64]areaRegion{}
		}
		l.regions[r[0]] = ar
	}
	if !ar.subICB || p.rollupStale {
		return nil
	}
	c := 0
	for i, size := range catSizes {
		v := r[2+i]
		if v < 0 || v >= int64(size) {
			p.rollupStale = true // not a known code: let SQL sum it
			return nil
		}
		c = c*size + int(v)
	}
	if p.roll == nil {
		p.roll = &monthSums{slot: map[int64]int{}}
		p.roll.slotOf(0)
	}
	i := int(r[1]-p.ms)*catCombos + c
	n := r[6]
	p.roll.n[0][i] += n
	p.roll.seen[0][i] = true
	if ar.region != 0 {
		s := p.roll.slotOf(ar.region)
		p.roll.n[s][i] += n
		p.roll.seen[s][i] = true
	}
	return nil
}

// writeRollup writes p's sums to its rollup table (created on first use)
// and frees them.
func (l *pgLoader) writeRollup(ctx context.Context, p *pgPart) error {
	if p.roll == nil {
		return nil
	}
	if p.rollup != "" || p.rollupStale {
		// A second run of the same month: partial sums would collide.
		p.rollupStale = true
		p.roll = nil
		return nil
	}
	p.rollup = p.table + "_rollup"
	if err := createMonthTable(ctx, l.s, p.rollup, rollupTable, "day", p.ms, p.me); err != nil {
		p.rollup = ""
		return err
	}
	cols := []string{"level", "area_id", "day", "status", "hcp", "mode", "lead", "n"}
	widths, err := columnWidths(ctx, l.s.pool, rollupTable, cols)
	if err != nil {
		return err
	}
	cs, err := openCopy(ctx, l.s.pool, p.rollup, cols, widths)
	if err != nil {
		return err
	}
	v := make([]int64, len(cols))
	m := p.roll
	for s, region := range m.regions {
		v[0], v[1] = LevelRegion, region
		if region == 0 {
			v[0] = 0
		}
		for i, seen := range m.seen[s] {
			if !seen {
				continue
			}
			v[2] = p.ms + int64(i/catCombos)
			c := i % catCombos
			for d := 3; d >= 0; d-- {
				v[3+d] = int64(c % catSizes[d])
				c /= catSizes[d]
			}
			v[7] = m.n[s][i]
			if err := cs.row(v); err != nil {
				cs.abort()
				return err
			}
		}
	}
	p.roll = nil
	return cs.finish()
}

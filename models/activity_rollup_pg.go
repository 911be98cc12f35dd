package models

import (
	"context"
	"fmt"
)

// While a month of sub-ICB rows streams to PostgreSQL, the loader sums them
// to the national and regional rollups in memory (about 53,000 sums a
// month, 3 MB) and writes those when the month's COPY ends. Summing the
// month again in SQL afterwards cost the server a fifth of a second per
// month, as much as building its key.
//
// The sums are exact only for the file's own rows, so the SQL rollup
// (rollupSQL) is still used when a month ends up holding other rows too:
// rows carried over from areas the file does not cover, duplicate rows
// dropped under the skip policy, or a month whose rows came in two runs
// (a file not ordered by date), which would write two partial sums.

// rollKey is one rollup row: region 0 is the national total.
type rollKey struct {
	region int64
	day    int64
	cats   [4]int64
}

type areaRegion struct {
	region int64
	subICB bool // only sub-ICB locations are summed, as in rollupSQL
}

// addRollup adds row r (key columns, then n) to its month's sums.
func (l *Loader) addRollup(ctx context.Context, p *pgPart, r []int64) error {
	ar, ok := l.regions[r[0]]
	if !ok {
		var level int16
		var region *int64
		if err := l.s.Pool.QueryRow(ctx, "SELECT level, region_id FROM areas WHERE id = $1", r[0]).Scan(&level, &region); err != nil {
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
	if !ar.subICB {
		return nil
	}
	if p.roll == nil {
		p.roll = make(map[rollKey]int64, 64<<10)
	}
	k := rollKey{day: r[1], cats: [4]int64{r[2], r[3], r[4], r[5]}}
	n := r[6]
	p.roll[k] += n
	if ar.region != 0 {
		k.region = ar.region
		p.roll[k] += n
	}
	return nil
}

// writeRollup writes p's sums to its rollup table (created on first use)
// and frees them.
func (l *Loader) writeRollup(ctx context.Context, p *pgPart) error {
	if p.roll == nil {
		return nil
	}
	if p.rollup != "" {
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
	widths, err := columnWidths(ctx, l.s.Pool, rollupTable, cols)
	if err != nil {
		return err
	}
	cs, err := openCopy(ctx, l.s.Pool, p.rollup, cols, widths)
	if err != nil {
		return err
	}
	v := make([]int64, len(cols))
	for k, n := range p.roll {
		v[0] = 0
		if k.region != 0 {
			v[0] = LevelRegion
		}
		v[1], v[2] = k.region, k.day
		copy(v[3:7], k.cats[:])
		v[7] = n
		if err := cs.row(v); err != nil {
			cs.abort()
			return err
		}
	}
	p.roll = nil
	return cs.finish()
}

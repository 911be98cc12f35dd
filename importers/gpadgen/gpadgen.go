// Package gpadgen writes synthetic GPAD sub-ICB daily files in the exact
// published layout (header, DDMONYYYY dates, category labels with their
// double spaces), for tests and the import benchmark. Figures are
// pseudo-random but deterministic for a seed.
package gpadgen

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/strikeline/strikeline/models"
)

// Header is the current (sub-ICB) header; CCGHeader the pre-July-2022 one.
const (
	Header    = "SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_ONS_CODE,SUB_ICB_LOCATION_NAME,ICB_ONS_CODE,REGION_ONS_CODE,Appointment_Date,APPT_STATUS,HCP_TYPE,APPT_MODE,TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS"
	CCGHeader = "CCG_CODE,CCG_ONS_CODE,CCG_NAME,STP_ONS_CODE,REGION_ONS_CODE,Appointment_Date,APPT_STATUS,HCP_TYPE,APPT_MODE,TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS"
)

// Options describe a file.
type Options struct {
	// Months are the first days of the months to write (one file may hold
	// several, like a republished edition).
	Months []time.Time
	// SubICBs is the number of areas (real scale: 106).
	SubICBs int
	// Combos is the number of category combinations per area and day
	// (real scale: about 220 of the 360 possible).
	Combos int
	// Seed varies the figures; the same seed gives the same file.
	Seed uint64
	// CCG writes the old CCG_* header, and gives area 0 a name with an
	// unquoted comma, as one real CCG-era file has.
	CCG bool
	// Drop leaves out every Drop-th row (0: none), to mimic rows that a
	// revision withdraws.
	Drop int
	// Profile, if set, scales each day's counts (weekday pattern, seasons,
	// bank holidays, injected strike drops); nil means flat uniform noise,
	// which is all the import benchmark needs.
	Profile func(day time.Time) float64
	// MergeFrom, if set, moves every sub-ICB location to a merged ICB from
	// that month on (MergedICB), as the ICB mergers of April 2026 did.
	MergeFrom time.Time
	// Shares gives every category combination its national share (see
	// Shares) instead of uniform noise, over all 360 combinations (Combos
	// is ignored), so DNA rate, GP share, mode and lead-time mixes look
	// like published data. AreaDaily is one area's appointments on an
	// ordinary day (default 12,000, about England's 1.3 million over 106
	// areas).
	Shares    bool
	AreaDaily float64
	// Drops multiply the counts of the combinations they select, on their
	// days, by (1 − Fraction): e.g. attended GP appointments only.
	Drops []DropWindow
}

// Shares are the national shares of each category used with
// Options.Shares, close to the published GPAD mix: about 4% of booked
// appointments are DNAs, 45–50% of those with a known HCP type are with a
// GP, about 1% are home visits and about 40% of those with a known lead
// time are booked the same day.
var Shares = map[models.Dimension]map[string]float64{
	models.DimStatus: {"Attended": 0.91, "DNA": 0.04, "Unknown": 0.05},
	models.DimHCP:    {"GP": 0.44, "Other Practice staff": 0.51, "Unknown": 0.05},
	models.DimMode:   {"Face-to-Face": 0.66, "Telephone": 0.28, "Video Conference/Online": 0.02, "Home Visit": 0.01, "Unknown": 0.03},
	models.DimLead: {"Same Day": 0.38, "1 Day": 0.08, "2 to 7 Days": 0.22, "8  to 14 Days": 0.13, "15  to 21 Days": 0.07,
		"22  to 28 Days": 0.05, "More than 28 Days": 0.04, "Unknown / Data Quality": 0.03},
}

func (c combo) share() float64 {
	return Shares[models.DimStatus][c.status] * Shares[models.DimHCP][c.hcp] * Shares[models.DimMode][c.mode] * Shares[models.DimLead][c.lead]
}

// MergedICB is the ICB that sub-ICB location i belongs to from
// Options.MergeFrom: two of the old ICBs (three locations each) per new one.
func MergedICB(i int) string { return fmt.Sprintf("E54%06d", 950000+i/6) }

// Stats summarise what was written.
type Stats struct {
	Rows  int64
	Total int64 // sum of COUNT_OF_APPOINTMENTS
}

var months = [...]string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

type combo struct{ status, hcp, mode, lead string }

func combos(n int) []combo {
	var all []combo
	for _, s := range models.CodeLabels(models.DimStatus) {
		for _, h := range models.CodeLabels(models.DimHCP) {
			for _, m := range models.CodeLabels(models.DimMode) {
				for _, l := range models.CodeLabels(models.DimLead) {
					all = append(all, combo{s, h, m, l})
				}
			}
		}
	}
	if n <= 0 || n > len(all) {
		n = len(all)
	}
	// Spread the chosen combinations over the whole list.
	out := make([]combo, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, all[i*len(all)/n])
	}
	return out
}

// splitmix64 is a tiny deterministic generator.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Area describes synthetic area i.
func Area(i int) (code, ons, name, icb, region string) {
	code = fmt.Sprintf("%02d%c", i%100, 'A'+rune(i/100))
	ons = fmt.Sprintf("E38%06d", 900000+i)
	name = fmt.Sprintf("NHS Synthetic ICB - %s", code)
	icb = fmt.Sprintf("E54%06d", 900000+i/3)
	region = fmt.Sprintf("E40%06d", 900000+i/16)
	return
}

// Write writes one file to w.
func Write(w io.Writer, o Options) (Stats, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	var st Stats
	if o.CCG {
		fmt.Fprintln(bw, CCGHeader)
	} else {
		fmt.Fprintln(bw, Header)
	}
	cs := combos(o.Combos)
	if o.Shares {
		cs = combos(0)
	}
	daily := o.AreaDaily
	if daily == 0 {
		daily = 12000
	}
	var row int64
	for _, m := range o.Months {
		m = time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC)
		for d := m; d.Month() == m.Month(); d = d.AddDate(0, 0, 1) {
			date := fmt.Sprintf("%02d%s%d", d.Day(), months[d.Month()-1], d.Year())
			for a := 0; a < o.SubICBs; a++ {
				code, ons, name, icb, region := Area(a)
				if !o.MergeFrom.IsZero() && !d.Before(o.MergeFrom) {
					icb = MergedICB(a)
				}
				if o.CCG && a == 0 {
					name = "NHS Synthetic, Comma CCG" // unquoted, as published
				}
				prefix := code + "," + ons + "," + name + "," + icb + "," + region + "," + date + ","
				for ci, c := range cs {
					row++
					if o.Drop > 0 && row%int64(o.Drop) == 0 {
						continue
					}
					h := splitmix64(o.Seed ^ uint64(d.Unix())*31 ^ uint64(a)<<20 ^ uint64(ci))
					n := int64(h % 500)
					if o.Shares {
						// ±5% noise around the combination's share.
						u := float64(h%10007) / 10007
						n = int64(math.Round(daily * c.share() * (0.95 + 0.1*u)))
					}
					if o.Profile != nil {
						n = int64(math.Round(float64(n) * o.Profile(d)))
					}
					for _, w := range o.Drops {
						if w.selects(d, c) {
							n = int64(math.Round(float64(n) * (1 - w.Fraction)))
						}
					}
					bw.WriteString(prefix)
					bw.WriteString(c.status + "," + c.hcp + "," + c.mode + "," + c.lead + ",")
					fmt.Fprintf(bw, "%d\n", n)
					st.Rows++
					st.Total += n
				}
			}
		}
	}
	return st, bw.Flush()
}

// Realistic returns a day profile shaped like national GP activity: busy
// Mondays, quiet weekends, an annual cycle, practices closed on bank
// holidays (holiday reports whether a day is one), the working days
// between Christmas and New Year (24 December to 2 January) at 70% of
// normal, and each day in a drop window multiplied by (1 − fraction)
// (drops that select categories are applied by Options.Drops instead). The
// annual cycle is kept small (±2%): a six-week baseline cannot tell a steep
// seasonal slope from an effect, which the interrupted time series handles
// instead.
func Realistic(holiday func(time.Time) bool, drops ...DropWindow) func(time.Time) float64 {
	weekday := [7]float64{0.02, 1.15, 1.05, 1, 1, 0.95, 0.08} // Sunday first
	return func(d time.Time) float64 {
		v := weekday[d.Weekday()] * (1 + 0.02*math.Sin(2*math.Pi*float64(d.YearDay())/365.25))
		if holiday != nil && holiday(d) {
			v *= 0.03
		} else if md := int(d.Month())*100 + d.Day(); md >= 1224 || md <= 102 {
			v *= 0.70
		}
		for _, w := range drops {
			if len(w.Status) == 0 && len(w.HCP) == 0 && !d.Before(w.From) && !d.After(w.To) {
				v *= 1 - w.Fraction
			}
		}
		return v
	}
}

// DropWindow is an injected fall in activity over inclusive civil dates,
// optionally only in some statuses or HCP types (published labels; empty
// means all).
type DropWindow struct {
	From, To time.Time
	Fraction float64
	Status   []string
	HCP      []string
}

func (w DropWindow) selects(d time.Time, c combo) bool {
	return !d.Before(w.From) && !d.After(w.To) && (len(w.Status) == 0 || slices.Contains(w.Status, c.status)) &&
		(len(w.HCP) == 0 || slices.Contains(w.HCP, c.hcp))
}

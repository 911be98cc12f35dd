package importers

import (
	"context"
	"errors"
	"fmt"

	"github.com/strikeline/strikeline/models"
)

// FormatPracticeMapping is the Mapping.csv published beside the
// practice-level crosstab: each practice with its PCN and sub-ICB
// location. It holds no figures; it places practices in the geography.
const FormatPracticeMapping Format = "gpad_practice_mapping"

func init() {
	// Last: every file with figures has these columns too.
	formats = append(formats, formatSpec{FormatPracticeMapping, KindGPAD, []string{"GP_CODE", "PCN_CODE", "SUB_ICB_LOCATION_CODE"}, models.LoadTarget{}})
	extraReaders[FormatPracticeMapping] = func(r *Reader, row []int64) error {
		id, err := r.practice()
		row[0] = id
		return err
	}
	formatTitles[FormatPracticeMapping] = "GPAD practice mapping (Mapping.csv beside the crosstab)"
}

// loadReference reads a file that only describes areas: every row's
// practice is placed under its PCN and sub-ICB location, and the run
// records how many areas that added or changed.
func (s *session) loadReference(ctx context.Context) error {
	row := make([]int64, s.rd.Width())
	err := s.parse(ctx, func() []int64 { return row }, nil)
	s.finishReading()
	if err != nil {
		return err
	}
	run := s.run
	if run.RowsRejected > 0 && s.im.Opt.Policy == PolicyReject {
		run.Message = fmt.Sprintf("%d bad rows; the good rows' practices were placed, nothing else is stored from this file", run.RowsRejected)
		return errors.New(run.Message)
	}
	run.Status = models.ImportSucceeded
	if s.res.upserts == 0 {
		run.Note = "no change: a reference file (practices and their PCN and sub-ICB location), every practice already placed as it says"
	} else {
		run.Note = fmt.Sprintf("a reference file (practices and their PCN and sub-ICB location): %d areas added or updated; it holds no figures", s.res.upserts)
	}
	return s.im.Store.FinishImportRun(ctx, run)
}

// figureless refuses the mapping layout for a header with figures: such a
// file is a practice-level file with a column missing, and must fail as
// one rather than load as a mapping.
func figureless(f Format, idx map[string]int) bool {
	if f != FormatPracticeMapping {
		return false
	}
	for _, c := range []string{"COUNT_OF_APPOINTMENTS", "VALUE", "APPOINTMENTS", "METRIC"} {
		if _, ok := idx[c]; ok {
			return true
		}
	}
	return false
}

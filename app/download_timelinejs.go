package app

import (
	"html"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/strikeline/strikeline/models"
)

// TimelineJS3's JSON format (timeline.knightlab.com/docs/json-format.html):
// {"title": slide, "events": [slide]}; a slide has start_date, end_date,
// text {headline, text}, group and unique_id.
type tljsDate struct {
	Year   int `json:"year"`
	Month  int `json:"month,omitempty"`
	Day    int `json:"day,omitempty"`
	Hour   int `json:"hour,omitempty"`
	Minute int `json:"minute,omitempty"`
}

type tljsText struct {
	Headline string `json:"headline"`
	Text     string `json:"text,omitempty"`
}

type tljsSlide struct {
	StartDate *tljsDate `json:"start_date,omitempty"`
	EndDate   *tljsDate `json:"end_date,omitempty"`
	Text      tljsText  `json:"text"`
	Group     string    `json:"group,omitempty"`
	UniqueID  string    `json:"unique_id,omitempty"`
}

type tljsTimeline struct {
	Title  tljsSlide   `json:"title"`
	Events []tljsSlide `json:"events"`
}

func tljsWhen(t time.Time, allDay bool) *tljsDate {
	if allDay {
		t = t.UTC()
		return &tljsDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
	}
	t = t.In(models.London)
	return &tljsDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Hour: t.Hour(), Minute: t.Minute()}
}

// downloadTimelineJS is /timeline-js.json, for embedding with TimelineJS.
// TimelineJS renders text as HTML, so our text is escaped and the only
// markup is our own link to the record.
func (s *Server) downloadTimelineJS(c *fiber.Ctx) error {
	recs, err := s.filteredRecords(c, "", false)
	if err != nil {
		return err
	}
	out := tljsTimeline{
		Title: tljsSlide{Text: tljsText{Headline: "NHS industrial action",
			Text: "From Strikeline; every record links to its sources. " + html.EscapeString(s.registerLine(c).Text()) + "."}},
		Events: make([]tljsSlide, 0, len(recs)),
	}
	for i := range recs {
		e := &recs[i]
		url := s.cfg.BaseURL + eventURL(e.ID)
		sl := tljsSlide{StartDate: tljsWhen(e.StartAt, e.AllDay), Group: e.Kind.Label(), UniqueID: "event-" + strconv.FormatInt(e.ID, 10),
			Text: tljsText{Headline: html.EscapeString(e.Title),
				Text: html.EscapeString(e.Summary) + ` <a href="` + html.EscapeString(url) + `">Sources and history</a>`}}
		if e.EndAt != nil {
			sl.EndDate = tljsWhen(*e.EndAt, e.AllDay)
		}
		out.Events = append(out.Events, sl)
	}
	return c.JSON(out)
}

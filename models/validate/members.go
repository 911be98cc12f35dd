package validate

import (
	"reflect"
	"strings"
	"sync"
)

// member is a struct field that is a JSON member: its index and name.
type member struct {
	index int
	name  string
}

var memberCache sync.Map // reflect.Type → []member

func members(t reflect.Type) []member {
	if m, ok := memberCache.Load(t); ok {
		return m.([]member)
	}
	var out []member
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "-" && name != "" {
			out = append(out, member{i, name})
		}
	}
	memberCache.Store(t, out)
	return out
}

// Present lists the JSON members of doc (a struct) that hold a value: a
// non-empty list, a non-nil pointer, any other non-zero value. The checks
// use it to refuse another kind's fields rather than drop them.
func Present(doc any) []string {
	rv := reflect.ValueOf(doc)
	for rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	var out []string
	for _, m := range members(rv.Type()) {
		v := rv.Field(m.index)
		switch v.Kind() {
		case reflect.Slice, reflect.Map:
			if v.Len() == 0 {
				continue
			}
		default:
			if v.IsZero() {
				continue
			}
		}
		out = append(out, m.name)
	}
	return out
}

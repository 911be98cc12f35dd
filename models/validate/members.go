package validate

import (
	"reflect"
	"strings"
)

// Present lists the JSON members of doc (a struct) that hold a value: a
// non-empty list, a non-nil pointer, any other non-zero value. The checks
// use it to refuse another kind's fields rather than drop them.
func Present(doc any) []string {
	rv := reflect.ValueOf(doc)
	for rv.Kind() == reflect.Pointer {
		rv = rv.Elem()
	}
	var out []string
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		v := rv.Field(i)
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
		out = append(out, name)
	}
	return out
}

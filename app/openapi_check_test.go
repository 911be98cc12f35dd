package app

import (
	"net/http"
	"testing"
)

func checkAgainstOpenAPI(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, body []byte) {
}

package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// A PNG of one pixel, and the start of a PDF: real signatures, as the
// server reads types from content.
var (
	onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
	tinyPDF     = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
)

func upload(t *testing.T, c *http.Client, url, name string, data []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	must(t, err)
	fw.Write(data)
	mw.Close()
	resp, err := c.Post(url, mw.FormDataContentType(), &body)
	must(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestDocuments uploads scanned originals to vouchers: PDF and PNG are
// kept and served back to readers in scope only, a file whose content is
// not what its name says is refused, as is one too large; a posted
// voucher's document cannot be deleted, a draft's can; and verify finds a
// document altered behind jiti's back.
func TestDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		kj := w.client(t, "kuaiji")
		posted := fmt.Sprintf("%s/c/%d/vouchers/%d", w.srv.URL, w.f.A.ID, w.posted["A"].ID)
		draft := fmt.Sprintf("%s/c/%d/vouchers/%d", w.srv.URL, w.f.A.ID, w.draft.ID)

		if code, _ := upload(t, kj, posted+"/documents", "租赁合同.pdf", tinyPDF); code != http.StatusSeeOther {
			t.Fatalf("upload a PDF: status %d", code)
		}
		if code, _ := upload(t, kj, draft+"/documents", "收据.png", onePixelPNG); code != http.StatusSeeOther {
			t.Fatalf("upload a PNG: status %d", code)
		}
		code, body := upload(t, kj, draft+"/documents", "evil.png", []byte("<html><script>alert(1)</script></html>"))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "text/html") {
			t.Errorf("HTML named .png: status %d, want 422 naming its real type", code)
		}
		big := append(append([]byte(nil), tinyPDF...), make([]byte, store.MaxDocumentSize)...)
		// A size error gives the file's size and the real limit.
		limit := store.Megabytes(store.MaxDocumentSize)
		if code, body := upload(t, kj, draft+"/documents", "big.pdf", big); code != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "文件大小为10.1 MB，不能超过"+limit+" MB") {
			t.Errorf("a file just over the limit: status %d, want 422 with its size and the limit: %s", code, textOf(body))
		}
		huge := append(append([]byte(nil), tinyPDF...), make([]byte, store.MaxDocumentSize+2<<20)...)
		// Far over it, the request itself is too large: 413, with the limit.
		if code, body := upload(t, kj, draft+"/documents", "huge.pdf", huge); code != http.StatusRequestEntityTooLarge ||
			!strings.Contains(body, "文件过大，不能超过"+limit+" MB") {
			t.Errorf("a file far over the limit: status %d, want 413 with the limit: %s", code, textOf(body))
		}
		if _, body := get(t, kj, draft); !strings.Contains(body, limit+" MB 以内") {
			t.Errorf("the upload form does not give the limit %s MB", limit)
		}
		if code, _ := upload(t, w.client(t, "cunshenhe"), draft+"/documents", "收据.png", onePixelPNG); code != http.StatusForbidden {
			t.Errorf("village approver uploading: status %d, want 403", code)
		}
		if code, _ := upload(t, w.client(t, "gckuaiji"), draft+"/documents", "收据.png", onePixelPNG); code != http.StatusNotFound {
			t.Errorf("another township's accountant uploading: status %d, want 404", code)
		}

		v, err := db.ViewAs(t.Context(), w.f.Admin)
		must(t, err)
		docs, err := v.Documents(t.Context(), w.posted["A"].ID, 0)
		must(t, err)
		if len(docs) != 1 || docs[0].ContentType != "application/pdf" || docs[0].Size != int64(len(tinyPDF)) {
			t.Fatalf("posted voucher's documents: %+v", docs)
		}
		pdfURL := fmt.Sprintf("%s/c/%d/documents/%d", w.srv.URL, w.f.A.ID, docs[0].ID)
		resp, err := w.client(t, "cunkuaiji").Get(pdfURL)
		must(t, err)
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Equal(got, tinyPDF) || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("download: status %d, %d bytes, type %q, CSP %q", resp.StatusCode, len(got), resp.Header.Get("Content-Type"),
				resp.Header.Get("Content-Security-Policy"))
		}
		if code, _ := get(t, w.client(t, "guocheng"), pdfURL); code != http.StatusNotFound {
			t.Errorf("another township's supervisor downloading: status %d, want 404", code)
		}
		if code, _ := get(t, kj, fmt.Sprintf("%s/c/%d/documents/%d", w.srv.URL, w.f.B.ID, docs[0].ID)); code != http.StatusNotFound {
			t.Errorf("a document under another collective's address: status %d, want 404", code)
		}
		_, page := get(t, kj, posted)
		if !strings.Contains(page, "租赁合同.pdf") {
			t.Errorf("the voucher page does not list its document")
		}
		if code, _ := post(t, kj, pdfURL+"/delete", nil); code != http.StatusConflict {
			t.Errorf("deleting a posted voucher's document: status %d, want 409", code)
		}
		drafts, err := v.Documents(t.Context(), w.draft.ID, 0)
		must(t, err)
		if code, _ := post(t, kj, fmt.Sprintf("%s/c/%d/documents/%d/delete", w.srv.URL, w.f.A.ID, drafts[0].ID), nil); code != http.StatusSeeOther {
			t.Errorf("deleting a draft's document: status %d", code)
		}

		must(t, storetest.Exec(db, `UPDATE documents SET data = ? WHERE id = ?`, []byte("%PDF-1.4 forged"), docs[0].ID))
		rep, err := db.Verify(t.Context(), w.f.A.ID)
		must(t, err)
		found := false
		for _, p := range rep.Problems {
			found = found || p.Kind == "verify.document" && p.VoucherID == w.posted["A"].ID
		}
		if !found {
			t.Errorf("verify did not find the altered document: %+v", rep.Problems)
		}
	})
}

// TestDocuments_Contract uploads a signed contract's scan to its contract:
// listed on the contract's page, refused on another collective's contract
// address and to a user out of scope.
func TestDocuments_Contract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		r := addPageRecords(t, w)
		kj := w.client(t, "kuaiji")
		page := fmt.Sprintf("%s/c/%d/contracts/%d", w.srv.URL, w.f.A.ID, r.lease.ID)
		if code, _ := upload(t, kj, page+"/documents", "看护房租赁合同（签字版）.pdf", tinyPDF); code != http.StatusSeeOther {
			t.Fatalf("upload to a contract: status %d", code)
		}
		_, body := get(t, w.client(t, "viewer"), page)
		if !strings.Contains(body, "看护房租赁合同（签字版）.pdf") {
			t.Errorf("the contract's page does not list its document")
		}
		other := fmt.Sprintf("%s/c/%d/contracts/%d/documents", w.srv.URL, w.f.A.ID, r.wellLease.ID)
		if code, _ := upload(t, kj, other, "x.pdf", tinyPDF); code != http.StatusNotFound {
			t.Errorf("O's contract under A's address: status %d, want 404", code)
		}
		if code, _ := upload(t, w.client(t, "gckuaiji"), page+"/documents", "x.pdf", tinyPDF); code != http.StatusNotFound {
			t.Errorf("another township's accountant: status %d, want 404", code)
		}
	})
}

package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"example.org/jiti"
	"example.org/jiti/internal/store"
)

// Scanned originals: uploaded to a voucher, served back to whoever may read
// its books. The store checks each file's type by its content and its size.

// uploadVoucherDocument attaches the posted file to the path's voucher.
func (s *Server) uploadVoucherDocument(w http.ResponseWriter, r *http.Request, st *state) {
	vp, ok := s.voucherOf(w, r, st)
	if !ok {
		return
	}
	name, data, err := readUpload(w, r)
	if err == nil {
		_, err = s.DB.AddDocument(r.Context(), st.view.User().ID, store.DocumentInput{VoucherID: vp.V.ID, Name: name, Data: data})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d/vouchers/%d?done=document", vp.C.ID, vp.V.ID), http.StatusSeeOther)
}

// uploadContractDocument attaches the posted file to the path's contract.
func (s *Server) uploadContractDocument(w http.ResponseWriter, r *http.Request, st *state) {
	c, k, ok := s.contractOf(w, r, st)
	if !ok {
		return
	}
	name, data, err := readUpload(w, r)
	if err == nil {
		_, err = s.DB.AddDocument(r.Context(), st.view.User().ID, store.DocumentInput{ContractID: k.ID, Name: name, Data: data})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%d/contracts/%d", c.ID, k.ID), http.StatusSeeOther)
}

// docsPanel is the documents of a voucher or a contract as its page shows
// them: the list, the upload form's address when the user may add one
// ("" otherwise), and whether the user may delete them.
type docsPanel struct {
	CID       int64
	Docs      []store.Document
	Upload    string
	Deletable bool
}

// errUpload reports a request without a readable file.
var errUpload = jiti.Errorf(jiti.Invalid, "document.upload")

// readUpload reads the form's one file, refusing a body larger than a
// document may be before reading it all.
func readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, store.MaxDocumentSize+1<<20)
	f, h, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, store.ErrDocumentTooLarge.With(store.Megabytes(store.MaxDocumentSize)).At("file")
		}
		return "", nil, errUpload.At("file")
	}
	defer f.Close()
	if h.Size > store.MaxDocumentSize {
		return "", nil, store.ErrDocumentSize.With(store.Megabytes(int(h.Size)), store.Megabytes(store.MaxDocumentSize)).At("file")
	}
	data, err := io.ReadAll(io.LimitReader(f, store.MaxDocumentSize+1))
	if err != nil {
		return "", nil, errUpload.At("file")
	}
	return h.Filename, data, nil
}

// documentOf reads the path's {did} as a document of the path's
// collective, with its content; one of another collective is not found.
func (s *Server) documentOf(w http.ResponseWriter, r *http.Request, st *state) (*jiti.Collective, *store.Document, bool) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("did"), 10, 64)
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("document", r.PathValue("did")))
		return nil, nil, false
	}
	d, err := st.view.Document(r.Context(), id)
	if err == nil && d.CollectiveID != c.ID {
		err = jiti.ErrNotFound.With("document", id)
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return c, d, true
}

// document serves a document to a reader of its collective's books, as an
// attachment the browser may show (PDF and images) but never run.
func (s *Server) document(w http.ResponseWriter, r *http.Request, st *state) {
	_, d, ok := s.documentOf(w, r, st)
	if !ok {
		return
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	h.Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": d.Name}))
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; plugin-types application/pdf; sandbox")
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("ETag", `"`+d.SHA256+`"`)
	w.Write(d.Data)
}

// deleteDocument removes a document added by mistake (not of a posted
// voucher: the store refuses).
func (s *Server) deleteDocument(w http.ResponseWriter, r *http.Request, st *state) {
	c, d, ok := s.documentOf(w, r, st)
	if !ok {
		return
	}
	if err := s.DB.DeleteDocument(r.Context(), st.view.User().ID, d.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	back := fmt.Sprintf("/c/%d/contracts/%d", c.ID, d.ContractID)
	if d.VoucherID != 0 {
		back = fmt.Sprintf("/c/%d/vouchers/%d", c.ID, d.VoucherID)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

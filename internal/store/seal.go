package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"

	"example.org/jiti"
)

// Personal identity numbers are sealed with AES-256-GCM under the
// deployment's key before they are written, and found again by an HMAC of
// the number under the same key. The key is never in the database: a copy
// of the database (a backup, an export) does not reveal the numbers.

// ErrNoKey reports an identity number to store or reveal without a key
// configured (JITI_KEY or the key file beside the database).
var ErrNoKey = jiti.Errorf(jiti.Conflict, "store.no_key")

// KeySize is the size of the deployment's key in bytes.
const KeySize = 32

// NewKey returns a fresh random key.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	_, err := rand.Read(k)
	return k, err
}

// ParseKey reads a key written as 64 hexadecimal digits.
func ParseKey(s string) ([]byte, error) {
	k, err := hex.DecodeString(s)
	if err != nil || len(k) != KeySize {
		return nil, fmt.Errorf("store: a key is %d bytes as %d hexadecimal digits", KeySize, 2*KeySize)
	}
	return k, nil
}

// seal encrypts an identity number; "" stays "".
func (db *DB) seal(id jiti.IDNumber) (sealed, hash string, err error) {
	if id.IsZero() {
		return "", "", nil
	}
	s, err := db.newSealer()
	if err != nil {
		return "", "", err
	}
	return s.seal(id)
}

// sealer seals many numbers with one cipher and one keyed hash, and
// draws their nonces from the system in blocks: a register of tens of
// thousands of members is sealed in a moment.
type sealer struct {
	gcm    cipher.AEAD
	mac    hash.Hash
	nonces []byte
}

func (db *DB) newSealer() (*sealer, error) {
	if db.key == nil {
		return nil, ErrNoKey
	}
	gcm, err := db.gcm()
	if err != nil {
		return nil, err
	}
	return &sealer{gcm: gcm, mac: hmac.New(sha256.New, db.key)}, nil
}

// seal is DB.seal of a number that is not zero.
func (s *sealer) seal(id jiti.IDNumber) (sealed, hash string, err error) {
	n := s.gcm.NonceSize()
	if len(s.nonces) < n {
		s.nonces = make([]byte, 256*n)
		if _, err := rand.Read(s.nonces); err != nil {
			return "", "", err
		}
	}
	nonce := s.nonces[:n:n]
	s.nonces = s.nonces[n:]
	out := s.gcm.Seal(nonce, nonce, []byte(id.Reveal()), []byte("jiti-id-v1"))
	s.mac.Reset()
	s.mac.Write([]byte(id.Reveal()))
	return base64.StdEncoding.EncodeToString(out), hex.EncodeToString(s.mac.Sum(nil)), nil
}

// ErrWrongKey reports a key that does not open the identity numbers the
// database holds: the deployment was given another database's key, or a
// new one. Args: the database.
var ErrWrongKey = jiti.Errorf(jiti.Invalid, "store.wrong_key")

// checkKey opens one sealed identity number with the key, so that a wrong
// key stops the program at its start, saying so, rather than failing
// every page that lists contracts later.
func (db *DB) checkKey(ctx context.Context) error {
	if db.key == nil {
		return nil
	}
	var sealed string
	err := db.reader().queryRow(ctx, `SELECT party_id_sealed FROM contracts WHERE party_id_sealed <> '' ORDER BY id LIMIT 1`).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := db.unseal(sealed); err != nil {
		return ErrWrongKey.With(db.Location())
	}
	return nil
}

// unseal decrypts a sealed identity number.
func (db *DB) unseal(sealed string) (jiti.IDNumber, error) {
	if sealed == "" {
		return jiti.IDNumber{}, nil
	}
	if db.key == nil {
		return jiti.IDNumber{}, ErrNoKey
	}
	gcm, err := db.gcm()
	if err != nil {
		return jiti.IDNumber{}, err
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < gcm.NonceSize() {
		return jiti.IDNumber{}, errors.New("store: sealed identity number is damaged")
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte("jiti-id-v1"))
	if err != nil {
		return jiti.IDNumber{}, fmt.Errorf("store: cannot open a sealed identity number (wrong key?): %w", err)
	}
	return jiti.NewIDNumber(string(plain))
}

func (db *DB) gcm() (cipher.AEAD, error) {
	block, err := aes.NewCipher(db.key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// idHash is the keyed hash under which a number is found again.
func (db *DB) idHash(id string) string {
	m := hmac.New(sha256.New, db.key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))
}

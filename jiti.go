// Package jiti holds the vocabulary of the village collective economy system:
// money in fen, civil dates and accounting periods, errors that carry a kind
// and a message key, and the base records (regions, collectives, users) that
// every other package speaks in.
//
// It imports only the standard library, so every package of the program may
// import it.
package jiti

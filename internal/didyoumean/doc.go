// SPDX-License-Identifier: AGPL-3.0-or-later

// Package didyoumean suggests the closest known name for a misspelled one.
// Every "unknown X" diagnostic of the language and the compiler goes through
// NameSuggestion, so suggestions behave the same everywhere.
//
// It imports only github.com/agext/levenshtein and must not import any
// package of this module.
package didyoumean

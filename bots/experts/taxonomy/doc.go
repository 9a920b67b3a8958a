// SPDX-License-Identifier: AGPL-3.0-or-later

// Package taxonomy is IntelMQ's taxonomy expert
// (intelmq.bots.experts.taxonomy.expert): it completes the classification of
// an event. With a classification.type but no classification.taxonomy it
// sets the taxonomy of that type (RSIT, with IntelMQ's extensions; an
// unknown type gives "other"); with neither it sets taxonomy "other" and
// type "undetermined"; with a taxonomy but no type it sets type
// "undetermined"; a complete pair is left as it is, even if inconsistent.
//
// The table itself is harmonization.TaxonomyOf, the single source of truth.
// The package imports runtime/botapi and the stdlib packages only.
package taxonomy

#pragma once
// --shard K/N: which (target, scenario) pairs one shard of a run holds.
// The pairs are numbered in suite order, target-major: scenario i of the
// selected scenarios on target t is pair t * selected + i. Shard K of N holds
// the pairs whose number is K-1 modulo N, so the shards are disjoint, cover
// every pair and differ in size by at most one. Shard 0/0 is the whole run.

#include <cstddef>

namespace condspec {

// Whether pair `position` belongs to shard `index` of `count`.
bool in_shard(size_t position, int index, int count);

// How many of the pairs 0 .. pairs-1 belong to shard `index` of `count`.
size_t shard_size(size_t pairs, int index, int count);

}  // namespace condspec

#include "src/engine/shard.h"

namespace condspec {

bool in_shard(size_t position, int index, int count) {
  if (count <= 0) return true;
  return position % static_cast<size_t>(count) == static_cast<size_t>(index - 1);
}

size_t shard_size(size_t pairs, int index, int count) {
  // Counted with in_shard itself, so the two can never disagree; runs are
  // a few thousand pairs at most.
  size_t size = 0;
  for (size_t position = 0; position < pairs; ++position)
    if (in_shard(position, index, count)) ++size;
  return size;
}

}  // namespace condspec

#include "src/engine/shard.h"

#include <gtest/gtest.h>

#include <vector>

namespace condspec {
namespace {

TEST(Shard, KOfNHoldsThePairsKMinusOneModuloN) {
  std::vector<size_t> second_of_three;
  for (size_t p = 0; p < 10; ++p)
    if (in_shard(p, 2, 3)) second_of_three.push_back(p);
  EXPECT_EQ(second_of_three, (std::vector<size_t>{1, 4, 7}));
}

TEST(Shard, NoShardHoldsEveryPair) {
  for (size_t p = 0; p < 10; ++p) EXPECT_TRUE(in_shard(p, 0, 0)) << p;
  EXPECT_EQ(shard_size(10, 0, 0), 10u);
  EXPECT_EQ(shard_size(0, 0, 0), 0u);
}

TEST(Shard, TheShardsAreDisjointAndCoverEveryPair) {
  for (int n = 1; n <= 5; ++n) {
    for (size_t p = 0; p < 17; ++p) {
      int holders = 0;
      for (int k = 1; k <= n; ++k) holders += in_shard(p, k, n) ? 1 : 0;
      EXPECT_EQ(holders, 1) << "pair " << p << " with N=" << n;
    }
  }
}

TEST(Shard, SizesDifferByAtMostOneAndTheFirstShardsTakeTheRest) {
  // 10 pairs in 4 shards: pairs 0..9, shard K holds K-1, K+3, K+7.
  EXPECT_EQ(shard_size(10, 1, 4), 3u);
  EXPECT_EQ(shard_size(10, 2, 4), 3u);
  EXPECT_EQ(shard_size(10, 3, 4), 2u);
  EXPECT_EQ(shard_size(10, 4, 4), 2u);
  EXPECT_EQ(shard_size(2, 3, 4), 0u);  // more shards than pairs: some are empty
  EXPECT_EQ(shard_size(12, 4, 4), 3u);
}

}  // namespace
}  // namespace condspec

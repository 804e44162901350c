#include "runner/color.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

TEST(Color, ModesParse) {
  EXPECT_EQ(color_mode_from("auto"), ColorMode::automatic);
  EXPECT_EQ(color_mode_from("always"), ColorMode::always);
  EXPECT_EQ(color_mode_from("never"), ColorMode::never);
  EXPECT_EQ(color_mode_from("yes"), std::nullopt);
}

TEST(Color, AutoColoursOnlyATerminalWithoutNoColor) {
  EXPECT_TRUE(use_color(ColorMode::automatic, true, nullptr, "xterm-256color"));
  EXPECT_FALSE(use_color(ColorMode::automatic, false, nullptr, "xterm-256color"));
  EXPECT_FALSE(use_color(ColorMode::automatic, true, "1", "xterm"));
  EXPECT_TRUE(use_color(ColorMode::automatic, true, "", "xterm"));  // empty NO_COLOR: unset
  EXPECT_FALSE(use_color(ColorMode::automatic, true, nullptr, "dumb"));
}

TEST(Color, TheOptionWinsOverTheEnvironment) {
  EXPECT_TRUE(use_color(ColorMode::always, false, "1", "dumb"));
  EXPECT_FALSE(use_color(ColorMode::never, true, nullptr, "xterm"));
}

}  // namespace
}  // namespace condspec

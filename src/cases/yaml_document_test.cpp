#include "src/cases/yaml_document.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace condspec {
namespace {

YamlDocument parsed(std::string_view text) {
  auto document = parse_yaml(text);
  EXPECT_TRUE(document.ok()) << (document.ok() ? "" : document.error().message);
  return document.ok() ? std::move(*document) : YamlDocument{};
}

YamlError error_of_within(std::string_view text, size_t max_nodes) {
  auto document = parse_yaml(text, max_nodes);
  EXPECT_FALSE(document.ok());
  return document.ok() ? YamlError{} : document.error();
}

YamlError error_of(std::string_view text) {
  return error_of_within(text, std::numeric_limits<size_t>::max());
}

YamlMark at(int pos, int line, int column) {
  return {pos, line, column};
}

TEST(ParseYaml, MapsSequencesAndScalarsInFileOrder) {
  const YamlDocument d = parsed("b: [x, 'y']\na:\n  - 1\n  - k: v\n");
  const YamlNode& root = d.root();
  ASSERT_TRUE(root.is_map());
  ASSERT_EQ(root.size(), 2u);
  EXPECT_EQ(root.pairs()[0].key->scalar(), "b");
  EXPECT_EQ(root.pairs()[1].key->scalar(), "a");
  const YamlNode* b = root.find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->is_sequence());
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ(b->items()[1]->scalar(), "y");
  const YamlNode* a = root.find("a");
  ASSERT_TRUE(a && a->is_sequence() && a->size() == 2);
  EXPECT_TRUE(a->items()[0]->is_scalar());
  EXPECT_EQ(a->items()[1]->find("k")->scalar(), "v");
  EXPECT_EQ(root.find("c"), nullptr);
  EXPECT_EQ(b->find("x"), nullptr);  // not a map
}

TEST(ParseYaml, RepeatedKeysAreAllKept) {
  const YamlDocument d = parsed("k: 1\nk: 2\n");
  ASSERT_EQ(d.root().size(), 2u);
  EXPECT_EQ(d.root().find("k")->scalar(), "1");
  EXPECT_EQ(d.root().pairs()[1].value->scalar(), "2");
}

TEST(ParseYaml, PlainScalarsThatSayNothingAreNull) {
  const YamlDocument d =
      parsed("a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: ''\ng: \"null\"\nh: !!str null\ni: nil\n");
  for (const char* key : {"a", "b", "c", "d", "e"}) {
    ASSERT_NE(d.root().find(key), nullptr) << key;
    EXPECT_TRUE(d.root().find(key)->is_null()) << key;
    EXPECT_EQ(d.root().find(key)->scalar(), "") << key;
  }
  for (const char* key : {"f", "g", "h", "i"}) {
    ASSERT_NE(d.root().find(key), nullptr) << key;
    EXPECT_TRUE(d.root().find(key)->is_scalar()) << key;
  }
  EXPECT_EQ(d.root().find("g")->scalar(), "null");
}

TEST(ParseYaml, ScalarsAreUnescapedAndFolded) {
  const YamlDocument d =
      parsed("q: \"a\\tb\\e\"\ns: 'it''s'\nl: |\n  one\n  two\nf: >-\n  one\n  two\np: a  b\n");
  EXPECT_EQ(d.root().find("q")->scalar(), "a\tb\x1b");
  EXPECT_EQ(d.root().find("s")->scalar(), "it's");
  EXPECT_EQ(d.root().find("l")->scalar(), "one\ntwo\n");
  EXPECT_EQ(d.root().find("f")->scalar(), "one two");
  EXPECT_EQ(d.root().find("p")->scalar(), "a  b");
}

// Where the diagnostics point: a node's first character (0-based, bytes).
TEST(ParseYaml, MarksAreWhereEachNodeStarts) {
  const std::string text =
      "top:\n"             // 0
      "  key: 'quoted'\n"  // 5
      "  list:\n"          // 21
      "    - &a plain\n"   // 29
      "    - |\n"          // 44
      "      block\n"      // 52
      "  flow: {x: 1}\n";  // 64
  const YamlDocument d = parsed(text);
  EXPECT_EQ(d.root().mark(), at(0, 0, 0));  // the first key
  const YamlNode* top = d.root().find("top");
  EXPECT_EQ(top->mark(), at(7, 1, 2));
  EXPECT_EQ(top->pairs()[0].key->mark(), at(7, 1, 2));
  EXPECT_EQ(top->find("key")->mark(), at(12, 1, 7));  // the quote
  const YamlNode* list = top->find("list");
  EXPECT_EQ(list->mark(), at(33, 3, 4));               // the first '-'
  EXPECT_EQ(list->items()[0]->mark(), at(35, 3, 6));   // the anchor
  EXPECT_EQ(list->items()[1]->mark(), at(50, 4, 6));   // the '|'
  EXPECT_EQ(top->find("flow")->mark(), at(72, 6, 8));  // the '{'
  EXPECT_EQ(top->find("flow")->pairs()[0].key->mark(), at(73, 6, 9));
  EXPECT_EQ(top->find("flow")->find("x")->mark(), at(76, 6, 12));
}

TEST(ParseYaml, ColumnsCountBytesNotCharacters) {
  const YamlDocument d = parsed(
      "\xEF\xBB\xBF"
      "é: [ü, x]\n");  // a byte order mark, then é
  const YamlNode* list = d.root().find("é");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->mark(), at(7, 0, 7));
  EXPECT_EQ(list->items()[1]->mark(), at(12, 0, 12));
}

TEST(ParseYaml, LinesEndWithCrLfToo) {
  const YamlDocument d = parsed("a: 1\r\nb: 2\r\n");
  EXPECT_EQ(d.root().find("b")->mark(), at(9, 1, 3));
}

TEST(ParseYaml, AnAliasIsTheNodeItNames) {
  const YamlDocument d = parsed("a: &x [1, 2]\nb: *x\n");
  EXPECT_EQ(d.root().find("a"), d.root().find("b"));
}

TEST(ParseYaml, OnlyTheFirstDocumentIsRead) {
  const YamlDocument d = parsed("a: 1\n---\nb: 2\n---\n: : bad\n");
  EXPECT_EQ(d.root().size(), 1u);
  EXPECT_NE(d.root().find("a"), nullptr);
}

TEST(ParseYaml, NoDocumentIsANullRootWithoutPlace) {
  for (const char* text : {"", "# only a comment\n"}) {
    const YamlDocument d = parsed(text);
    EXPECT_TRUE(d.root().is_null());
    EXPECT_TRUE(d.root().mark().is_null());
  }
}

TEST(ParseYaml, ADocumentKeepsItsNodesWhenMoved) {
  auto document = parse_yaml("a: [1]\n");
  ASSERT_TRUE(document.ok());
  const YamlNode* before = document->root().find("a");
  YamlDocument moved = std::move(*document);
  EXPECT_EQ(moved.root().find("a"), before);
  EXPECT_EQ(moved.root().find("a")->items()[0]->scalar(), "1");
}

TEST(ParseYamlErrors, SyntaxErrorsSayWhereAndInWhat) {
  EXPECT_EQ(error_of("title: x\n  bad: 1\n"),
            (YamlError{at(14, 1, 5), "mapping values are not allowed in this context"}));
  EXPECT_EQ(error_of("a: [1, 2\nb: 3\n"),
            (YamlError{at(10, 1, 1),
                       "did not find expected ',' or ']' (while parsing a flow sequence at 1:4)"}));
}

TEST(ParseYamlErrors, ControlBytesAndBadUtf8AreFoundAtTheirByte) {
  EXPECT_EQ(error_of("a: 1\nb: \"\x1b[31m\"\n"),
            (YamlError{at(9, 1, 4), "control characters are not allowed: 0x1B"}));
  EXPECT_EQ(error_of("é: \xff\n"), (YamlError{at(4, 0, 4), "invalid leading UTF-8 octet: 0xFF"}));
}

// Every scalar, alias, sequence and map counts, keys included; the error
// points at the first node past the bound, which is never built.
TEST(ParseYamlErrors, NodesPastTheBoundAreRefusedWhereTheyBegin) {
  const std::string text = "a: &x [1, 2]\nb: *x\n";  // map, a, seq, 1, 2, b, alias: 7
  EXPECT_TRUE(parse_yaml(text, 7).ok());
  EXPECT_EQ(error_of_within(text, 6),
            (YamlError{at(16, 1, 3),
                       "more than 6 YAML nodes (values, lists and mappings) in one file; at most "
                       "6 are read",
                       YamlError::Kind::too_many_nodes}));
  EXPECT_EQ(error_of_within(text, 2).mark, at(3, 0, 3));  // the sequence, at its anchor
  EXPECT_EQ(error_of_within(text, 0).mark, at(0, 0, 0));  // the root map
}

TEST(ParseYamlErrors, AnAliasMustNameAnAnchor) {
  EXPECT_EQ(error_of("a: 1\nb: *nowhere\n"), (YamlError{at(8, 1, 3), "unknown anchor 'nowhere'"}));
}

}  // namespace
}  // namespace condspec
